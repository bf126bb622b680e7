import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registrySchema } from '../../shared/devices';
import { createEngine } from '../fleet/engine';
import { placesFor } from './places';
import { historyRain, rainySeasonStorms } from './rainySeason';

const DAY = 24 * 3_600_000;
const START = Date.UTC(2026, 9, 19, 17);
const QNG = registrySchema.parse(JSON.parse(readFileSync(new URL('../../shared/provinces/quang-ngai/devices.json', import.meta.url), 'utf8')));

describe('rainy-season history', () => {
  it('has a storm every 2.5–4.5 days over the flood cells, none in the day before the story, the same for a seed', () => {
    const storms = rainySeasonStorms(9, placesFor('quang-ngai', []), START, 14);
    expect(storms.length).toBeGreaterThanOrEqual(2);
    expect(storms.length).toBeLessThanOrEqual(5);
    for (const s of storms) {
      expect(s.start).toBeGreaterThanOrEqual(START - 14 * DAY);
      expect(s.start + (s.pourH + 2.5) * 3_600_000).toBeLessThanOrEqual(START - DAY);
      expect(s.factor).toBeGreaterThanOrEqual(0.3);
      expect(s.factor).toBeLessThanOrEqual(1.1);
    }
    storms.slice(1).forEach((s, i) => expect((s.start - storms[i]!.start) / DAY).toBeGreaterThan(2));
    expect(rainySeasonStorms(9, placesFor('quang-ngai', []), START, 14)).toEqual(storms);
    expect(rainySeasonStorms(10, placesFor('quang-ngai', []), START, 14)).not.toEqual(storms);
    // The storm pours where its cells are.
    const s = storms[0]!;
    const rain = historyRain(9, storms);
    expect(rain(s.cells[0]!, s.start + (1 + s.pourH / 2) * 3_600_000)).toBeGreaterThan(5);
    expect(rain(s.cells[0]!, s.start - 3_600_000)).toBe(0);
  });

  it('changes the rivers before the story only: from the start on, the flood is the same', () => {
    const level = (history: 'ordinary' | 'rainy-season', t: number) => {
      const e = createEngine({ registry: QNG, realStart: START, scenario: 'flood', backfillHours: 0, history, historyDays: 14, include: (d) => d.id === 'qng-hydro-0005' });
      return (e.sims[0]!.signals.report(t).telemetry as { waterLevel: number }).waterLevel;
    };
    const storm = rainySeasonStorms(QNG.seed, placesFor('quang-ngai', []), START, 14).at(-1)!;
    const crest = storm.start + (storm.pourH + 4) * 3_600_000;
    expect(level('rainy-season', crest) - level('ordinary', crest)).toBeGreaterThan(0.5);
    for (const h of [0, 3, 6, 12]) expect(level('rainy-season', START + h * 3_600_000)).toBe(level('ordinary', START + h * 3_600_000));
  });
});
