import { authFetch } from '../support/session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { App } from '../../server/app';
import type { WallDelta, WallSnapshot, MobileSnapshot } from '../../shared/events';
import type { AirDerived, HydroDerived, RainDerived, WaterDerived } from '../../shared/environment';
import { topicFor, type DeviceType } from '../../shared/mqtt';
import { connectMqtt, connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';

let app: App;
let pub: MqttClient;
let sock: TestSocket;
const MIN = 60_000;

beforeEach(async () => {
  app = await startTestApp();
  pub = await connectMqtt(app.mqttUrl, { clientId: 'env-publisher' });
  sock = connectSocket(app.url);
});

afterEach(async () => {
  sock.disconnect();
  await pub.endAsync(true);
  await app.close();
});

function first(type: DeviceType, pred: (props: Record<string, unknown>) => boolean = () => true) {
  const i = app.province.registry.devices.findIndex((d) => d.type === type && pred(d.props ?? {}));
  return { i, d: app.province.registry.devices[i]! };
}

/** Publishes one reading a minute from `minutes` ago to now, in order (backfill, then live). */
async function series(type: DeviceType, id: string, minutes: number, at: (ts: number, k: number) => Record<string, number>) {
  const now = Date.now();
  for (let k = minutes; k >= 0; k--) {
    const ts = now - k * MIN;
    pub.publish(topicFor(type, id, 'telemetry'), JSON.stringify({ ts, ...at(ts, k) }), { qos: 0 });
  }
  await pub.publishAsync('ioc/v1/flush', '{}', { qos: 1 }); // a QoS 1 round trip: everything before it was sent
}

function latestX<T>(deltas: WallDelta[], i: number): T | undefined {
  for (let k = deltas.length - 1; k >= 0; k--) {
    const p = deltas[k]!.devices.find((d) => d.i === i);
    if (p?.x) return p.x as T;
  }
  return undefined;
}

describe('environment indices over the socket', () => {
  it('an air station publishing three hours of PM2.5 = 60 gets VN_AQI 117, band Kém, PM2.5 dominant', async () => {
    const { deltas } = await subscribe(sock, 'wall');
    const { i, d } = first('air');
    await series('air', d.id, 180, () => ({ pm25: 60, pm10: 80 }));
    // NowCast of a constant 60 is 60 → 100 + (150−100)/(80−50)·(60−50) = 116.67 → 117; PM10 80 → 65.
    const x = await waitFor('AQI 117', () => {
      const v = latestX<AirDerived>(deltas as WallDelta[], i);
      return v?.aqi === 117 ? v : undefined;
    });
    expect(x).toMatchObject({ band: 3, dominant: 'pm25', subIndices: { pm25: 117, pm10: 65 } });
    const other = connectSocket(app.url);
    const snap = (await subscribe(other, 'wall')).snapshot as WallSnapshot;
    other.disconnect();
    expect(snap.communes?.find((c) => c.code === d.commune)).toMatchObject({ aqi: 117, band: 3 });
  });

  it('a wastewater station above its COD limit is exceeding, with Kq·Kf applied, and shows on the phone', async () => {
    const { i, d } = first('water', (p) => p.column === 'B');
    const kq = d.props!.kq as number;
    const kf = d.props!.kf as number;
    const limit = Number((150 * kq * kf).toFixed(9));
    const mobile = connectSocket(app.url);
    const { deltas: mdeltas } = await subscribe(mobile, 'mobile');
    const { deltas } = await subscribe(sock, 'wall');
    await series('water', d.id, 30, (_ts, k) => ({ pH: 7.1, cod: k < 20 ? limit * 1.2 : limit * 0.5, tss: 20, nh4: 2, flow: 40, temperature: 30 }));
    const x = await waitFor('exceeding', () => {
      const v = latestX<WaterDerived>(deltas as WallDelta[], i);
      return v?.status === 'exceeding' ? v : undefined;
    });
    expect(x.params.cod).toMatchObject({ max: limit, status: 'exceeding' });
    expect(x.params.pH).toMatchObject({ min: 5.5, max: 9, status: 'within' });
    // The exceedance began 19 minutes ago (k = 19 was the first sample above the limit).
    expect(Date.now() - x.params.cod!.exceedingSince!).toBeGreaterThan(18.5 * MIN);
    const m = await waitFor('phone summary', () => (mdeltas.at(-1) as MobileSnapshot | undefined)?.env?.wastewaterExceeding.find((w) => w.i === i));
    expect(m.params).toEqual(['cod']);
    mobile.disconnect();
  });

  it('a rising river reports its alarm stage, its rate of rise and the time to the next level', async () => {
    const { i, d } = first('hydro', (p) => p.station === 'Trà Khúc');
    const [bd1, bd2] = [d.props!.bd1 as number, d.props!.bd2 as number];
    const { deltas } = await subscribe(sock, 'wall');
    // Rising 30 cm/h, reaching BĐ I + 0.5 m now.
    await series('hydro', d.id, 60, (_ts, k) => ({ waterLevel: bd1 + 0.5 - (k / 60) * 0.3 }));
    const x = await waitFor('stage 1', () => {
      const v = latestX<HydroDerived>(deltas as WallDelta[], i);
      return v?.stage === 1 && v.rateCmH !== null ? v : undefined;
    });
    expect(x.rateCmH).toBeCloseTo(30, 0);
    // (bd2 − level) m at 30 cm/h.
    expect(x.nextLevelInMs! / 3_600_000).toBeCloseTo(((bd2 - (bd1 + 0.5)) * 100) / 30, 1);
  });

  it('a rain gauge accumulates 1 h, 3 h and 24 h rain and names the category', async () => {
    const { i, d } = first('rain');
    const { deltas } = await subscribe(sock, 'wall');
    // 2 mm a minute for the last 60 minutes: 120 mm in 1 h → mưa rất to.
    await series('rain', d.id, 59, () => ({ precipitation: 2, intervalSec: 60 }));
    const x = await waitFor('120 mm', () => {
      const v = latestX<RainDerived>(deltas as WallDelta[], i);
      return v?.h24 === 120 ? v : undefined;
    });
    expect(x).toMatchObject({ h1: 120, h3: 120, category24h: 'mưa rất to' });
    const h = await getJson<{ series: Record<string, [number, number][]> }>(`${app.url}/api/devices/${d.id}/history?hours=2&bucketMin=10`);
    expect(h.series.precipitation!.reduce((s, [, v]) => s + v, 0)).toBeGreaterThan(0);
    expect(h.series.precipitation!.every(([, v]) => v === 2)).toBe(true);
    expect((await authFetch(`${app.url}/api/devices/${app.province.registry.devices.find((x) => x.type === 'iot')!.id}/history`)).status).toBe(404);
  });
});
