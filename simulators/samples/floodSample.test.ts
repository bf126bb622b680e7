/** The shipped flood sample: small, readable, and it tells the flood: rain first, then BĐ I → III. */
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRecording, recordingParts } from '../record/reader';
import { FLOOD_SAMPLE, FLOOD_SAMPLE_DEVICES } from './floodSample';

/** BĐ I/II/III of the lower gauges (shared/provinces/quang-ngai/devices.json). */
const LOWER: Record<string, [number, number, number]> = {
  'qng-hydro-0001': [3.5, 5, 6.5],
  'qng-hydro-0002': [2.5, 3.5, 4.5],
  'qng-hydro-0003': [2.5, 3.5, 4.5],
};

describe('the flood sample', () => {
  it('is one small part', () => {
    expect(recordingParts(FLOOD_SAMPLE)).toEqual([FLOOD_SAMPLE]);
    expect(statSync(FLOOD_SAMPLE).size).toBeLessThan(100 * 1024);
  });

  it('holds the chosen gauges only, rain before the rivers rise, and each lower gauge crossing BĐ I, II, III in order', async () => {
    const crossed = new Map<string, number[]>();
    let firstHeavyRain = Infinity;
    let firstBd1 = Infinity;
    let n = 0;
    for await (const m of readRecording(FLOOD_SAMPLE)) {
      n++;
      const id = m.topic.split('/')[3]!;
      expect(FLOOD_SAMPLE_DEVICES).toContain(id);
      if (!m.topic.endsWith('/telemetry')) continue;
      const body = JSON.parse(m.payload.toString()) as { waterLevel?: number; precipitation?: number };
      if (body.precipitation !== undefined && body.precipitation >= 2) firstHeavyRain = Math.min(firstHeavyRain, m.receivedAt);
      const bd = LOWER[id];
      if (!bd || body.waterLevel === undefined) continue;
      const stage = bd.filter((x) => body.waterLevel! >= x).length;
      const seen = crossed.get(id) ?? [0];
      if (stage > seen.at(-1)!) seen.push(stage);
      crossed.set(id, seen);
      if (stage >= 1) firstBd1 = Math.min(firstBd1, m.receivedAt);
    }
    expect(n).toBeGreaterThan(500);
    for (const id of Object.keys(LOWER)) expect(crossed.get(id), id).toEqual([0, 1, 2, 3]);
    expect(firstHeavyRain).toBeLessThan(firstBd1);
  });
});
