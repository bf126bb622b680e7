/**
 * Builds the whole IOC from a config and returns something closable (STYLE.md 7). Nothing
 * starts at import time. Port 0 gives a random free port (tests); only main.ts picks real ports.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { DEFAULT_TICK_MS } from '../shared/protocol';
import { SUBSCRIBE_TOPIC } from '../shared/mqtt';
import { DEFAULT_PROVINCE, type ProvinceSlug } from '../shared/provinces';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded';
import { DeviceTable } from './devices/deviceTable';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AlarmService } from './alarms/service';
import { incidentSignal, offlineSignal, stationSignals } from './alarms/signals';
import { EnvironmentService } from './domain/env/environment';
import { readSegmentsFile } from './domain/traffic/buildSegments';
import { TrafficService, tableLookup } from './domain/traffic/trafficService';
import { Ingest } from './ingest/ingest';
import { startMqttSource, type MqttSource } from './ingest/mqttSource';
import { RateMeter } from './ingest/rateMeter';
import { buildHttp } from './http/routes';
import { createLogger, type Logger } from './log';
import { loadProvince, type ProvinceData } from './provinces/load';
import { RealtimeHub } from './realtime/hub';

export interface AppConfig {
  /** HTTP + Socket.IO port; 0 picks a free one. */
  port: number;
  host: string;
  province: ProvinceSlug;
  mqtt: {
    /** An external broker; when absent an embedded aedes broker is started. */
    url?: string;
    /** Port of the embedded broker; 0 picks a free one. */
    port: number;
    clientId?: string;
  };
  /** Run the built-in simulator fleet against the broker. */
  simulate: false | { speed?: number; seed?: number; simStart?: number };
  tickMs: number;
  /** Folder of the built client to serve (index.html for /, /m, /console). */
  clientDist?: string;
  /** Where the alarm database lives; absent: an in-memory database (tests). */
  dataDir?: string;
  logger?: Logger;
  now?: () => number;
}

export interface App {
  url: string;
  port: number;
  mqttUrl: string;
  province: ProvinceData;
  table: DeviceTable;
  ingest: Ingest;
  traffic: TrafficService;
  alarms: AlarmService;
  hub: RealtimeHub;
  http: HttpServer;
  close(): Promise<void>;
}

/** Library defaults: loopback and free ports. main.ts sets the real ones (8080, 1883) from the environment. */
export const DEFAULT_CONFIG: AppConfig = {
  port: 0,
  host: '127.0.0.1',
  province: DEFAULT_PROVINCE,
  mqtt: { port: 0 },
  simulate: false,
  tickMs: DEFAULT_TICK_MS,
};

interface Closable {
  close(): Promise<void>;
}

export async function createApp(overrides: Partial<AppConfig> = {}): Promise<App> {
  const cfg: AppConfig = { ...DEFAULT_CONFIG, ...overrides, mqtt: { ...DEFAULT_CONFIG.mqtt, ...overrides.mqtt } };
  const log = cfg.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn');
  const now = cfg.now ?? Date.now;
  const startedAt = now();
  // Closed in reverse order of opening, also when start-up fails half-way.
  const closables: Closable[] = [];
  const closeAll = async () => {
    for (const c of closables.splice(0).reverse()) {
      try {
        await c.close();
      } catch (err) {
        log.warn({ err }, 'error while closing');
      }
    }
  };

  try {
    const province = loadProvince(cfg.province);
    const table = new DeviceTable(province.registry.devices, { missedReports: province.alarmTimings.offline.missedReports });
    const env = new EnvironmentService(province.registry.devices);
    const segments = readSegmentsFile(cfg.province).segments;
    const traffic = new TrafficService(segments, province.registry.devices, tableLookup(table));
    mkdirIfNeeded(cfg.dataDir);
    const alarms = new AlarmService({
      dbPath: cfg.dataDir ? path.join(cfg.dataDir, `alarms-${cfg.province}.sqlite`) : ':memory:',
      now,
      storm: province.alarmTimings.storm,
      escalation: province.alarmTimings.escalation,
      onStoreError: (err) => log.error({ err }, 'alarm store write failed'),
    });
    closables.push(alarms);
    const devices = province.registry.devices;
    table.onTransition = (i, online, at) => alarms.push(offlineSignal(devices[i]!, online, at));
    const ingest = new Ingest(table, {
      onTelemetry: (i, _type, ts, values) => env.onTelemetry(i, ts, values, now()),
      onCameraEvent: (i, event) => traffic.onCameraEvent(province.registry.devices[i]!.id, event, now()),
    });
    const rate = new RateMeter();

    let broker: EmbeddedBroker | undefined;
    let mqttUrl = cfg.mqtt.url;
    if (!mqttUrl) {
      broker = await startEmbeddedBroker(cfg.mqtt.port, cfg.host);
      closables.push(broker);
      mqttUrl = broker.url;
      log.info({ url: mqttUrl }, 'embedded MQTT broker listening');
    }

    // Set once the MQTT client exists; the hub and health ask it for the connection state.
    const mqttRef: { current?: MqttSource } = {};
    // Express is the server's request handler from the start, so Socket.IO (attached next) can
    // take /socket.io/ requests before it: a handler added later would answer them twice.
    const handler: { current?: (req: IncomingMessage, res: ServerResponse) => void } = {};
    const http = createServer((req, res) => handler.current?.(req, res));
    const everyTicks = Math.max(1, Math.round(1000 / cfg.tickMs));
    const hub = new RealtimeHub(
      http,
      { table, ingest, rate, env, traffic, alarms, registryVersion: province.registryVersion, mqtt: () => ({ connected: mqttRef.current?.connected() ?? false }) },
      {
        tickMs: cfg.tickMs,
        mobileEveryTicks: everyTicks,
        now,
        beforeFrame: (t, tick) => {
          env.flush(t, (i) => {
            table.touch(i);
            const x = env.derived(i);
            if (x) for (const sig of stationSignals(devices[i]!, x, t)) alarms.push(sig);
          });
          // Segments and incidents move on a scale of minutes: once a second is plenty.
          if (tick % everyTicks === 0) {
            const ch = traffic.update(t);
            for (const inc of [...ch.opened, ...ch.closed]) alarms.push(incidentSignal(inc, traffic.communeOfSegment(inc.segmentId), t));
          }
          alarms.tick(t);
        },
      },
    );
    const express = buildHttp({
      province,
      table,
      ingest,
      rate,
      tickMs: cfg.tickMs,
      mqttConnected: () => mqttRef.current?.connected() ?? false,
      startedAt,
      now,
      clientDist: cfg.clientDist,
      env,
      traffic,
      segments,
      alarms,
      extraHealth: () => ({ realtime: hub.stats(), broker: broker ? { clients: broker.connectedClients() } : undefined }),
    });
    handler.current = express;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(cfg.port, cfg.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    closables.push({
      close: () =>
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        }),
    });
    // Closed before the HTTP server: upgraded WebSocket connections are not the server's to end.
    closables.push(hub);
    const port = (http.address() as AddressInfo).port;

    const onMessage = (topic: string, payload: Buffer) => {
      const t = now();
      if (ingest.handle(topic, payload, t) === null) rate.add(t);
    };
    // With the embedded broker the ingest takes messages straight off its bus; with an external
    // one it is an MQTT client (QoS 1, persistent session).
    const mqtt = broker
      ? await broker.subscribeInProcess(SUBSCRIBE_TOPIC, onMessage)
      : await startMqttSource(mqttUrl, cfg.mqtt.clientId ?? `ioc-server-${cfg.province}-${hostname()}-${port}`, onMessage, log);
    mqttRef.current = mqtt;
    closables.push(mqtt);
    hub.start();

    if (cfg.simulate) {
      // The one place the server composes the simulator in: `npm start` runs the fleet in-process.
      const { startFleet } = await import('../simulators/fleet/fleet');
      const fleet = await startFleet({
        mqttUrl,
        registry: province.registry,
        speed: cfg.simulate.speed,
        seed: cfg.simulate.seed,
        simStart: cfg.simulate.simStart,
        log: (line: string) => log.info(line),
      });
      closables.push(fleet);
    }

    const urlHost = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host;
    return {
      url: `http://${urlHost}:${port}`,
      port,
      mqttUrl,
      province,
      table,
      ingest,
      traffic,
      alarms,
      hub,
      http,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

function mkdirIfNeeded(dir: string | undefined): void {
  if (dir) mkdirSync(dir, { recursive: true });
}
