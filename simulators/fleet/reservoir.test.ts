import { describe, expect, it } from 'vitest';
import { registrySchema } from '../../shared/devices';
import { reservoirEventSchema, reservoirTelemetrySchema, type ReservoirEventInput, type TelemetryInput } from '../../shared/mqtt';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVINCES_DIR } from '../registry/geo';
import { flashFlood, RELEASE_AT_H } from '../scenarios/flashFlood';
import type { ReleasePlan } from './effects';
import { makeDevice } from './fixtures';
import { signalsFor, type SignalContext } from './signals';
import type { Device } from '../../shared/devices';

/** A reservoir's reports as the fleet makes them, typed as a reservoir's. */
function lakeOf(dam: Device, ctx: SignalContext) {
  const s = signalsFor(dam, ctx);
  return (t: number) => s.report(t) as { telemetry: TelemetryInput['reservoir']; events: ReservoirEventInput[] };
}

const HOUR = 3_600_000;
const MIN = 60_000;
const CTX: SignalContext = { seed: 42, plateCodes: ['26'] };
/** Epoch ms of hour `h` (Vietnam time) on that day of 2026. */
const vnTime = (month: number, day: number, h = 0) => Date.UTC(2026, month - 1, day, h - 7);

describe('the reservoir model', () => {
  it('keeps the lake inside its procedure on an ordinary day: under the flood limit in July, between the dead and normal levels in March', () => {
    const dam = makeDevice('reservoir');
    const report = lakeOf(dam, CTX);
    for (const [start, max] of [
      [vnTime(7, 20), 197.3],
      [vnTime(3, 10), 215],
    ] as const) {
      for (let t = start; t < start + 24 * HOUR; t += 5 * MIN) {
        const { telemetry, events } = report(t);
        expect(reservoirTelemetrySchema.safeParse(telemetry).success).toBe(true);
        expect(telemetry.waterLevel).toBeLessThanOrEqual(max);
        expect(telemetry.waterLevel).toBeGreaterThan(175);
        expect(telemetry.spillwayGatesOpen).toBe(0);
        expect(events).toEqual([]);
      }
    }
  });

  it("sends a scenario's release notices once each, in order, and opens the gates between start and end", () => {
    const t0 = vnTime(7, 20, 8);
    const plan: ReleasePlan = { announcedAt: t0 + 3 * HOUR, startsAt: t0 + 5 * HOUR, endsAt: t0 + 20 * HOUR, gates: 2, perGateM3s: 900, note: 'diễn tập' };
    const dam = makeDevice('reservoir');
    const report = lakeOf(dam, { ...CTX, effects: { release: (id) => (id === dam.id ? plan : null) } });
    const events: ReservoirEventInput[] = [];
    const gatesAt = new Map<number, number>();
    const outflowAt = new Map<number, number>();
    // One report per interval, as the fleet sends them: each covers the interval before it.
    const step = dam.reportIntervalSec * 1000;
    for (let t = t0; t <= t0 + 24 * HOUR; t += step) {
      const r = report(t);
      events.push(...r.events);
      gatesAt.set(t, r.telemetry.spillwayGatesOpen!);
      outflowAt.set(t, r.telemetry.outflow!);
    }
    expect(events.map((e) => [e.release, e.ts])).toEqual([
      ['announced', plan.announcedAt],
      ['started', plan.startsAt],
      ['ended', plan.endsAt],
    ]);
    for (const e of events) expect(reservoirEventSchema.safeParse(e).success).toBe(true);
    expect(events[0]).toMatchObject({ startsAt: plan.startsAt, gates: 2, note: 'diễn tập' });
    expect(gatesAt.get(plan.startsAt - step)).toBe(0);
    expect(gatesAt.get(plan.startsAt)).toBe(2);
    expect(gatesAt.get(plan.endsAt - step)).toBe(2);
    expect(gatesAt.get(plan.endsAt)).toBe(0);
    expect(outflowAt.get(plan.startsAt)! - outflowAt.get(plan.startsAt - step)!).toBeGreaterThan(1500);
  });
});

describe('a fleet that starts in the middle of a release', () => {
  const t0 = vnTime(7, 20, 8);
  const plan: ReleasePlan = { announcedAt: t0 + 3 * HOUR, startsAt: t0 + 5 * HOUR, endsAt: t0 + 20 * HOUR, gates: 2, perGateM3s: 900, note: 'diễn tập' };
  const first = (start: number) => {
    const dam = makeDevice('reservoir');
    const report = lakeOf(dam, { ...CTX, effects: { release: () => plan } });
    const out = [report(start), report(start + 5 * MIN)];
    return out.flatMap((r) => r.events.map((e) => [e.release, e.ts]));
  };

  it('first sends the notice standing at its start, once: announced before the gates open, started after', () => {
    expect(first(t0 + 4 * HOUR)).toEqual([['announced', plan.announcedAt]]);
    expect(first(t0 + 8 * HOUR)).toEqual([['started', plan.startsAt]]);
    expect(first(t0 + 21 * HOUR)).toEqual([]);
    expect(first(t0 + HOUR)).toEqual([]);
  });
});

describe('the flash-flood scenario in Sơn La', () => {
  const registry = registrySchema.parse(JSON.parse(readFileSync(join(PROVINCES_DIR, 'son-la', 'devices.json'), 'utf8')));
  const t0 = vnTime(7, 20, 8);
  const s = flashFlood({ devices: registry.devices, province: 'son-la', seed: 5, now: t0 });
  const byName = (name: string) => registry.devices.find((d) => d.name === name)!;

  it("plans the Sơn La dam's release and raises only the Đà below it, not a tributary's gauge in the same communes", () => {
    const dam = byName('Hồ thủy điện Sơn La');
    const plan = s.effects!.release!(dam.id)!;
    expect(plan.announcedAt).toBe(t0 + RELEASE_AT_H.announced * HOUR);
    expect(plan.startsAt).toBe(t0 + RELEASE_AT_H.starts * HOUR);
    expect(s.effects!.release!(byName('Hồ thủy điện Huội Quảng').id)).toBeNull();
    const open = plan.startsAt + 4 * HOUR;
    expect(s.effects!.levelBoost!(byName('Trạm thủy văn Tạ Bú').id, open)).toBeGreaterThan(1);
    expect(s.effects!.levelBoost!(byName('Trạm thủy văn Tạ Bú').id, plan.startsAt - HOUR)).toBe(0);
    expect(s.effects!.levelBoost!(byName('Trạm thủy văn Bắc Yên').id, open)).toBe(0);
  });
});
