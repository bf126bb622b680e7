/**
 * `GET /metrics` in Prometheus' text format (prom-client). One registry per app, so several apps in one
 * process (the tests) never share series. The app's figures are read when Prometheus scrapes, not pushed
 * on the hot path; only the tick histogram is observed as ticks run. Labels are bounded sets (reason,
 * view, severity, device type): never a device id or a plate, whose series would never expire.
 * Node's default metrics (heap, GC, event-loop lag) start with the first scrape, so apps nobody scrapes
 * (tests) pay nothing for them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AlarmTotals } from '../../shared/alarms';
import type { ViewName } from '../../shared/events';
import { BROKER_REFUSALS, DEVICE_TYPES, REJECT_REASONS, type BrokerRefusal, type DeviceType, type RejectReason } from '../../shared/mqtt';
import { SEVERITIES } from '../../shared/alarms';
import { VIEWS } from '../../shared/events';

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
}

export interface AppMetrics {
  registry: Registry;
  /** Called by the app after each tick with its duration in ms. */
  observeTick(ms: number): void;
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
  const tick = new Histogram({
    name: 'ioc_tick_duration_seconds',
    help: 'Duration of a tick: the pipeline (every domain) and the frames.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });

  return {
    registry,
    observeTick: (ms) => tick.observe(ms / 1000),
    async scrape() {
      if (!defaults) {
        defaults = true;
        collectDefaultMetrics({ register: registry, prefix: 'ioc_node_' });
      }
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
