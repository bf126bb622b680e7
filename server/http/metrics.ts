/**
 * `GET /metrics` in Prometheus' text format (prom-client). One registry per app, so several apps in one
 * process (the tests) never share series. The app's figures are read when Prometheus scrapes, not pushed
 * on the hot path; only the tick and store-write histograms are observed as they run. Labels are bounded
 * sets (reason, view, severity, device type, dependency, outcome): never a device id or a plate, whose series
 * would never expire.
 * Node's default metrics (heap, GC, event-loop lag) start with the first scrape, so apps nobody scrapes
 * (tests) pay nothing for them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AlarmTotals } from '../../shared/alarms';
import type { ViewName } from '../../shared/events';
import { BROKER_REFUSALS, DEVICE_TYPES, REJECT_REASONS, type BrokerRefusal, type DeviceType, type RejectReason } from '../../shared/mqtt';
import { SEVERITIES } from '../../shared/alarms';
import { VIEWS } from '../../shared/events';
import type { DependencyState } from '../../shared/health';
import type { BusState } from '../cluster/bus';
import type { WriterStats } from '../store/readings/writer';

export interface MetricsSources {
  instance: string;
  province: string;
  ingest: () => {
    accepted: number;
    history: number;
    rejected: Readonly<Record<RejectReason, number>>;
    refused: Readonly<Record<BrokerRefusal, number>>;
    ratePerSec: number;
  };
  devices: () => Readonly<Record<DeviceType, { total: number; online: number }>>;
  viewers: () => Readonly<Record<ViewName, number>>;
  alarms: () => AlarmTotals;
  mqttConnected: () => boolean;
  /** The reading store's write queue (server/store/readings/writer.ts). */
  store: () => Readonly<WriterStats>;
  /** The dependencies this instance uses, checked now (server/cluster/dependencies.ts). */
  dependencies: () => readonly DependencyState[];
  /** Whether this instance leads (runs what must run once). */
  leader: () => boolean;
  /** The instances' bus (Redis, or solo: all zero). */
  bus: () => BusState;
  /** In a cluster: acknowledgements held for the store, and other instances' sessions adopted; absent alone. */
  sessions?: () => { held: number; early: number; adopted: number };
}

/** What became of the value rows handed to the store's writer (WriterStats). */
const STORE_ROW_OUTCOMES = ['written', 'duplicates', 'dropped', 'rejected', 'failed'] as const;

export interface AppMetrics {
  registry: Registry;
  /** Called by the app after each tick with its duration in ms. */
  observeTick(ms: number): void;
  /** Called by the reading writer after each successful transaction with its duration in ms. */
  observeStoreWrite(ms: number): void;
  /** The text Prometheus scrapes. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(src: MetricsSources): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ instance: src.instance });
  let defaults = false;

  new Gauge({ name: 'ioc_info', help: 'The instance and the province it serves (always 1).', labelNames: ['province'], registers: [registry] }).set(
    { province: src.province },
    1,
  );
  // Counters that the ingest already keeps: set to its totals at scrape time (they only grow).
  new Counter({
    name: 'ioc_ingest_accepted_total',
    help: 'MQTT messages accepted (live and history).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(src.ingest().accepted);
    },
  });
  new Counter({
    name: 'ioc_ingest_rejected_total',
    help: 'MQTT messages rejected, by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      const rejected = src.ingest().rejected;
      for (const reason of REJECT_REASONS) this.inc({ reason }, rejected[reason] ?? 0);
    },
  });
  new Counter({
    name: 'ioc_mqtt_refused_total',
    help: 'Connections, publishes and subscriptions the embedded broker refused, by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      const refused = src.ingest().refused;
      for (const reason of BROKER_REFUSALS) this.inc({ reason }, refused[reason] ?? 0);
    },
  });
  new Gauge({
    name: 'ioc_ingest_rate',
    help: 'Accepted messages per second over the last few seconds.',
    registers: [registry],
    collect() {
      this.set(src.ingest().ratePerSec);
    },
  });
  new Gauge({
    name: 'ioc_devices',
    help: 'Registered devices by type and state.',
    labelNames: ['type', 'state'],
    registers: [registry],
    collect() {
      const d = src.devices();
      for (const type of DEVICE_TYPES) {
        this.set({ type, state: 'online' }, d[type].online);
        this.set({ type, state: 'offline' }, d[type].total - d[type].online);
      }
    },
  });
  new Gauge({
    name: 'ioc_socket_viewers',
    help: 'Sockets subscribed to each view.',
    labelNames: ['view'],
    registers: [registry],
    collect() {
      const v = src.viewers();
      for (const view of VIEWS) this.set({ view }, v[view]);
    },
  });
  new Gauge({
    name: 'ioc_alarms_open',
    help: 'Open alarms by severity.',
    labelNames: ['severity'],
    registers: [registry],
    collect() {
      const t = src.alarms();
      for (const severity of SEVERITIES) this.set({ severity }, t.bySeverity[severity]);
    },
  });
  new Gauge({
    name: 'ioc_alarms_unacknowledged',
    help: 'Open alarms nobody has acknowledged.',
    registers: [registry],
    collect() {
      this.set(src.alarms().unacknowledged);
    },
  });
  new Gauge({
    name: 'ioc_mqtt_connected',
    help: '1 while the ingest is connected to its broker.',
    registers: [registry],
    collect() {
      this.set(src.mqttConnected() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ioc_store_queue_rows',
    help: 'Value rows waiting for (or being written to) the reading store.',
    registers: [registry],
    collect() {
      this.set(src.store().queued);
    },
  });
  new Gauge({
    name: 'ioc_store_queue_capacity_rows',
    help: 'Most value rows the reading store queue holds; past it readings are dropped.',
    registers: [registry],
    collect() {
      this.set(src.store().capRows);
    },
  });
  new Counter({
    name: 'ioc_store_rows_total',
    help: 'Value rows handed to the reading store, by outcome (written, duplicates, dropped: queue full, rejected: invalid, failed: given up after retries).',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset();
      const w = src.store();
      for (const outcome of STORE_ROW_OUTCOMES) this.inc({ outcome }, w[outcome]);
    },
  });
  const storeWrite = new Histogram({
    name: 'ioc_store_write_duration_seconds',
    help: 'Duration of one successful reading-store transaction (a batch of up to a few thousand readings).',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'ioc_dependency_up',
    help: '1 while a dependency this instance uses works (postgresql, redis, mqtt, store); unused ones are absent.',
    labelNames: ['dependency'],
    registers: [registry],
    collect() {
      this.reset();
      for (const d of src.dependencies()) this.set({ dependency: d.name }, d.ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ioc_leader',
    help: '1 while this instance leads (runs escalations, pruning, rollups), else 0.',
    registers: [registry],
    collect() {
      this.set(src.leader() ? 1 : 0);
    },
  });
  if (src.sessions) {
    const sessions = src.sessions;
    new Gauge({
      name: 'ioc_ingest_acks_held',
      help: 'QoS 1 messages taken but not yet acknowledged to the broker: their readings wait for the store.',
      registers: [registry],
      collect() {
        this.set(sessions().held);
      },
    });
    new Counter({
      name: 'ioc_ingest_acks_early_total',
      help: 'Acknowledgements sent before their readings were stored, because too many were held.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sessions().early);
      },
    });
    new Gauge({
      name: 'ioc_ingest_sessions_adopted',
      help: "Other instances' ingest sessions this instance has taken over (their owner is gone).",
      registers: [registry],
      collect() {
        this.set(sessions().adopted);
      },
    });
  }
  new Counter({
    name: 'ioc_bus_sent_total',
    help: 'Messages this instance sent to the others over the bus (Redis).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(src.bus().sent);
    },
  });
  new Counter({
    name: 'ioc_bus_received_total',
    help: 'Messages this instance received from the others over the bus (Redis).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(src.bus().received);
    },
  });
  new Counter({
    name: 'ioc_bus_dropped_total',
    help: 'Messages not sent because the bus (Redis) was unreachable.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(src.bus().dropped);
    },
  });
  const tick = new Histogram({
    name: 'ioc_tick_duration_seconds',
    help: 'Duration of a tick: the pipeline (every domain) and the frames.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });

  return {
    registry,
    observeTick: (ms) => tick.observe(ms / 1000),
    observeStoreWrite: (ms) => storeWrite.observe(ms / 1000),
    async scrape() {
      if (!defaults) {
        defaults = true;
        collectDefaultMetrics({ register: registry, prefix: 'ioc_node_' });
      }
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
