import { describe, expect, it } from 'vitest';
import { HYDRO_BUCKET_MS, HYDRO_MAX_POINTS, HYDRO_WINDOW_MS, HydroSeries } from './hydroSeries';

const T0 = 1_700_000_400_000 - (1_700_000_400_000 % HYDRO_BUCKET_MS);

describe('HydroSeries', () => {
  it('continues a snapshot with live levels: same bucket averages, a new bucket appends, older is ignored', () => {
    const s = new HydroSeries();
    s.reset([
      [T0, 2],
      [T0 + HYDRO_BUCKET_MS, 3],
    ]);
    const rev = s.rev;
    expect(s.add(T0 + HYDRO_BUCKET_MS + 60_000, 4)).toBe(true);
    expect(s.latest()).toEqual([T0 + HYDRO_BUCKET_MS, 3.5]);
    expect(s.add(T0 + 2 * HYDRO_BUCKET_MS + 5_000, 5)).toBe(true);
    expect(s.add(T0 + 30_000, 9)).toBe(false);
    expect(s.points()).toEqual([
      [T0, 2],
      [T0 + HYDRO_BUCKET_MS, 3.5],
      [T0 + 2 * HYDRO_BUCKET_MS, 5],
    ]);
    expect(s.rev).toBe(rev + 2);
  });

  it('does not move its rev when a reading leaves the mean as it was', () => {
    const s = new HydroSeries();
    s.reset([[T0, 2]]);
    const rev = s.rev;
    expect(s.add(T0 + 1000, 2)).toBe(false);
    expect(s.rev).toBe(rev);
  });

  it('keeps 24 h: a day and a half of live levels leaves one day of buckets', () => {
    const s = new HydroSeries();
    for (let t = T0; t < T0 + 36 * 3_600_000; t += 60_000) s.add(t, Math.sin(t / 1e7));
    expect(s.size).toBeLessThanOrEqual(HYDRO_MAX_POINTS);
    const pts = s.points();
    expect(pts[pts.length - 1]![0] - pts[0]![0]).toBeLessThanOrEqual(HYDRO_WINDOW_MS);
    expect(pts[pts.length - 1]![0]).toBe(T0 + 36 * 3_600_000 - HYDRO_BUCKET_MS);
  });

  it('trims an oversized snapshot and skips bad or out-of-order points', () => {
    const s = new HydroSeries();
    const points: [number, number][] = [];
    for (let k = 0; k < 400; k++) points.push([T0 + k * HYDRO_BUCKET_MS, k]);
    points.push([T0, 1], [T0 + 401 * HYDRO_BUCKET_MS, Number.NaN]);
    s.reset(points);
    expect(s.size).toBe(HYDRO_MAX_POINTS);
    expect(s.latest()).toEqual([T0 + 399 * HYDRO_BUCKET_MS, 399]);
  });
});
