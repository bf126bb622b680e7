/**
 * Issue 16: two instances on real PostgreSQL, Redis and Mosquitto behind nginx (`npm run cluster`'s own
 * startCluster, without the fleet). A reading published once is taken by one instance, stored once and reaches
 * walls on both; an alarm raised by the leader shows on both, an acknowledgement raced through both applies once
 * and reaches the other's walls; killing the leader (SIGKILL) moves the leader lock and its clients to the other
 * instance within 5 s, and no reading published across the kill is lost (the other instance adopts the killed
 * one's ingest session); restarted, the killed instance takes its session back and rejoins without a gap.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../../shared/mqtt';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { readCredentialsFile } from '../../server/broker/gatewayFile';
import { findClusterBinaries } from '../../server/cluster/local/binaries';
import { startCluster, type Cluster } from '../../server/cluster/local/cluster';
import { signalGroup } from '../../server/cluster/local/parts';
import { loadRegistry } from '../../server/provinces/load';
import { expectEveryReadingStored, feedGauges } from '../support/gaugeFeed';
import { connectMqtt, subscribe, waitFor, type TestSocket } from '../support/harness';
import { freePort } from '../support/ports';
import { logIn, type TestSession } from '../support/session';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let cluster: Cluster | undefined;
let dir = '';
let mqtt: MqttClient | undefined;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  const found = findClusterBinaries();
  if (!found.ok) throw new Error(`the cluster test needs ${found.missing.join(', ')}: ${found.install}`);
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-cluster-'));
  cluster = await startCluster({ root: ROOT, dir, port: await freePort(), instances: 2, province: 'quang-ngai', fleet: false, bins: found.bins, env: { ...process.env, LOG_LEVEL: 'warn' }, print: () => undefined });
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await mqtt?.endAsync(true).catch(() => undefined);
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

interface Health {
  instance: string;
  ingest: { accepted: number };
  leadership: { leader: boolean };
  cluster: { sessions?: { own: boolean; adopted: string[]; adoptions: number }; acks?: { held: number; early: number } };
  store: { writer: { queued: number; dropped: number }; tickBuffer: { dropped: number } };
}

describe('two instances behind nginx', () => {
  it('store a reading once and show it on both; decide an alarm once; survive the leader being killed', { timeout: 120_000 }, async () => {
    const c = cluster!;
    const inst = c.parts.filter((p) => p.name.startsWith('ioc-'));
    expect(inst.map((p) => p.name)).toEqual(['ioc-a', 'ioc-b']);
    const urls = inst.map((p) => /http:\/\/[\d.]+:\d+/.exec(p.where)![0]);
    const password = readFileSync(path.join(dir, 'admin-password'), 'utf8').trim();
    // One login: the session lives in PostgreSQL and is good on every instance.
    const admin = await logIn(urls[0]!, 'admin', password);
    const on = (s: TestSession, url: string) => ({ get: async <T>(p: string) => (await (await s.fetch(`${url}${p}`)).json()) as T });
    const health = (k: number) => on(admin, urls[k]!).get<Health>('/api/health');
    const wall = async (url: string) => {
      const s = io(url, { transports: ['websocket'], auth: { protocolVersion: PROTOCOL_VERSION }, reconnection: false, forceNew: true, extraHeaders: { cookie: admin.cookie } }) as TestSocket;
      sockets.push(s);
      return subscribe(s, 'wall');
    };
    const walls = [await wall(urls[0]!), await wall(urls[1]!)];

    // One reading, published once: one instance takes it, both walls show it, the store has it once.
    const hydro = loadRegistry('quang-ngai').registry.devices.find((d) => d.type === 'hydro')!;
    const bd3 = hydro.props!.bd3 as number;
    mqtt = await connectMqtt(c.parts.find((p) => p.name === 'mosquitto')!.where, { clientId: 'cluster-test', ...readCredentialsFile(path.join(dir, 'mosquitto', 'gateway.json')) });
    const before = await Promise.all([health(0), health(1)]);
    const ts = Date.now();
    await mqtt.publishAsync(topicFor('hydro', hydro.id, 'telemetry'), JSON.stringify({ ts, waterLevel: bd3 + 0.6 }), { qos: 1 });
    for (const w of walls) await waitFor('the reading on both walls', () => w.deltas.some((d) => JSON.stringify(d).includes(String(ts))), 10_000);
    const after = await Promise.all([health(0), health(1)]);
    expect(after[0]!.ingest.accepted - before[0]!.ingest.accepted + after[1]!.ingest.accepted - before[1]!.ingest.accepted).toBe(1);
    // Written between ticks by the instance that took it: asked through the other one.
    const stored = () => on(admin, urls[1]!).get<{ points: { ts: number }[] }>(`/api/devices/${hydro.id}/readings?from=${ts - 1000}&to=${ts + 1000}&bucket=raw`);
    expect(await waitFor('the reading in the store', async () => ((await stored()).points.length > 0 ? (await stored()).points.map((p) => p.ts) : undefined), 5_000)).toEqual([ts]);

    // The river above BĐ III: the leader raises one alarm; both instances list it.
    type Page = { items: { id: number; source: string; state: string }[] };
    const alarmOf = async (k: number) => (await on(admin, urls[k]!).get<Page>(`/api/alarms?state=open&limit=500`)).items.find((a) => a.source === hydro.id);
    const raised = await waitFor('the alarm on instance b', () => alarmOf(1), 15_000);
    expect((await alarmOf(0))?.id).toBe(raised.id);

    // Acknowledged through both at once: one applies, the other is refused; b's wall hears of it.
    const ack = (k: number) => admin.fetch(`${urls[k]}/api/alarms/${raised.id}/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'cụm thử' }) });
    const statuses = (await Promise.all([ack(0), ack(1)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    await waitFor("the acknowledgement on b's wall", () => walls[1]!.deltas.some((d) => JSON.stringify(d.alarms ?? {}).includes('"acknowledged"')), 5_000);

    // Kill the leader hard: the lock moves, and a wall that was on it through nginx is live again within 5 s.
    const leader = (await Promise.all([health(0), health(1)])).findIndex((h) => h.leadership.leader);
    expect(leader).toBeGreaterThanOrEqual(0);
    const other = 1 - leader;
    // Two walls through nginx (round robin: one on each instance), both resubscribing on every reconnect.
    let killedAt = 0;
    const resumed = [0, 0];
    const viaNginx = [0, 1].map((k) => {
      const s = io(c.url, { transports: ['websocket'], auth: { protocolVersion: PROTOCOL_VERSION }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 500, extraHeaders: { cookie: admin.cookie } }) as TestSocket;
      sockets.push(s);
      s.on('connect', () => void s.timeout(5000).emitWithAck('view:subscribe', { view: 'wall' }).catch(() => undefined));
      s.on('view:delta', () => {
        if (killedAt > 0 && resumed[k] === 0) resumed[k] = Date.now();
      });
      return s;
    });
    await waitFor('two walls through nginx', () => viaNginx.every((s) => s.connected));
    // Readings all along the kill: five river gauges, each every 50 ms, QoS 1, below every alarm level. Both
    // instances take a share; the one killed holds acknowledgements for what it has not stored yet.
    const gauges = loadRegistry('quang-ngai')
      .registry.devices.filter((d) => d.type === 'hydro')
      .slice(2, 7);
    const feed = feedGauges(mqtt, gauges, 50);
    await new Promise((r) => setTimeout(r, 1500));
    killedAt = Date.now();
    signalGroup(inst[leader]!.pid, 'SIGKILL');
    await waitFor('a delta on both walls through nginx after the kill', () => resumed.every((t) => t > 0), 10_000);
    expect(Math.max(...resumed) - killedAt).toBeLessThanOrEqual(5_000);
    await waitFor('the other instance leading', async () => (await health(other)).leadership.leader, 15_000);
    // The instance left adopts the killed one's ingest session: what it had not acknowledged comes again.
    const killedName = inst[leader]!.name;
    await waitFor('the killed instance session adopted', async () => ((await health(other)).cluster.sessions?.adopted.length ?? 0) === 1, 15_000);
    const scraped = await (await admin.fetch(`${urls[other]}/metrics`)).text();
    expect(scraped).toMatch(/^ioc_ingest_sessions_adopted\{[^}]*\} 1$/m);
    expect(scraped).toMatch(/^ioc_ingest_acks_early_total\{[^}]*\} 0$/m);
    await new Promise((r) => setTimeout(r, 1500));
    await feed.stop();
    await waitFor('the writer drained', async () => (await health(other)).store.writer.queued === 0, 15_000);
    const left = await health(other);
    expect(left.store.writer.dropped).toBe(0);
    expect(left.store.tickBuffer.dropped).toBe(0);
    expect(left.cluster.acks?.early).toBe(0);
    // Every reading published, before, across and after the kill, is in the store, once.
    const total = await expectEveryReadingStored(admin, urls[other]!, feed.published);
    expect(total).toBeGreaterThan(150);
    // The alarm is still there, acknowledged once, on the instance left.
    expect(await alarmOf(other)).toMatchObject({ id: raised.id, state: 'acknowledged' });

    // The killed instance restarts and rejoins without a gap: what the other took while it was down is in its
    // state from the store (the warm start), and what comes after reaches it again (the shared subscription and
    // the relay). Readings of another gauge, one a minute, the last ten minutes, published while it is down.
    const registryDevices = loadRegistry('quang-ngai').registry.devices;
    const gauge = registryDevices.filter((d) => d.type === 'hydro')[1]!;
    const gaugeIndex = registryDevices.indexOf(gauge);
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    for (let k = 0; k <= 10; k++) await mqtt.publishAsync(topicFor('hydro', gauge.id, 'telemetry'), JSON.stringify({ ts: t0 + k * 60_000, waterLevel: 2 + k / 10 }), { qos: 1 });
    const inGap = () => on(admin, urls[other]!).get<{ points: { ts: number }[] }>(`/api/devices/${gauge.id}/readings?from=${t0}&to=${t0 + 10 * 60_000 + 1}&bucket=raw`);
    await waitFor('the gap stored by the instance left', async () => ((await inGap()).points.length === 11 ? true : undefined), 10_000);
    const restarted = await c.restartInstance(killedName);
    expect(restarted.exit).toBeNull();
    // Its session back: the broker ends the adoption, and it holds its own session's lock again.
    await waitFor('the session handed back', async () => {
      const [h, o] = await Promise.all([health(leader), health(other)]);
      return h.cluster.sessions?.own === true && o.cluster.sessions?.adopted.length === 0;
    }, 15_000);
    const back = await wall(urls[leader]!);
    const snap = back.snapshot as { devices: { i: number; ts: number; v?: Record<string, number> }[]; hydrographs?: { i: number; points: [number, number][] }[] };
    expect(snap.devices.find((d) => d.i === gaugeIndex)).toMatchObject({ ts: t0 + 10 * 60_000, v: { waterLevel: 3 } });
    const curve = snap.hydrographs!.find((h) => h.i === gaugeIndex)!.points;
    expect(curve.some(([t]) => t >= t0 && t <= t0 + 10 * 60_000)).toBe(true);
    // Rejoined: a reading published now reaches its wall, whichever instance takes it.
    const next = Date.now();
    await mqtt.publishAsync(topicFor('hydro', gauge.id, 'telemetry'), JSON.stringify({ ts: next, waterLevel: 3.2 }), { qos: 1 });
    await waitFor('a new reading on the restarted instance', () => back.deltas.some((d) => JSON.stringify(d).includes(String(next))), 10_000);
  });
});
