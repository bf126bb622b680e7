import { readFileSync } from 'node:fs';
import net from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { registrySchema } from '../../shared/devices';
import { TELEMETRY_SCHEMAS, cameraEventSchema, parseTopic, statusSchema, type DeviceType } from '../../shared/mqtt';
import { startFleet, type Fleet, type FleetOptions } from './fleet';
import { makeDevice, makeRegistry } from './fixtures';
import { startTestBroker as startBroker } from './testBroker';

interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

async function subscribe(url: string): Promise<{ client: MqttClient; messages: Received[] }> {
  const client = await connectAsync(url, { clientId: `test-sub-${Math.random().toString(16).slice(2, 10)}` });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString(), retain: packet.retain }));
  await client.subscribeAsync('ioc/v1/#', { qos: 1 });
  return { client, messages };
}

async function waitFor(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Five devices, ids short enough for aedes's default 23-character client-id limit with the `sim-` prefix. */
const REGISTRY = makeRegistry([
  makeDevice('air-station', { id: 'qn-air-1', reportIntervalSec: 300 }),
  makeDevice('traffic-camera', { id: 'qn-cam-1', reportIntervalSec: 60 }),
  makeDevice('rain-gauge', { id: 'qn-rain-1', reportIntervalSec: 600 }),
  makeDevice('river-gauge', { id: 'qn-hydro-1', reportIntervalSec: 600 }),
  makeDevice('street-light', { id: 'qn-light-1', reportIntervalSec: 900 }),
]);
const IDS = REGISTRY.devices.map((d) => d.id);
/** At 900× a 15-minute interval takes one second. */
const SPEED = 900;

const lastStatus = (messages: Received[], id: string) => {
  const m = messages.filter((x) => parseTopic(x.topic)?.deviceId === id && x.topic.endsWith('/status')).at(-1);
  return m ? (JSON.parse(m.payload) as { online: boolean }) : undefined;
};

describe('startFleet against a real broker', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  async function setup(extra: Partial<FleetOptions> = {}) {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const sub = await subscribe(broker.url);
    cleanups.push(() => sub.client.endAsync(true));
    const lines: string[] = [];
    const fleet: Fleet = await startFleet({
      mqttUrl: broker.url,
      registry: REGISTRY,
      seed: 7,
      speed: SPEED,
      backfillHours: 0,
      log: (l) => lines.push(l),
      ...extra,
    });
    cleanups.push(() => fleet.close());
    return { broker, sub, fleet, lines };
  }

  it('announces every device online, publishes valid telemetry, and leaves them offline (retained) after close', async () => {
    const { broker, sub, fleet } = await setup();
    await waitFor(() => IDS.every((id) => lastStatus(sub.messages, id)?.online === true), 3000, 'online statuses');
    await waitFor(
      () => IDS.every((id) => sub.messages.some((m) => m.topic.endsWith(`/${id}/telemetry`))),
      3000,
      'telemetry from every device',
    );
    for (const m of sub.messages) {
      const topic = parseTopic(m.topic);
      expect(topic).not.toBeNull();
      const body: unknown = JSON.parse(m.payload);
      const schema =
        topic!.channel === 'status'
          ? statusSchema
          : topic!.channel === 'event'
            ? cameraEventSchema
            : TELEMETRY_SCHEMAS[topic!.type as DeviceType];
      expect(schema.safeParse(body).error?.issues, m.topic).toBeUndefined();
      if (topic!.channel !== 'status') {
        // Timestamps are wall-clock, so the server takes them as live even at 900×.
        const ts = (body as { ts: number }).ts;
        expect(Math.abs(ts - Date.now())).toBeLessThan(120_000);
      }
    }
    const online = sub.messages.find((m) => m.topic === 'ioc/v1/rain/qn-rain-1/status')!;
    expect(JSON.parse(online.payload)).toMatchObject({ online: true, firmware: expect.any(String), rssi: expect.any(Number), battery: expect.any(Number) });
    const stats = fleet.stats();
    expect(stats).toMatchObject({ devices: 5, connected: 5, errors: 0 });
    expect(stats.published).toBeGreaterThanOrEqual(10);
    expect(stats.ratePerSec).toBeGreaterThan(0);

    const started = Date.now();
    await fleet.close();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(fleet.stats().connected).toBe(0);
    // A newcomer sees the retained status of each device: offline.
    const late = await subscribe(broker.url);
    cleanups.push(() => late.client.endAsync(true));
    await waitFor(() => IDS.every((id) => lastStatus(late.messages, id) !== undefined), 2000, 'retained statuses');
    for (const id of IDS) {
      const retained = late.messages.filter((m) => m.topic.endsWith(`/${id}/status`));
      expect(retained).toHaveLength(1);
      expect(retained[0]!.retain).toBe(true);
      // With a ts: the fleet said so itself on a clean disconnect (the will has none).
      expect(JSON.parse(retained[0]!.payload)).toEqual({ online: false, ts: expect.any(Number) });
    }
    // Nothing more is published after close.
    const count = sub.messages.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.messages.length).toBe(count);
  });

  it('backfills the environmental stations first: past readings, oldest first, acknowledged before any live report', async () => {
    const started = Date.now();
    const { sub, fleet, lines } = await setup({ backfillHours: 1 });
    const bf = await fleet.backfilled();
    // 1 h at 5 min for the air station; rain and river gauges report every 10 min, so every 10 min.
    expect(bf).toMatchObject({ devices: 3, done: 3, total: 12 + 6 + 6, sent: 24 });
    expect(lines.some((l) => /^backfilled 1 h for 3 devices: 24 readings in/.test(l))).toBe(true);
    const live = (id: string) => sub.messages.some((m) => m.topic.endsWith(`/${id}/telemetry`) && (JSON.parse(m.payload) as { ts: number }).ts >= started);
    await waitFor(() => ['qn-air-1', 'qn-rain-1', 'qn-hydro-1', 'qn-cam-1'].every(live), 3000, 'live telemetry');
    for (const [id, step, n] of [['qn-air-1', 300_000, 12], ['qn-rain-1', 600_000, 6], ['qn-hydro-1', 600_000, 6]] as const) {
      const ts = sub.messages.filter((m) => m.topic.endsWith(`/${id}/telemetry`)).map((m) => (JSON.parse(m.payload) as { ts: number }).ts);
      const history = ts.filter((t) => t < started);
      expect(history, id).toHaveLength(n);
      // All history first, then live: the server's rain ring refuses anything older than what it holds.
      expect(ts.slice(0, n), id).toEqual(history);
      for (let k = 1; k < ts.length; k++) expect(ts[k]!, id).toBeGreaterThan(ts[k - 1]!);
      expect(history[0]!, id).toBeGreaterThanOrEqual(started - 3_600_000 - step);
      expect(history[1]! - history[0]!, id).toBe(step);
    }
    const rain = sub.messages.filter((m) => m.topic === 'ioc/v1/rain/qn-rain-1/telemetry').map((m) => JSON.parse(m.payload) as { intervalSec: number });
    expect(rain.slice(0, 6).every((r) => r.intervalSec === 600)).toBe(true);
    for (const id of ['qn-cam-1', 'qn-light-1']) {
      const past = sub.messages.filter((m) => m.topic.endsWith(`/${id}/telemetry`) && (JSON.parse(m.payload) as { ts: number }).ts < started - 1000);
      expect(past, id).toEqual([]);
    }
  });

  it("sends a rehearsal's learning period once live, and its clock says backfilling until all of it is acknowledged", async () => {
    const qng = registrySchema.parse(JSON.parse(readFileSync(new URL('../../shared/provinces/quang-ngai/devices.json', import.meta.url), 'utf8')));
    const basin = (JSON.parse(readFileSync(new URL('../../shared/provinces/quang-ngai/basins.json', import.meta.url), 'utf8')) as { gauges: { gaugeId: string; rainGauges: string[] }[] }).gauges[0]!;
    const ids = [basin.gaugeId, basin.rainGauges[0]!];
    const simStart = Date.UTC(2026, 9, 20);
    const { sub, fleet, lines } = await setup({ registry: qng, include: (d) => ids.includes(d.id), rehearsal: true, simStart, learnDays: 3, scenario: 'normal-day' });
    const learnt = await fleet.learnt();
    // Days 3 to 2 before the start, every 15 minutes, at each of the two.
    expect(learnt).toMatchObject({ devices: 2, done: 2, total: 2 * 96, sent: 2 * 96 });
    expect(lines.some((l) => /^sent the 3-day learning period for 2 devices: 192 readings in/.test(l))).toBe(true);
    const clocks = () => sub.messages.filter((m) => m.topic === 'ioc/v1/sim/clock' && m.payload !== '').map((m) => (JSON.parse(m.payload) as { backfilling: boolean }).backfilling);
    await waitFor(() => clocks().includes(false), 3000, 'a clock saying the history is sent');
    expect(clocks()[0]).toBe(true);
    expect(clocks().indexOf(false)).toBeGreaterThan(0);
    expect(clocks().slice(clocks().indexOf(false))).not.toContain(true);
    for (const id of ids) {
      const ts = sub.messages.filter((m) => m.topic.endsWith(`/${id}/telemetry`)).map((m) => (JSON.parse(m.payload) as { ts: number }).ts);
      const learning = ts.filter((t) => t < simStart - 2 * 24 * 3_600_000);
      expect(learning, id).toHaveLength(96);
      expect(learning, id).toEqual([...learning].sort((a, b) => a - b));
    }
    const forecasts = sub.messages.filter((m) => m.topic === `ioc/v1/rain/${ids[1]}/forecast`).map((m) => (JSON.parse(m.payload) as { ts: number }).ts);
    expect(forecasts.filter((t) => t < simStart - 2 * 24 * 3_600_000)).toHaveLength(24);
  });

  it('paces the backfill at the given rate', async () => {
    const { fleet } = await setup({ backfillHours: 1, backfillRate: 30 });
    const bf = await fleet.backfilled();
    // 24 readings at 30/s, less the 100 ms burst allowance: at least 0.6 s.
    expect(bf.sent).toBe(24);
    expect(bf.durationMs!).toBeGreaterThan(600);
  });

  it('a device whose connection dies abruptly gets its last will published', async () => {
    const { broker, sub } = await setup();
    await waitFor(() => IDS.every((id) => lastStatus(sub.messages, id)?.online === true), 3000, 'online statuses');
    const victim = broker.clients.get('sim-qn-cam-1');
    expect(victim).toBeDefined();
    victim!.conn.destroy();
    await waitFor(() => lastStatus(sub.messages, 'qn-cam-1')?.online === false, 2000, 'the will');
    const will = sub.messages.filter((m) => m.topic === 'ioc/v1/camera/qn-cam-1/status').at(-1)!;
    expect(JSON.parse(will.payload)).toEqual({ online: false });
    expect(lastStatus(sub.messages, 'qn-air-1')?.online).toBe(true);
  });

  it('keeps running while the broker is gone and closes promptly', async () => {
    const { broker, fleet } = await setup();
    await waitFor(() => fleet.stats().connected === 5, 3000, 'connections');
    await broker.close();
    await waitFor(() => fleet.stats().connected === 0, 2000, 'disconnects');
    await new Promise((r) => setTimeout(r, 400));
    expect(fleet.stats().dropped).toBeGreaterThan(0);
    const started = Date.now();
    await fleet.close();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('starts against an unreachable broker without throwing, counts the errors and closes promptly', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const lines: string[] = [];
    const fleet = await startFleet({ mqttUrl: `mqtt://127.0.0.1:${port}`, registry: REGISTRY, log: (l) => lines.push(l) });
    cleanups.push(() => fleet.close());
    await waitFor(() => fleet.stats().errors >= 5, 2000, 'connection errors');
    expect(fleet.stats().connected).toBe(0);
    // One line per distinct error, not one per device.
    expect(lines.filter((l) => l.includes('ECONNREFUSED'))).toHaveLength(1);
    const started = Date.now();
    await fleet.close();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('closes promptly while handshakes hang on a broker that accepts but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as net.AddressInfo;
    const fleet = await startFleet({ mqttUrl: `mqtt://127.0.0.1:${port}`, registry: REGISTRY, concurrency: 2 });
    await waitFor(() => sockets.size === 2, 2000, 'two handshakes');
    await new Promise((r) => setTimeout(r, 300));
    // Bounded concurrency: the other three wait their turn.
    expect(sockets.size).toBe(2);
    const started = Date.now();
    await fleet.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(fleet.stats().connected).toBe(0);
  });

  it('rejects a bad URL and bad speed up front', async () => {
    await expect(startFleet({ mqttUrl: 'not a url', registry: REGISTRY })).rejects.toThrow(/not a URL/);
    await expect(startFleet({ mqttUrl: 'http://localhost:1883', registry: REGISTRY })).rejects.toThrow(/protocol/);
    await expect(startFleet({ mqttUrl: 'mqtt://localhost', registry: REGISTRY, speed: 0 })).rejects.toThrow(/speed/);
  });

  it('publishes only the included devices', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const sub = await subscribe(broker.url);
    cleanups.push(() => sub.client.endAsync(true));
    const fleet = await startFleet({
      mqttUrl: broker.url,
      registry: REGISTRY,
      speed: SPEED,
      include: (d) => d.type === 'camera',
    });
    cleanups.push(() => fleet.close());
    await waitFor(() => sub.messages.some((m) => m.topic.endsWith('/telemetry')), 2000, 'telemetry');
    expect(fleet.stats().devices).toBe(1);
    expect(new Set(sub.messages.map((m) => parseTopic(m.topic)?.deviceId))).toEqual(new Set(['qn-cam-1']));
  });
});
