import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '../../shared/devices';
import type { BucketedReadingsResponse, ReadingBucketStats } from '../../shared/requests';
import { fetchBucketedReadings } from '../net/api';
import { chartsFor } from './stationCharts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 4, 0, 0, 0);

const makeDevice = (overrides: Partial<Device>): Device => ({
  id: 'qng-hydro-0001',
  type: 'hydro',
  kind: 'river-gauge',
  name: 'Trạm thử',
  lon: 108.8,
  lat: 15.12,
  commune: '21100',
  reportIntervalSec: 60,
  ...overrides,
});

const stats = (mean: number, sum = mean, count = 1): ReadingBucketStats => ({ mean, min: mean, max: mean, sum, count });

function makeReadings(points: BucketedReadingsResponse['points']): BucketedReadingsResponse {
  return { id: 'qng-hydro-0001', from: T0, to: T0 + 24 * 60 * MIN, bucket: '1m', points };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('station card charts from stored minute buckets', () => {
  it('draws bucket means and breaks the line where the station was silent for longer than three reports and 15 minutes', () => {
    const dev = makeDevice({ reportIntervalSec: 60 });
    const levels: [number, number][] = [[0, 2], [1, 2.1], [2, 2.2], [20, 3], [21, 3.1]];
    const h = makeReadings(levels.map(([m, v]) => ({ ts: T0 + m * MIN, metrics: { waterLevel: stats(v) } })));
    const [chart, ...rest] = chartsFor(dev, h, undefined);
    expect(rest).toEqual([]);
    expect(chart!.title).toBe('Mực nước (m)');
    expect(chart!.points).toEqual([
      [T0, 2],
      [T0 + MIN, 2.1],
      [T0 + 2 * MIN, 2.2],
      [T0 + 3 * MIN, null],
      [T0 + 20 * MIN, 3],
      [T0 + 21 * MIN, 3.1],
    ]);
  });

  it('does not break the line at the 5-minute steps of history sent after an outage (backfill)', () => {
    const dev = makeDevice({ reportIntervalSec: 60 });
    const h = makeReadings([0, 5, 10, 15, 16, 17].map((m) => ({ ts: T0 + m * MIN, metrics: { waterLevel: stats(2) } })));
    expect(chartsFor(dev, h, undefined)[0]!.points.every(([, v]) => v !== null)).toBe(true);
  });

  it('does not break the line of a station that reports every 5 minutes at its own pace', () => {
    const dev = makeDevice({ reportIntervalSec: 300 });
    const h = makeReadings([0, 5, 10, 15].map((m) => ({ ts: T0 + m * MIN, metrics: { waterLevel: stats(2) } })));
    expect(chartsFor(dev, h, undefined)[0]!.points.every(([, v]) => v !== null)).toBe(true);
  });

  it("shows rain as intensity: the bucket's millimetres over the seconds its reports covered", () => {
    const dev = makeDevice({ id: 'qng-rain-0001', type: 'rain', reportIntervalSec: 30 });
    const h = makeReadings([
      // Two 30 s reports of 1 mm and 2 mm: 3 mm in 60 s = 180 mm/h.
      { ts: T0, metrics: { precipitation: stats(1.5, 3, 2), intervalSec: stats(30, 60, 2) } },
      { ts: T0 + MIN, metrics: { precipitation: stats(0.1, 0.1, 1), intervalSec: stats(30, 30, 1) } },
    ]);
    expect(chartsFor(dev, h, undefined)).toEqual([
      expect.objectContaining({ key: 'rain', bars: true, points: [[T0, 180], [T0 + MIN, 12]] }),
    ]);
  });

  it('shows no chart for a station without readings', () => {
    expect(chartsFor(makeDevice({}), makeReadings([]), undefined)).toEqual([]);
  });
});

describe('fetchBucketedReadings', () => {
  it('asks the readings endpoint for minute buckets and validates the answer', async () => {
    const body = makeReadings([{ ts: T0, metrics: { waterLevel: stats(2) } }]);
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(fetchBucketedReadings('qng-hydro-0001', '1m')).resolves.toEqual(body);
    expect(fetchMock).toHaveBeenCalledWith('/api/devices/qng-hydro-0001/readings?bucket=1m', expect.anything());
  });

  it('refuses an answer of another shape (a raw one)', async () => {
    const raw = { id: 'qng-hydro-0001', from: T0, to: T0 + MIN, bucket: 'raw', points: [], truncated: false };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(raw), { status: 200 })));
    await expect(fetchBucketedReadings('qng-hydro-0001', '1m')).rejects.toThrow(/Unexpected response/);
  });
});
