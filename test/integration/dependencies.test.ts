/**
 * Issue 16: /api/health names the instance and the state of each dependency it uses; a dependency going down
 * makes the health 'degraded', reaches the live views' frames and /metrics, and clears by itself when it
 * comes back. The dependency that fails here is the reading store (the one a lone instance can lose);
 * PostgreSQL and Redis go through the same module (server/cluster/dependencies.test.ts).
 */
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import type { ReadingStore } from '../../server/store/readings/port';
import { openSqliteReadingStore } from '../../server/store/readings/sqliteEngine';
import type { ViewDelta } from '../../shared/events';
import type { HealthResponse } from '../../shared/health';
import { makeAirPayload } from '../support/factories';
import { connectMqtt, connectSocket, getJson, startTestApp, subscribe, waitFor, type TestSocket } from '../support/harness';
import { authFetch } from '../support/session';

let app: App | undefined;
let pub: MqttClient | undefined;
let sock: TestSocket | undefined;

afterEach(async () => {
  sock?.disconnect();
  await pub?.endAsync(true);
  await app?.close();
  app = pub = sock = undefined;
});

/** An in-memory SQLite store whose writes fail while `broken` is set (a full disk, a lost database). */
async function breakableStore(): Promise<{ store: ReadingStore; set: (broken: boolean) => void }> {
  const inner = await openSqliteReadingStore({ file: ':memory:' });
  let broken = false;
  const store: ReadingStore = {
    append: (batch) => (broken ? Promise.reject(new Error('SQLITE_FULL: database or disk is full')) : inner.append(batch)),
    range: (...a) => inner.range(...a),
    rangeBucketed: (...a) => inner.rangeBucketed(...a),
    rangeBucketedMany: (...a) => inner.rangeBucketedMany(...a),
    latestAt: (...a) => inner.latestAt(...a),
    exportRange: (...a) => inner.exportRange(...a),
    prune: (...a) => inner.prune(...a),
    sizeBytes: () => inner.sizeBytes(),
    coverage: () => inner.coverage(),
    close: () => inner.close(),
  };
  return { store, set: (b) => (broken = b) };
}

const metric = (text: string, line: string) => text.split('\n').find((l) => l.startsWith(line))?.split(' ').pop();

describe('dependencies', () => {
  it('lists what a lone instance uses, says which instance answered, and reports a failing store until it recovers', async () => {
    const { store, set } = await breakableStore();
    app = await startTestApp({ instance: 'ioc-a' }, { readingStore: store });
    const health = () => getJson<HealthResponse & { leadership: { leader: boolean } }>(`${app!.url}/api/health`);

    const fine = await health();
    expect(fine).toMatchObject({ status: 'ok', instance: 'ioc-a', leadership: { leader: true } });
    expect(fine.dependencies).toEqual([
      { name: 'mqtt', ok: true, detail: 'embedded broker: connected', since: null },
      { name: 'store', ok: true, detail: 'custom: writing; 0/200000 rows queued', since: null },
    ]);

    sock = connectSocket(app.url);
    const wall = await subscribe(sock, 'wall');
    expect(wall.snapshot).not.toHaveProperty('degraded');

    // The store breaks; a reading reaches the writer at the next tick and its write fails.
    set(true);
    const before = Date.now();
    const device = app.province.registry.devices.find((d) => d.type === 'air')!;
    pub = await connectMqtt(app.mqttUrl);
    await pub.publishAsync(`ioc/v1/air/${device.id}/telemetry`, makeAirPayload(), { qos: 1 });
    await waitFor('the reading taken', () => app!.ingest.accepted === 1);
    app.tick();
    const down = await waitFor('the store reported down', async () => {
      const h = await health();
      return h.status === 'degraded' ? h : undefined;
    });
    const store1 = down.dependencies.find((d) => d.name === 'store')!;
    expect(store1).toMatchObject({ ok: false, detail: 'custom: writes failing (SQLITE_FULL: database or disk is full); 3/200000 rows queued' });
    expect(store1.since).toBeGreaterThanOrEqual(before);
    expect(store1.since).toBeLessThanOrEqual(Date.now());
    expect(down.dependencies.find((d) => d.name === 'mqtt')!.ok).toBe(true);

    // The views learn it with the next frame; /metrics says it too.
    app.tick();
    const degraded = await waitFor('a frame saying the store is down', () => wall.deltas.map((d: ViewDelta) => d.degraded).find((x) => x !== undefined));
    expect(degraded).toEqual([{ name: 'store', since: store1.since }]);
    const text = await (await authFetch(`${app.url}/metrics`)).text();
    expect(metric(text, 'ioc_dependency_up{dependency="store"')).toBe('0');
    expect(metric(text, 'ioc_dependency_up{dependency="mqtt"')).toBe('1');

    // The store comes back: the writer's retry (a second later) succeeds and everything clears by itself.
    set(false);
    await waitFor('the store back', async () => (await health()).status === 'ok', 5_000);
    const n = wall.deltas.length;
    app.tick();
    await waitFor('a frame after recovery', () => wall.deltas.length > n);
    expect(wall.deltas.at(-1)).not.toHaveProperty('degraded');
    expect((await health()).dependencies.every((d) => d.ok && d.since === null)).toBe(true);
  });
});
