/**
 * The live pipeline: what a reading does when it arrives, and everything a tick does, in order, in this
 * one file (STYLE.md 21). Readings only mark state; the tick advances every domain once and drains what
 * changed into one immutable `TickResult`, from which the realtime hub builds each view's frame
 * (realtime/frames.ts) without touching any state itself.
 *
 * Adding a domain: its service here, a call in `tick()` at its place in the order,
 * its part of `TickResult`, and its part of the frames.
 */
import type { Device } from '../shared/devices';
import type { CommuneEnv } from '../shared/environment';
import type { AlarmsDelta, RateSample } from '../shared/events';
import type { Signal } from '../shared/alarms';
import type { HydroForecast } from '../shared/forecast';
import type { AirTomorrow } from '../shared/airForecast';
import { MAX_HISTORY_AGE_MS, REHEARSAL_MAX_HISTORY_AGE_MS, type CameraEvent, type DeviceType, type RainForecast, type ReservoirEvent } from '../shared/mqtt';
import type { TrafficDelta } from '../shared/traffic';
import type { AlarmService } from './alarms/service';
import { fireSignal, floodRiskSignal, forecastStageSignal, incidentSignal, offlineSignal, riskSignal, stationSignals } from './alarms/signals';
import type { CommuneFire } from '../shared/fireDanger';
import type { FireDangerService } from './domain/fire/fireDangerService';
import type { CommuneRisk } from '../shared/communeRisk';
import { riskReadsOf, type CommuneRiskService } from './domain/risk/communeRisk';
import type { DeviceTable } from './devices/deviceTable';
import type { EnvironmentService } from './domain/env/environment';
import type { ForecastService } from './domain/forecast/service';
import type { TomorrowService } from './domain/air/tomorrowService';
import type { TrafficService } from './domain/traffic/trafficService';
import { Ingest, type IngestListener } from './ingest/ingest';
import type { RateMeter } from './ingest/rateMeter';
import { SIM_CLOCK_TOPIC } from '../shared/simClock';
import { noticeValues } from '../shared/reservoir';
import type { RehearsalClock } from './clock';
import type { Reading } from './store/readings/port';
import { TickReadings } from './store/readings/tickBuffer';
import { RelayBuffer, relayRecordOk, type RelayBatch } from './cluster/relay';

/** What one tick changed: everything a frame needs, nothing it has to drain. */
export interface TickResult {
  /** 1, 2, … since start. */
  readonly tick: number;
  /** Clock time of the tick (epoch ms; simulated time in a rehearsal). */
  readonly at: number;
  /** Registry indices of the devices whose state changed (a reading, a status, online/offline), each once. */
  readonly devices: Uint32Array;
  /** Of `devices`, those that went online or offline (the wall's only news of a bulk IoT device). */
  readonly flipped: Uint32Array;
  /** Per-second ingest rate samples completed since the previous tick. */
  readonly rateSamples: readonly RateSample[];
  /** Communes whose environmental aggregate changed. */
  readonly communes: readonly CommuneEnv[];
  /** River gauges whose forecast (issued every 10 minutes) or recent skill changed. */
  readonly forecasts: readonly HydroForecast[];
  /** Air stations whose forecast of tomorrow was issued (hourly). */
  readonly airTomorrow: readonly AirTomorrow[];
  /** Segments, incidents, violations and volume that changed. */
  readonly traffic: TrafficDelta;
  /** Communes whose disaster risk level or its inputs changed (recomputed every `riskEveryTicks`). */
  readonly risk: readonly CommuneRisk[];
  /** Communes whose fire danger took its daily step. */
  readonly fire: readonly CommuneFire[];
  /** Alarm changes in rev order (`resync` when some were dropped), and the totals when they changed. */
  readonly alarms: AlarmsDelta;
}

export interface PipelineParts {
  devices: readonly Device[];
  table: DeviceTable;
  rate: RateMeter;
  env: EnvironmentService;
  /** River-level forecasts of the basins' gauges (absent: none). */
  forecasts?: ForecastService;
  /** Tomorrow's air quality per air station (absent: none). */
  airTomorrow?: TomorrowService;
  traffic: TrafficService;
  alarms: AlarmService;
  /** Communes' disaster risk levels (absent: none). */
  risk?: CommuneRiskService;
  /** Forest fire danger per commune (absent: none); stepped once a day after 13:00. */
  fire?: FireDangerService;
  /** Risk levels follow 24 h rain: they are recomputed every Nth tick (default RISK_EVERY_TICKS). */
  riskEveryTicks?: number;
  /** The domains' clock: the machine's, or a rehearsal's simulated time. */
  now: () => number;
  /** Real time, for what measures the system itself (the ingest rate). */
  realNow: () => number;
  /** In a rehearsal, the clock that the scenario's clock messages set. */
  rehearsal?: RehearsalClock;
  /** Traffic (segments and incidents) moves on a scale of minutes: it is updated every Nth tick. */
  trafficEveryTicks: number;
  /** Where the tick hands the accepted readings (the reading store's writer: it queues and returns at once). */
  readings?: { offer(batch: readonly Reading[]): number };
  /** Most readings kept between two ticks for the store (default TICK_READINGS_CAP); beyond, dropped and counted. */
  readingBufferCap?: number;
  /**
   * In a cluster: where each tick's accepted messages go to the other instances (server/cluster/relay.ts),
   * and the registry version that makes their indices mean the same devices. Absent: one instance alone.
   */
  relay?: { publish(batch: RelayBatch): void; registryVersion: string };
}

/** Risk levels are recomputed every this many ticks (10 s at the usual tick of 1 s). */
export const RISK_EVERY_TICKS = 10;

export class LivePipeline implements IngestListener {
  /** Validates every message once and calls back the arrival methods below for accepted readings. */
  readonly ingest: Ingest;
  /** Accepted readings since the last tick, for the reading store. */
  readonly tickReadings: TickReadings;
  /** What this instance accepted since the last tick, for the other instances (in a cluster). */
  readonly relayOut: RelayBuffer | undefined;
  /** Relayed batches ignored: another registry version, or records that are not records. */
  relayRefused = 0;
  /** Readings older than MAX_HISTORY_AGE_MS taken for the store only (a rehearsal's learning period). */
  learningReadings = 0;
  private ticks = 0;
  /** Each commune's risk levels (flash flood, flood) as last signalled to the alarms. */
  private readonly riskLevels = new Map<string, { flashFlood: number; flood: number }>();

  constructor(private readonly p: PipelineParts) {
    this.ingest = new Ingest(p.table, this, undefined, p.rehearsal ? REHEARSAL_MAX_HISTORY_AGE_MS : MAX_HISTORY_AGE_MS);
    this.tickReadings = new TickReadings(p.readingBufferCap);
    this.relayOut = p.relay ? new RelayBuffer() : undefined;
    // A device going offline or back (a sweep, a last will, a status message) is an alarm signal.
    p.table.onTransition = (i, online, at) => this.signal(offlineSignal(p.devices[i]!, online, at));
  }

  /**
   * A rehearsal's server runs on the machine's clock until the scenario's first clock message. Its alarms must
   * not: a signal stamped with today would make every signal of a scenario set in the past "late" to its rule,
   * and no alarm would ever rise (the flash-flood rehearsal's dam release did not, in March).
   */
  private clockWaiting(): boolean {
    return this.p.rehearsal !== undefined && !this.p.rehearsal.isSynced;
  }

  private signal(sig: Signal): void {
    if (!this.clockWaiting()) this.p.alarms.push(sig);
  }

  // ── Arrival: one MQTT message, validated once; accepted readings only mark state.

  /** Every message off the broker comes here. Never throws on bad input (the ingest counts it). */
  receive(topic: string, payload: Buffer | Uint8Array): void {
    // A rehearsal's clock sets the time; a live server takes the topic for what it is, not a device.
    if (topic === SIM_CLOCK_TOPIC && this.p.rehearsal) {
      this.p.rehearsal.update(payload);
      return;
    }
    if (this.ingest.handle(topic, payload, this.p.now()) === null) this.p.rate.add(this.p.realNow());
  }

  onTelemetry(i: number, type: DeviceType, ts: number, values: Record<string, number>, _live: boolean, relayed = false): void {
    // Older than the stations' memory (a rehearsal's learning period, ingest REHEARSAL_MAX_HISTORY_AGE_MS): to the
    // store only, from which the river forecasts learn it (warmRivers.ts); the memory, rates and risk never held it.
    if (ts < this.p.now() - MAX_HISTORY_AGE_MS) {
      this.learningReadings++;
      if (!relayed && this.p.readings) this.tickReadings.push({ deviceId: this.p.devices[i]!.id, type, ts, values });
      return;
    }
    this.restoreReading(i, ts, values);
    if (type === 'air') this.p.airTomorrow?.addReading(this.p.devices[i]!.id, ts, values);
    // A relayed reading was stored by the instance that took it.
    if (relayed) return;
    // Telemetry only, live and backfill alike; camera events never go to the store (they carry plates).
    if (this.p.readings) this.tickReadings.push({ deviceId: this.p.devices[i]!.id, type, ts, values });
    this.relayOut?.push([0, i, ts, values]);
  }

  /**
   * A reading into the stations' memory (environment, forecasts, risk levels, fire danger) and nowhere else:
   * what each live reading does first, and what the warm start does with the store's history.
   */
  restoreReading(i: number, ts: number, values: Record<string, number>): void {
    const type = this.p.devices[i]!.type;
    this.p.env.onTelemetry(i, ts, values, this.p.now());
    if (this.p.forecasts) feedForecasts(this.p.forecasts, this.p.devices[i]!.id, type, ts, values);
    if (type === 'rain' && values.precipitation !== undefined) {
      this.p.risk?.onRain(i, ts, values.precipitation);
      this.p.fire?.onRain(i, ts, values.precipitation);
    } else if (type === 'air') {
      this.p.fire?.onAir(i, ts, values);
    }
  }

  onStatus(i: number, online: boolean, at: number): void {
    this.relayOut?.push([1, i, online ? 1 : 0, at]);
  }

  onCameraEvent(i: number, event: CameraEvent, _live: boolean, relayed = false): void {
    this.p.traffic.onCameraEvent(this.p.devices[i]!.id, event, this.p.now());
    // Sent on only when taken here: a relayed event sent on again would bounce between the instances for ever.
    if (!relayed) this.relayOut?.push([2, i, event]);
  }

  /** A reservoir's release notice: the station's state, whose signals reach the downstream communes at the tick. */
  onReservoirEvent(i: number, event: ReservoirEvent, _live: boolean, relayed = false): void {
    this.p.env.onReservoirEvent(i, event);
    if (relayed) return;
    // Stored as a reading of the reservoir, so a restart and the time machine know of a release announced.
    if (this.p.readings) this.tickReadings.push({ deviceId: this.p.devices[i]!.id, type: 'reservoir', ts: event.ts, values: noticeValues(event) });
    this.relayOut?.push([3, i, event]);
  }

  /**
   * A rain gauge's point rain forecast, for the river forecasts of the basins it lies in. Kept in memory only:
   * a forecast is not a reading, and the next issue (hourly) replaces it.
   */
  onRainForecast(i: number, f: RainForecast, relayed = false): void {
    this.p.forecasts?.addRainForecast(this.p.devices[i]!.id, f.ts, f.stepMin * 60_000, f.precipitation);
    if (!relayed) this.relayOut?.push([4, i, f]);
  }

  /** Another instance's batch (in a cluster): its records applied as if taken here, not stored again. */
  applyRelayed(batch: unknown): void {
    const b = batch as Partial<RelayBatch> | null;
    if (!this.p.relay || !b || b.v !== this.p.relay.registryVersion || !Array.isArray(b.r)) {
      this.relayRefused++;
      return;
    }
    const n = this.p.devices.length;
    const ok = b.r.every((r) => relayRecordOk(r, n));
    if (!ok) {
      this.relayRefused++;
      return;
    }
    const applied = this.ingest.applyRelayed(b.r, this.p.now());
    // The rate chart is the province's: what every instance took.
    if (applied > 0) this.p.rate.add(this.p.realNow(), applied);
  }

  // ── The tick, in order.

  tick(now: number): TickResult {
    const { table, rate, env, traffic, alarms, devices } = this.p;
    this.ticks++;
    rate.roll(this.p.realNow());
    // 1. Devices that missed their reports go offline (their alarm signals are pushed by onTransition).
    table.sweep(now);
    // 2. Environment: each station with new readings is recomputed once; its signals go to the alarms.
    env.flush(now, (i) => {
      table.touch(i);
      const x = env.derived(i);
      if (x) for (const sig of stationSignals(devices[i]!, x, now)) this.signal(sig);
    });
    // 3. Forecasts: verify what came due, learn, issue (every 10 min); each new forecast is an alarm signal.
    const forecasts: HydroForecast[] = [];
    if (this.p.forecasts) {
      const fc = this.p.forecasts;
      for (const id of fc.step(now)) {
        const w = fc.wire(id);
        if (!w) continue;
        forecasts.push(w);
        const f = fc.forecastOf(id);
        const x = env.derived(w.i);
        if (f && f.issuedAt === now) this.signal(forecastStageSignal(devices[w.i]!, f, x?.kind === 'hydro' ? x : undefined, now));
      }
    }
    // 3b. Air tomorrow: verify the days that ended, issue on the hour (no alarm: a band for tomorrow is news, not an event).
    const airTomorrow: AirTomorrow[] = [];
    if (this.p.airTomorrow) {
      for (const id of this.p.airTomorrow.step(now)) {
        const w = this.p.airTomorrow.tomorrowOf(id);
        if (w) airTomorrow.push(w);
      }
    }
    // 3c. Disaster risk levels per commune from the rain gauges' 24 h rain and the river gauges' levels; each
    // change of a hazard's level is an alarm signal.
    let risk: CommuneRisk[] = [];
    if (this.p.risk && this.ticks % (this.p.riskEveryTicks ?? RISK_EVERY_TICKS) === 0) {
      risk = this.p.risk.update(now, riskReadsOf(env));
      for (const r of risk) {
        const was = this.riskLevels.get(r.code) ?? { flashFlood: 0, flood: 0 };
        if (was.flashFlood === r.flashFlood && was.flood === r.flood) continue;
        this.riskLevels.set(r.code, { flashFlood: r.flashFlood, flood: r.flood });
        if (was.flashFlood !== r.flashFlood) this.signal(riskSignal(r, now));
        if (was.flood !== r.flood) this.signal(floodRiskSignal(r, now));
      }
    }
    // 3d. Forest fire danger: one step a day after 13:00; levels IV and V are alarm signals.
    let fire: CommuneFire[] = [];
    if (this.p.fire && this.ticks % (this.p.riskEveryTicks ?? RISK_EVERY_TICKS) === 0) {
      fire = this.p.fire.step(now);
      for (const f of fire) this.signal(fireSignal(f, now));
    }
    // 4. Traffic: segments and incidents; opened and closed incidents are alarm signals.
    if (this.ticks % this.p.trafficEveryTicks === 0) {
      const ch = traffic.update(now);
      for (const inc of [...ch.opened, ...ch.closed]) this.signal(incidentSignal(inc, traffic.communeOfSegment(inc.segmentId), now));
    }
    // 5–6. Alarms: the tick's signals in one transaction, then timers (durations, no-data, escalation).
    if (!this.clockWaiting()) alarms.tick(now);
    // 7. The tick's readings go to the store's writer, which queues them; the writes run between ticks.
    this.flushReadings();
    // 7b. In a cluster, what this instance accepted goes to the others in one batch.
    if (this.relayOut && this.relayOut.size > 0) this.p.relay!.publish({ v: this.p.relay!.registryVersion, r: this.relayOut.take() });
    // 8. Drain everything that changed into one result.
    const changed = new Uint32Array(table.pendingDirty);
    const flips = new Uint32Array(table.pendingDirty);
    let k = 0;
    let f = 0;
    table.drainDirty((i, flipped) => {
      changed[k++] = i;
      if (flipped) flips[f++] = i;
    });
    return {
      tick: this.ticks,
      at: now,
      devices: changed,
      flipped: flips.subarray(0, f),
      rateSamples: rate.takeNew(),
      communes: env.takeChangedCommunes(),
      forecasts,
      airTomorrow,
      traffic: traffic.takeDelta(now),
      risk,
      fire,
      alarms: alarms.takeChanges(),
    };
  }

  /** Hands the buffered readings to the writer (each tick, and once more on close after the ingest stopped). */
  flushReadings(): void {
    if (this.p.readings && this.tickReadings.size > 0) this.p.readings.offer(this.tickReadings.take());
  }
}

/** River levels and rain go to the forecasts as they arrive (the service keeps only the basins' gauges). */
export function feedForecasts(fc: ForecastService, id: string, type: DeviceType, ts: number, values: Record<string, number>): void {
  if (type === 'hydro' && values.waterLevel !== undefined) fc.addLevel(id, ts, values.waterLevel);
  else if (type === 'rain' && values.precipitation !== undefined) fc.addRain(id, ts, values.precipitation);
}
