import { describe, expect, it } from 'vitest';
import { DeviceTable } from '../devices/deviceTable';
import { Ingest } from './ingest';
import { makeRegistry } from '../../test/support/factories';
import { MAX_HISTORY_AGE_MS, MAX_PAYLOAD_BYTES } from '../../shared/mqtt';

const NOW = Date.UTC(2026, 10, 22, 2, 0, 0);
const json = (o: unknown) => Buffer.from(JSON.stringify(o));

function setup(cap?: number) {
  const table = new DeviceTable(makeRegistry({ air: 1, camera: 1, iot: 1, hydro: 1 }).devices);
  const events: unknown[] = [];
  const history: unknown[] = [];
  const ingest = new Ingest(
    table,
    {
      onCameraEvent: (_i, e) => events.push(e),
      onTelemetry: (_i, _t, ts, v, live) => {
        if (!live) history.push({ ts, v });
      },
    },
    cap,
  );
  return { table, ingest, events, history };
}

describe('Ingest', () => {
  it('accepts a valid air reading and updates the device with its values', () => {
    const { table, ingest } = setup();
    expect(ingest.handle('ioc/v1/air/t-air-0001/telemetry', json({ ts: NOW - 1000, pm25: 35.2, pm10: 60 }), NOW)).toBeNull();
    const i = table.indexOf('t-air-0001')!;
    expect(table.values[i]).toEqual({ pm25: 35.2, pm10: 60 });
    expect(table.online[i]).toBe(1);
    expect(ingest.accepted).toBe(1);
  });

  it('accepts an ISO-8601 timestamp with an offset', () => {
    const { table, ingest } = setup();
    const ts = '2026-11-22T08:59:30+07:00';
    expect(ingest.handle('ioc/v1/hydro/t-hydro-0001/telemetry', json({ ts, waterLevel: 3.2 }), NOW)).toBeNull();
    expect(table.lastSeen[table.indexOf('t-hydro-0001')!]).toBe(Date.parse(ts));
  });

  it.each([
    ['badTopic', 'ioc/v2/air/t-air-0001/telemetry', json({ ts: NOW, pm25: 1 })],
    ['badTopic', 'ioc/v1/air/t-air-0001', json({ ts: NOW, pm25: 1 })],
    ['badJson', 'ioc/v1/air/t-air-0001/telemetry', Buffer.from('{"ts": 1, pm25: NaN}')],
    ['schema', 'ioc/v1/air/t-air-0001/telemetry', json({ ts: NOW, pm25: 'high' })],
    ['schema', 'ioc/v1/air/t-air-0001/telemetry', json({ pm25: 3 })],
    ['schema', 'ioc/v1/air/t-air-0001/telemetry', json([1, 2])],
    ['schema', 'ioc/v1/air/t-air-0001/event', json({ ts: NOW })],
    ['unknownDevice', 'ioc/v1/air/nobody/telemetry', json({ ts: NOW, pm25: 1 })],
    ['unknownDevice', 'ioc/v1/water/t-air-0001/telemetry', json({ ts: NOW, cod: 1 })],
    ['futureTimestamp', 'ioc/v1/air/t-air-0001/telemetry', json({ ts: NOW + 3600_000, pm25: 1 })],
    ['staleTimestamp', 'ioc/v1/air/t-air-0001/telemetry', json({ ts: NOW - MAX_HISTORY_AGE_MS - 1, pm25: 1 })],
    ['oversize', 'ioc/v1/air/t-air-0001/telemetry', Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32)],
  ])('rejects and counts %s (%s)', (reason, topic, payload) => {
    const { ingest, table } = setup();
    expect(ingest.handle(topic, payload, NOW)).toBe(reason);
    expect(ingest.rejected[reason as keyof typeof ingest.rejected]).toBe(1);
    expect(ingest.rejectedTotal).toBe(1);
    expect(ingest.accepted).toBe(0);
    expect(table.onlineTotal()).toBe(0);
  });

  it('keeps a reading older than the live window as history, not as live state', () => {
    const { ingest, table, history } = setup();
    const ts = NOW - 6 * 3600_000;
    expect(ingest.handle('ioc/v1/air/t-air-0001/telemetry', json({ ts, pm25: 12 }), NOW)).toBeNull();
    expect(ingest.history).toBe(1);
    expect(ingest.accepted).toBe(0);
    expect(table.online[table.indexOf('t-air-0001')!]).toBe(0);
    expect(history).toEqual([{ ts, v: { pm25: 12 } }]);
  });

  it('flattens camera intensity and passes violations on', () => {
    const { ingest, table, events } = setup();
    ingest.handle(
      'ioc/v1/camera/t-camera-0001/telemetry',
      json({ ts: NOW, windowSec: 60, intensity: { car: 300, motorbike: 900 }, averageVehicleSpeed: 42, occupancy: 0.2 }),
      NOW,
    );
    expect(table.values[table.indexOf('t-camera-0001')!]).toEqual({
      windowSec: 60,
      averageVehicleSpeed: 42,
      occupancy: 0.2,
      'intensity.car': 300,
      'intensity.motorbike': 900,
      intensity: 1200,
    });
    const ev = { ts: NOW, violation: 'redLight', plate: '76A-123.45', vehicleType: 'car' };
    expect(ingest.handle('ioc/v1/camera/t-camera-0001/event', json(ev), NOW)).toBeNull();
    expect(events).toEqual([ev]);
  });

  it('a status without ts (a last will) is accepted', () => {
    const { ingest, table } = setup();
    const i = table.indexOf('t-iot-0001')!;
    ingest.handle('ioc/v1/iot/t-iot-0001/telemetry', json({ ts: NOW, values: { power: 80 } }), NOW);
    expect(table.online[i]).toBe(1);
    expect(ingest.handle('ioc/v1/iot/t-iot-0001/status', json({ online: false }), NOW + 10)).toBeNull();
    expect(table.online[i]).toBe(0);
  });

  it('drops a re-sent reading (same device, same ts) as a duplicate, and nothing else', () => {
    const { ingest, table } = setup();
    const msg = json({ ts: NOW - 5000, pm25: 10 });
    expect(ingest.handle('ioc/v1/air/t-air-0001/telemetry', msg, NOW)).toBeNull();
    expect(ingest.handle('ioc/v1/air/t-air-0001/telemetry', msg, NOW)).toBe('duplicate');
    // The same timestamp from another device is not a duplicate.
    expect(ingest.handle('ioc/v1/hydro/t-hydro-0001/telemetry', json({ ts: NOW - 5000, waterLevel: 1 }), NOW)).toBeNull();
    // Older readings a device sent before (backfill) are still recognised a few readings later.
    for (let k = 1; k <= 3; k++) ingest.handle('ioc/v1/air/t-air-0001/telemetry', json({ ts: NOW - 5000 + k, pm25: 10 }), NOW);
    expect(ingest.handle('ioc/v1/air/t-air-0001/telemetry', msg, NOW)).toBe('duplicate');
    expect(ingest.rejected.duplicate).toBe(2);
    expect(ingest.accepted).toBe(5);
    expect(table.values[table.indexOf('t-air-0001')!]).toEqual({ pm25: 10 });
  });

  it('keeps at most `cap` recent rejects, newest first', () => {
    const { ingest } = setup(5);
    for (let k = 0; k < 12; k++) ingest.handle(`ioc/v1/air/ghost-${k}/telemetry`, json({ ts: NOW, pm25: 1 }), NOW + k);
    const recent = ingest.recentRejects();
    expect(recent).toHaveLength(5);
    expect(recent.map((r) => r.at)).toEqual([NOW + 11, NOW + 10, NOW + 9, NOW + 8, NOW + 7]);
    expect(ingest.rejected.unknownDevice).toBe(12);
  });

  it('never throws on garbage', () => {
    const { ingest } = setup();
    const garbage = [Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('null'), Buffer.from('"x"'), Buffer.from('{"ts":null}'), Buffer.alloc(0)];
    for (const g of garbage) expect(() => ingest.handle('ioc/v1/air/t-air-0001/telemetry', g, NOW)).not.toThrow();
    expect(ingest.rejectedTotal).toBe(garbage.length);
  });

  it('resolves each topic once and remembers only topics of registered devices (bounded by the registry)', () => {
    const { table, ingest } = setup();
    for (let k = 0; k < 2000; k++) {
      ingest.handle(`ioc/v1/air/ghost-${k}/telemetry`, json({ ts: NOW, pm25: 1 }), NOW);
      ingest.handle(`ioc/v1/iot/t-air-0001/telemetry`, json({ ts: NOW, values: {} }), NOW);
      ingest.handle(`not/a/topic/${k}`, json({}), NOW);
    }
    expect(ingest.routeCount).toBe(0);
    expect(ingest.rejected.unknownDevice).toBe(4000);
    for (let k = 0; k < 50; k++) {
      for (const id of ['t-air-0001', 't-camera-0001', 't-iot-0001', 't-hydro-0001']) {
        const type = id.split('-')[1];
        for (const ch of ['telemetry', 'status', 'event']) ingest.handle(`ioc/v1/${type}/${id}/${ch}`, json({ ts: NOW - k, online: true }), NOW);
      }
    }
    expect(ingest.routeCount).toBe(12);
    // One per device and channel: telemetry, status, event, forecast.
    expect(ingest.routeCap).toBe(table.size * 4);
    // A remembered topic still checks its payload.
    expect(ingest.handle('ioc/v1/air/t-air-0001/telemetry', json({ ts: NOW, pm25: -1 }), NOW)).toBe('schema');
    expect(ingest.handle('ioc/v1/air/t-air-0001/telemetry', Buffer.from('{'), NOW)).toBe('badJson');
  });

  it("takes a rain gauge's rain forecast without touching its device state, and refuses one that is not of the contract", () => {
    const table = new DeviceTable(makeRegistry({ rain: 1, hydro: 1 }).devices);
    const got: unknown[] = [];
    const ingest = new Ingest(table, { onRainForecast: (i, f) => got.push([i, f]) });
    const i = table.indexOf('t-rain-0001')!;
    const f = { ts: NOW - 60_000, stepMin: 60, precipitation: [0, 4.2, 12.5], source: 'Đài KTTV' };
    expect(ingest.handle('ioc/v1/rain/t-rain-0001/forecast', json(f), NOW)).toBeNull();
    expect(got).toEqual([[i, f]]);
    expect(table.online[i]).toBe(0);
    expect(table.values[i]).toBeUndefined();
    const bad: [string, unknown][] = [
      ['ioc/v1/rain/t-rain-0001/forecast', { ts: NOW, stepMin: 60, precipitation: [] }],
      ['ioc/v1/rain/t-rain-0001/forecast', { ts: NOW, stepMin: 5, precipitation: [1] }],
      ['ioc/v1/rain/t-rain-0001/forecast', { ts: NOW, stepMin: 60, precipitation: [-1] }],
      ['ioc/v1/rain/t-rain-0001/forecast', { ts: NOW, stepMin: 60, precipitation: Array.from({ length: 49 }, () => 1) }],
      ['ioc/v1/hydro/t-hydro-0001/forecast', { ts: NOW, stepMin: 60, precipitation: [1] }],
    ];
    for (const [topic, body] of bad) expect(ingest.handle(topic, json(body), NOW)).toBe('schema');
    expect(ingest.handle('ioc/v1/rain/t-rain-0001/forecast', json({ ...f, ts: NOW + 3_600_000 }), NOW)).toBe('futureTimestamp');
    expect(ingest.rejected.schema).toBe(bad.length);
    expect(got).toHaveLength(1);
  });
});
