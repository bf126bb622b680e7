/**
 * Builds the whole IOC from a config and its parts, and returns something closable (STYLE.md 7, 20).
 * Nothing starts at import time. Port 0 gives a random free port (tests); only main.ts picks real ports
 * and composes the production parts (the simulator fleet runs beside the server, not inside it).
 *
 * The flow, one direction: broker → pipeline.receive (ingest: validate once; domains: mark state) →
 * every tick pipeline.tick (server/pipeline.ts: the order of everything) → hub.publish (one frame per view).
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TICK_MS } from '../shared/protocol';
import { SUBSCRIBE_TOPIC } from '../shared/mqtt';
import { DEFAULT_PROVINCE, type ProvinceSlug } from '../shared/provinces';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded';
import { BrokerGuard, GATEWAY_USERNAME, type MqttCredentials } from './broker/guard';
import { DeviceCredentials, newSecret } from './security/deviceCredentials';
import { DeviceTable } from './devices/deviceTable';
import { AlarmService } from './alarms/service';
import { AlarmHealthCache } from './alarms/health';
import { EnvironmentService } from './domain/env/environment';
import { ForecastService } from './domain/forecast/service';
import { TomorrowService } from './domain/air/tomorrowService';
import type { CommuneRiskService } from './domain/risk/communeRisk';
import type { FireDangerService } from './domain/fire/fireDangerService';
import { TrafficService, tableLookup } from './domain/traffic/trafficService';
import type { Ingest } from './ingest/ingest';
import { adoptSession, startMqttSource, type MqttSource } from './ingest/mqttSource';
import { HeldAcks } from './ingest/heldAcks';
import { startIngestSessions, type IngestSessions } from './cluster/ingestSessions';
import { RateMeter } from './ingest/rateMeter';
import { persistRate } from './ingest/rateFile';
import { buildHttp, type SecurityOptions } from './http/routes';
import { Identity } from './security/identity';
import { pgLeadership, soloLeadership, type Leadership } from './cluster/leader';
import { RELAY_CHANNEL } from './cluster/relay';
import { joinInstances } from './cluster/join';
import type { InstanceBus } from './cluster/bus';
import { startClusterAlarms } from './cluster/clusterAlarms';
import { openIdentityDb, openPgDb } from './store/sqlDb';
import { SqlAlarmRecords, rehearsalAlarmSchema, type AlarmRecords } from './store/alarmRecords';
import { alarmStoreRecords } from './store/alarmStoreRecords';
import { DependencyMonitor } from './cluster/dependencies';
import { createMetrics } from './http/metrics';
import { createLogger, instanceId, type Logger } from './log';
import { loadProvince, type ProvinceData } from './provinces/load';
import { LivePipeline } from './pipeline';
import { hazardServices } from './domain/hazards/services';
import { warmAll } from './store/readings/warmAll';
import { relearnOnHistorySent } from './store/readings/warmRivers';
import { LoopDelayMonitor } from './loopDelay';
import { RealtimeHub } from './realtime/hub';
import { AlarmStore } from './store/alarmStore';
import type { ReadingStore } from './store/readings/port';
import { ReadingWriter } from './store/readings/writer';
import { RetentionJob, type RetentionPolicy } from './store/readings/retention';
import { TX_ROWS, openAppReadingStore, type ReadingEngine } from './store/readings/open';
import { RehearsalClock, liveClock } from './clock';

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
    /** The ingest's username and password on an external broker (`npm run devices -- mosquitto` writes one). */
    credentials?: MqttCredentials;
    /**
     * With an external broker: the MQTT 5 shared-subscription group ($share/<group>/ioc/v1/#) that splits the
     * ingest across instances, each reading to one of them. Absent: a plain subscription (one instance).
     */
    shareGroup?: string;
  };
  /** Redis joining instances (Socket.IO streams adapter, the instances' bus); absent: one instance alone. */
  redisUrl?: string;
  /** This instance's name in logs, health and metrics (default host-pid). */
  instance?: string;
  tickMs: number;
  /** Folder of the built client to serve (index.html for /, /m, /console). */
  clientDist?: string;
  /** Where the databases live; absent: in-memory databases (tests). */
  dataDir?: string;
  /** PostgreSQL for the reading store (one schema per province); absent: SQLite in dataDir. */
  databaseUrl?: string;
  /**
   * 'live' (default): the machine's clock. 'scenario': a rehearsal; every time-based rule runs on the
   * simulated time a scenario publishes on ioc/v1/sim/clock (shared/simClock.ts), and the views say DIỄN TẬP.
   */
  clock: 'live' | 'scenario';
  security?: AppSecurity;
  /** How long raw readings (and minute rollups) are kept; default 90 days raw, rollups kept. */
  retention?: Partial<RetentionPolicy>;
}

export interface AppSecurity extends SecurityOptions {
  /** The first admin's password when the user table is empty; absent: generated (App.bootstrapPassword). */
  adminPassword?: string;
  allowedOrigins?: string[];
  secureCookies?: boolean;
  /** Raw plates are deleted after this many days (default 30). */
  plateRetentionDays?: number;
}

/** What tests and the bench swap; each defaults to the production part. */
export interface AppParts {
  /** The province's data (registry, communes' extent, road segments); default: the shipped data of config.province. */
  province?: ProvinceData;
  /** The real clock (epoch ms); in live mode every time-based rule runs on it, in a rehearsal it paces the simulated one. */
  now?: () => number;
  /** The alarm store; default SQLite in dataDir (in memory without one). The app closes it. */
  alarmStore?: AlarmStore;
  /** The reading store; default PostgreSQL at config.databaseUrl, else SQLite in dataDir (in memory without one). The app closes it. */
  readingStore?: ReadingStore;
  /** Most readings buffered between two ticks for the store (default TICK_READINGS_CAP). */
  readingBufferCap?: number;
  logger?: Logger;
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
  /** Communes' disaster risk levels (absent when the province data has no susceptibility classes). */
  risk?: CommuneRiskService;
  /** Forest fire danger per commune with forest (absent with the risk levels). */
  fire?: FireDangerService;
  hub: RealtimeHub;
  http: HttpServer;
  /** The Express app behind `http` (tests list its routes against the OpenAPI description). */
  api: Express;
  readings: ReadingStore;
  /** Users, displays, sessions and the audit log. */
  identity: Identity;
  /** Device secrets the embedded broker checks (`npm run devices -- credentials`). */
  credentials: DeviceCredentials;
  /**
   * The gateway credential (server/broker/guard.ts): generated at each start for the embedded broker, or the
   * configured one of an external broker. The fleet connects with it; never logged.
   */
  gateway?: MqttCredentials;
  /** Whether this instance runs what must run once (always, without PostgreSQL). */
  leadership: Leadership;
  /** How this instance reaches the others (Redis), or a solo bus. */
  bus: InstanceBus;
  /** The generated password of the first admin, when this start created it (main.ts prints it once). */
  bootstrapPassword?: string;
  /** Runs one tick now and publishes its frames (tests drive ticks with this; the app's timer does too). */
  tick(): void;
  close(): Promise<void>;
}

/** Library defaults: loopback and free ports. main.ts sets the real ones (8080, 1883) from the environment. */
export const DEFAULT_CONFIG: AppConfig = {
  port: 0,
  host: '127.0.0.1',
  province: DEFAULT_PROVINCE,
  mqtt: { port: 0 },
  tickMs: DEFAULT_TICK_MS,
  clock: 'live',
};

interface Closable {
  close(): Promise<void>;
}

export async function createApp(overrides: Partial<AppConfig> = {}, parts: AppParts = {}): Promise<App> {
  const cfg: AppConfig = { ...DEFAULT_CONFIG, ...overrides, mqtt: { ...DEFAULT_CONFIG.mqtt, ...overrides.mqtt } };
  const log = parts.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn');
  const realNow = parts.now ?? Date.now;
  const rehearsal = cfg.clock === 'scenario' ? new RehearsalClock(realNow) : undefined;
  const clock = rehearsal ?? liveClock(realNow);
  const now = () => clock.now();
  const startedAt = realNow();
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

  const instance = cfg.instance ?? instanceId();
  try {
    const province = parts.province ?? loadProvince(cfg.province);
    const devices = province.registry.devices;
    if (cfg.dataDir) mkdirSync(cfg.dataDir, { recursive: true });
    // Who may ask: users, displays, sessions and the audit log (SQLite in dataDir, or PostgreSQL). Real time.
    const security = cfg.security ?? {};
    const { identity, bootstrapPassword } = await Identity.open({
      db: await openIdentityDb({ province: province.slug, dataDir: cfg.dataDir, databaseUrl: cfg.databaseUrl }),
      now: realNow,
      log,
      adminPassword: security.adminPassword,
      secureCookies: security.secureCookies,
    });
    closables.push(identity);
    // Who runs what must run once: elected on PostgreSQL, or this instance alone.
    // (A rehearsal's instances elect among themselves, never with the live ones.)
    const leadership: Leadership = cfg.databaseUrl ? await pgLeadership({ connectionString: cfg.databaseUrl, name: rehearsal ? `${province.slug}-rehearsal` : province.slug, log }) : soloLeadership();
    closables.push(leadership);
    // A rehearsal's alarms live on simulated time: they never mix with the real ones.
    // (With PostgreSQL the engine is the cluster's, on the shared tables below: this SQLite one is never written.)
    const alarmStore = parts.alarmStore ?? new AlarmStore(cfg.dataDir && !cfg.databaseUrl ? path.join(cfg.dataDir, `alarms-${province.slug}${rehearsal ? '-rehearsal' : ''}.sqlite`) : ':memory:');
    const alarms = new AlarmService({
      store: alarmStore,
      now,
      storm: province.alarmTimings.storm,
      escalation: province.alarmTimings.escalation,
      onStoreError: (err) => log.error({ err }, 'alarm store write failed'),
    });
    closables.push(alarms);
    // What the API, the hub, health and the history read. Without PostgreSQL: the SQLite store the engine
    // writes. With it: the alarm tables beside the identity's (a rehearsal's in a schema of its own), which the
    // leader's engine writes behind it (server/cluster/clusterAlarms.ts, started once the bus is up).
    let alarmRecords: AlarmRecords = alarmStoreRecords(alarmStore);
    if (cfg.databaseUrl) {
      let alarmDb = identity.db;
      if (rehearsal) {
        alarmDb = await openPgDb(cfg.databaseUrl, rehearsalAlarmSchema(province.slug), 2);
        closables.push(alarmDb);
      }
      alarmRecords = await SqlAlarmRecords.open(alarmDb);
    }
    const alarmHealth = new AlarmHealthCache(alarmRecords, { onError: (err) => log.warn({ err }, 'alarm health failed') });
    // Opened before the broker: closed after the ingest stopped, the writer first (it writes what is queued).
    const opened = parts.readingStore
      ? { store: parts.readingStore, engine: 'custom' as const, txRows: TX_ROWS.sqliteInMemory }
      : await openAppReadingStore({ province: province.slug, rehearsal: rehearsal !== undefined, dataDir: cfg.dataDir, databaseUrl: cfg.databaseUrl });
    const readings = opened.store;
    closables.push(readings);
    const engine: ReadingEngine | 'custom' = opened.engine;
    // metrics is made further down; the writer only writes once ticks run, after it exists.
    // Sharing the ingest through an external broker, acknowledgements wait for the store (heldAcks.ts).
    const heldAcks = cfg.mqtt.url && cfg.mqtt.shareGroup ? new HeldAcks() : undefined;
    const writer = new ReadingWriter({
      store: readings,
      txRows: opened.txRows,
      onWrite: (ms) => metrics.observeStoreWrite(ms),
      onSettled: heldAcks && ((position) => heldAcks.settled(position)),
    });
    // Joined to the other instances by Redis (the bus, and the Socket.IO adapter's own connection), or alone.
    const joined = await joinInstances({ redisUrl: cfg.redisUrl, province: province.slug, instance, log });
    closables.push(joined);
    const { bus } = joined;
    const table = new DeviceTable(devices, { missedReports: province.alarmTimings.offline.missedReports });
    const env = new EnvironmentService(devices);
    const indexById = new Map(devices.map((d, i) => [d.id, i]));
    // A rehearsal's models learn again from its fleet's learning period (relearnRivers): its rain forecasts are kept.
    const forecasts = new ForecastService(province.basins, (id) => indexById.get(id), undefined, { keepRainForecasts: rehearsal !== undefined });
    const airTomorrow = new TomorrowService(
      devices.filter((d) => d.type === 'air').map((d) => d.id),
      (id) => indexById.get(id),
    );
    const traffic = new TrafficService(province.segments, devices, tableLookup(table));
    // The live services, and fresh ones for the time machine (which rebuilds a past instant's from the rollups).
    const hazards = hazardServices(province, devices);
    const risk = hazards?.risk();
    const fire = hazards?.fire();
    const rate = new RateMeter();
    // The rate chart's ten minutes survive a restart (live clock only: a rehearsal's time starts anew).
    if (cfg.dataDir && cfg.clock === 'live') closables.push(await persistRate(rate, path.join(cfg.dataDir, `rate-${province.slug}.json`), now, log));
    const everySecond = Math.max(1, Math.round(1000 / cfg.tickMs));
    const pipeline = new LivePipeline({
      devices,
      table,
      rate,
      env,
      forecasts,
      airTomorrow,
      traffic,
      alarms,
      risk,
      fire,
      now,
      realNow,
      rehearsal,
      trafficEveryTicks: everySecond,
      readings: writer,
      readingBufferCap: parts.readingBufferCap,
      relay: cfg.redisUrl ? { publish: (b) => bus.publish(RELAY_CHANNEL, b), registryVersion: province.registryVersion } : undefined,
    });
    const { ingest } = pipeline;
    const unsubscribeRelay = bus.subscribe(RELAY_CHANNEL, (b) => pipeline.applyRelayed(b));
    closables.push({ close: async () => unsubscribeRelay() });
    // With PostgreSQL, the alarms are the cluster's (one instance alone leads it): the leader's engine decides
    // and writes behind it; the others mirror it and forward actions. Loaded before any reading arrives.
    const clusterAlarms = alarmRecords instanceof SqlAlarmRecords ? await startClusterAlarms({ alarms, records: alarmRecords, leadership, bus, log }) : undefined;
    if (clusterAlarms) closables.push(clusterAlarms);
    closables.push({
      close: async () => {
        // The ingest and the timer are stopped by now: the last readings since the last tick are all there is.
        pipeline.flushReadings();
        await writer.close();
      },
    });
    await warmAll(readings, { devices, restoreReading: (i, ts, values) => pipeline.restoreReading(i, ts, values), table, risk, fire, airTomorrow, ...(rehearsal ? {} : { riverForecasts: forecasts }) }, now, log);
    // A rehearsal's clock is not known at start, so no warm start: its river forecasts learn once the fleet says
    // its history (the learning period) is all sent, after what the pipeline has taken is written.
    if (rehearsal) {
      const flush = async () => {
        pipeline.flushReadings();
        await writer.flush();
      };
      closables.push(relearnOnHistorySent(rehearsal, { store: readings, fc: forecasts, flush, now, log }));
    }
    const storeSize = cachedSize(readings, realNow, log);
    storeSize(); // the first health answer already has a size
    // Old raw readings go hourly (rollups stay); in a cluster only the leader prunes.
    const retention = new RetentionJob({ store: readings, policy: cfg.retention, now, log, shouldRun: () => leadership.isLeader() });
    retention.start();
    closables.push(retention);

    // Devices' secrets live with the identity tables (one server key, SQLite or PostgreSQL).
    const credentials = await DeviceCredentials.open(identity.db, realNow);
    let broker: EmbeddedBroker | undefined;
    let mqttUrl = cfg.mqtt.url;
    let gateway = cfg.mqtt.credentials;
    if (!mqttUrl) {
      gateway = { username: GATEWAY_USERNAME, password: newSecret() };
      const guard = new BrokerGuard({
        verify: (id, secret) => credentials.verify(id, secret),
        hmac: (s) => credentials.hmac(s),
        gatewaySecret: gateway.password,
        onRefused: (reason) => ingest.refuse(reason),
      });
      broker = await startEmbeddedBroker(cfg.mqtt.port, cfg.host, guard);
      closables.push(broker);
      mqttUrl = broker.url;
      log.info({ url: mqttUrl }, 'embedded MQTT broker listening');
    }

    // The whole tick (the pipeline's work and the frames), timed for /api/health, /metrics and the bench.
    let lastTickMs = 0;
    const loopDelay = new LoopDelayMonitor(realNow);
    closables.push(loopDelay);
    let hubRef: RealtimeHub | undefined;
    let ingestSessions: IngestSessions | undefined;
    const metrics = createMetrics({
      instance,
      province: province.slug,
      ingest: () => ({ accepted: ingest.accepted, history: ingest.history, rejected: ingest.rejected, refused: ingest.refused, ratePerSec: rate.ratePerSec() }),
      devices: () => table.counts(),
      viewers: () => hubRef?.viewers() ?? { wall: 0, mobile: 0, console: 0 },
      alarms: () => alarms.totals(),
      mqttConnected: () => mqttRef.current?.connected() ?? false,
      store: () => writer.stats(),
      dependencies: () => dependencies.check(),
      leader: () => leadership.isLeader(),
      bus: () => bus.state(),
      ...(heldAcks ? { sessions: () => ({ ...heldAcks.stats(), adopted: ingestSessions?.state().adopted.length ?? 0 }) } : {}),
    });
    // Set once the MQTT client exists; the hub and health ask it for the connection state.
    const mqttRef: { current?: MqttSource } = {};
    // PostgreSQL, Redis, MQTT and the store in one shape: checked each tick, in /api/health, on the frames.
    const dependencies = new DependencyMonitor({
      now: realNow,
      leadership: () => leadership.state(),
      mqtt: { kind: broker ? 'embedded' : 'external', connected: () => mqttRef.current?.connected() ?? false },
      store: { engine, writer: () => writer.stats() },
      bus: () => bus.state(),
    });
    // Express is the server's request handler from the start, so Socket.IO (attached next) can
    // take /socket.io/ requests before it: a handler added later would answer them twice.
    const handler: { current?: (req: IncomingMessage, res: ServerResponse) => void } = {};
    const http = createServer((req, res) => handler.current?.(req, res));
    const hub = (hubRef = new RealtimeHub(
      http,
      {
        table,
        ingest,
        rate,
        env,
        forecasts,
        airTomorrow,
        traffic,
        alarms,
        risk,
        fire,
        registryVersion: province.registryVersion,
        mqtt: () => ({ connected: mqttRef.current?.connected() ?? false }),
        degraded: () => dependencies.degraded(),
        clock: () => clock.info(),
      },
      {
        mobileEveryTicks: everySecond,
        now,
        identity,
        communeOf: (i) => devices[i]!.commune,
        allowedOrigins: security.allowedOrigins,
        alarmRecords,
        alarmHealth,
        log,
        adapter: joined.adapter,
      },
    ));
    const api = buildHttp({
      province,
      table,
      ingest,
      rate,
      tickMs: cfg.tickMs,
      mqttConnected: () => mqttRef.current?.connected() ?? false,
      startedAt,
      now,
      realNow,
      clock: () => clock.info(),
      clientDist: cfg.clientDist,
      instance,
      dependencies: () => dependencies.check(),
      env,
      traffic,
      segments: province.segments,
      alarms,
      metrics,
      readings,
      alarmRecords,
      alarmHealth,
      identity,
      security,
      ...(hazards ? { hazards } : {}),
      extraHealth: () => ({
        leadership: leadership.state(),
        cluster: {
          alarms: clusterAlarms?.stats(),
          bus: bus.state(),
          relay: { refused: pipeline.relayRefused, dropped: pipeline.relayOut?.dropped ?? 0, received: ingest.relayed },
          acks: heldAcks?.stats(),
          sessions: ingestSessions?.state(),
        },
        eventLoop: loopDelay.lastWindow(),
        realtime: { ...hub.stats(), lastTickMs },
        broker: broker ? { clients: broker.connectedClients() } : undefined,
        store: { engine, sizeBytes: storeSize(), retention: retention.stats(), writer: writer.stats(), tickBuffer: { cap: pipeline.tickReadings.cap, dropped: pipeline.tickReadings.dropped } },
      }),
    });
    handler.current = api;
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

    const onMessage = (topic: string, payload: Buffer) => pipeline.receive(topic, payload);
    // With the embedded broker the ingest takes messages straight off its bus; with an external
    // one it is an MQTT client (QoS 1; a persistent session alone, a shared subscription in a cluster).
    // The client id holds this server's port: unique also for two instances on one host.
    const clientId = cfg.mqtt.clientId ?? `ioc-server-${province.slug}-${hostname()}-${port}`;
    const mqtt = broker
      ? await broker.subscribeInProcess(SUBSCRIBE_TOPIC, onMessage)
      : await startMqttSource(mqttUrl, clientId, onMessage, log, { credentials: cfg.mqtt.credentials, shareGroup: cfg.mqtt.shareGroup, heldAcks });
    mqttRef.current = mqtt;
    closables.push(mqtt);
    // A dead instance's session (what it had not acknowledged, and its share since) adopted by a live one.
    if (heldAcks && cfg.databaseUrl) {
      const credentials = cfg.mqtt.credentials;
      ingestSessions = await startIngestSessions({ connectionString: cfg.databaseUrl, clientId, instance, log, adopt: (id) => adoptSession(mqttUrl, id, onMessage, log, { credentials, heldAcks }) });
      // Closed before the ingest: its row goes, then its session ends cleanly.
      closables.push(ingestSessions);
    }

    const tick = () => {
      dependencies.check();
      const t0 = performance.now();
      hub.publish(pipeline.tick(now()));
      // The tick handed its readings to the writer: what was acknowledged-pending until now waits on this position.
      heldAcks?.seal(writer.position());
      clusterAlarms?.publishTick();
      lastTickMs = performance.now() - t0;
      metrics.observeTick(lastTickMs);
      loopDelay.roll();
    };
    const timer = setInterval(tick, cfg.tickMs);
    timer.unref();
    // Raw plates older than the retention period go, checked hourly (the plates are in memory, bounded too).
    const plateRetentionMs = (security.plateRetentionDays ?? 30) * 86_400_000;
    const prunePlates = setInterval(() => traffic.rawPlates.prune(now() - plateRetentionMs), 3_600_000);
    prunePlates.unref();
    // Stopped first: no tick runs against parts that are closing.
    closables.push({
      close: async () => {
        clearInterval(timer);
        clearInterval(prunePlates);
      },
    });

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
      risk,
      fire,
      hub,
      http,
      api,
      readings,
      identity,
      credentials,
      gateway,
      leadership,
      bus,
      bootstrapPassword,
      tick,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** Refresh a store's size at most every 10 s (a PostgreSQL size is a query): health reads the last one. */
const SIZE_REFRESH_MS = 10_000;

function cachedSize(store: ReadingStore, realNow: () => number, log: Logger): () => number | null {
  let size: number | null = null;
  let at = -Infinity;
  let pending = false;
  return () => {
    if (!pending && realNow() - at >= SIZE_REFRESH_MS) {
      pending = true;
      at = realNow();
      store
        .sizeBytes()
        .then((n) => (size = n))
        .catch((err: unknown) => log.warn({ err }, 'reading store size failed'))
        .finally(() => (pending = false));
    }
    return size;
  };
}
