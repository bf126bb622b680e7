import { describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/devices';
import { CLASSIC_FIRE_RULE, saturationDeficitHpa } from '../../../shared/fireDanger';
import { FireDangerService, vnDay, vnOnePm } from '../../domain/fire/fireDangerService';
import type { BucketPoint } from './port';
import { perDevice } from './forEachBucketed';
import { warmFire } from './warmFire';

const H = 3_600_000;
const NOW = vnOnePm(vnDay(Date.UTC(2027, 2, 20, 12))) + 2 * H;
const TODAY = vnDay(NOW);
const dev = (id: string, type: Device['type']) => ({ id, type }) as Device;

/** Hourly rollups: 30 °C / 40 % every hour; 8 mm of rain in the hour from 10:00 on `rainDay`. */
function store(rainDay: number) {
  return {
    rangeBucketedMany: perDevice(async (id: string, from: number, to: number): Promise<BucketPoint[]> => {
      const out: BucketPoint[] = [];
      for (let t = Math.ceil(from / H) * H; t < to; t += H) {
        if (id === 'air-1') out.push({ ts: t, metrics: { temperature: stat(30), relativeHumidity: stat(40) } });
        else out.push({ ts: t, metrics: { precipitation: stat(t === vnOnePm(rainDay) - 3 * H ? 8 : 0) } });
      }
      return out;
    }),
  };
}
const stat = (v: number) => ({ mean: v, min: v, max: v, sum: v, count: 1 });

function service() {
  return new FireDangerService(
    [{ code: '00001', lon: 104, lat: 21 }],
    [{ i: 0, lon: 104, lat: 21 }],
    [{ i: 1, commune: '00001', lon: 104, lat: 21 }],
    CLASSIC_FIRE_RULE,
    { source: 't', verified: false },
  );
}

describe('warmFire: the dry spell replayed from the hourly rollups', () => {
  it('sums the dry days since the last rain up to two days ago, and leaves the rest to the live step', async () => {
    const fire = service();
    // Rain of 8 mm on the 10th day before today: P restarts there.
    const r = await warmFire(store(TODAY - 10), [dev('air-1', 'air'), dev('rain-1', 'rain')], fire, NOW, 20);
    expect(r.days).toBe(19);
    const daily = 30 * saturationDeficitHpa(30, 40);
    // Days TODAY−9 … TODAY−2 are dry: 8 steps after the reset.
    expect(fire.of('00001')).toMatchObject({ dryDays: 8, p: Math.round(8 * daily), day: new Date((TODAY - 2) * 24 * H).toISOString().slice(0, 10) });
    // The live step then takes yesterday and today from the raw readings it was given (none here: no change).
    expect(fire.step(NOW)).toEqual([]);
  });

  it('replays nothing when the look-back is shorter than two days', async () => {
    const fire = service();
    expect(await warmFire(store(0), [dev('air-1', 'air')], fire, NOW, 1)).toEqual({ days: 0 });
    expect(fire.of('00001')!.day).toBeNull();
  });
});
