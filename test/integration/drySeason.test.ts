/**
 * The dry-season scenario's weather, read from the fleet's own models over 22 simulated days, fed to the
 * server's fire danger service as the readings would arrive: the forest fire danger of Sơn La's communes climbs
 * level by level to V while the spell lasts. (Days of simulated time are too long to push through MQTT in a
 * test; the scenario's rehearsal over MQTT is `npm run sim -- --scenario dry-season --speed 3600 …`.)
 */
import { describe, expect, it } from 'vitest';
import { FireDangerService, vnOnePm, vnDay } from '../../server/domain/fire/fireDangerService';
import { readCommuneCentres } from '../../server/provinces/load';
import { PROVINCES, PROVINCES_DIR } from '../../server/provinces/catalog';
import { loadRegistry } from '../../server/provinces/load';
import { createEngine } from '../../simulators/fleet/engine';
import { SPELL_DAYS } from '../../simulators/scenarios/drySeason';
import { join } from 'node:path';

const HOUR = 3_600_000;

describe('the dry-season scenario in Sơn La', () => {
  it('takes forest fire danger up level by level to V during the spell', () => {
    const { registry } = loadRegistry('son-la');
    const meta = PROVINCES['son-la']!;
    const engine = createEngine({
      registry,
      realStart: 0,
      simStart: Date.UTC(2027, 0, 5),
      scenario: 'dry-season',
      backfillHours: 0,
      include: (d) => d.kind === 'air-station' || d.kind === 'rain-gauge',
    });
    const t0 = engine.simStart;
    expect(new Date(t0 + 7 * HOUR).toISOString().slice(0, 16)).toBe('2027-03-10T06:00');
    const index = new Map(registry.devices.map((d, i) => [d.id, i]));
    const fire = new FireDangerService(
      readCommuneCentres(join(PROVINCES_DIR, 'son-la')).filter((c) => c.unitType !== 'phuong'),
      engine.sims.filter((s) => s.device.kind === 'air-station').map((s) => ({ i: index.get(s.device.id)!, lon: s.device.lon, lat: s.device.lat })),
      engine.sims.filter((s) => s.device.kind === 'rain-gauge').map((s) => ({ i: index.get(s.device.id)!, commune: s.device.commune, lon: s.device.lon, lat: s.device.lat })),
      { bands: meta.fireDanger.bands, resetRainMm: meta.fireDanger.resetRainMm },
      meta.fireDanger,
    );
    // The day each level was first reached anywhere, and whether any rain fell during the spell.
    const firstDay = new Map<number, number>();
    let spellRain = 0;
    for (let day = 0; day < SPELL_DAYS; day++) {
      const onePm = vnOnePm(vnDay(t0) + day);
      for (const s of engine.sims) {
        const i = index.get(s.device.id)!;
        if (s.device.kind === 'rain-gauge') {
          // Hourly reports up to 13:00 (a gauge reports the rain since its previous report).
          for (let t = onePm - 23 * HOUR; t <= onePm; t += HOUR) {
            const mm = (s.signals.report(t).telemetry as { precipitation: number }).precipitation;
            if (day > 0) spellRain += mm;
            fire.onRain(i, t, mm);
          }
        } else {
          fire.onAir(i, onePm, s.signals.report(onePm).telemetry as unknown as Record<string, number>);
        }
      }
      fire.step(onePm + 31 * 60_000);
      const top = Math.max(...fire.all().map((c) => c.level));
      if (!firstDay.has(top)) firstDay.set(top, day);
    }
    expect(spellRain).toBe(0);
    // Every level from I to V, each first reached on a later day than the one below it.
    expect([...firstDay.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    const days = [1, 2, 3, 4, 5].map((l) => firstDay.get(l)!);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(firstDay.get(5)!).toBeLessThan(SPELL_DAYS);
    expect(firstDay.get(4)!).toBeGreaterThan(2);
  });
});
