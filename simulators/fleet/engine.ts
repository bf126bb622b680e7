/**
 * The fleet's pure core: which devices run, the two clocks, and what each device says when. No sockets
 * and no timers (fleet.ts owns those), so a run is a function of (registry, seed, scenario, start time,
 * the due times asked for): the same inputs give the same messages byte for byte.
 *
 * Clocks: the models run on simulated time, which starts at the scenario's `simStart` and runs `speed`×
 * faster than the wall clock. Live payloads carry the wall-clock time the report is sent (the server
 * refuses timestamps more than 5 min ahead), so at speed 60 an hour of weather arrives in a minute.
 * Backfill covers the `backfillHours` of simulated time before the start, stamped one to one into the
 * wall-clock past (realStart − 24 h … realStart), where the server files it as history.
 * In a rehearsal (`rehearsal: true`) every payload carries simulated time instead, and the fleet publishes
 * its clock (shared/simClock.ts) so that a server on CLOCK=scenario sees the flood as it would happen.
 */
import type { Device, DeviceKind, Registry } from '../../shared/devices';
import { topicFor } from '../../shared/mqtt';
import { PROVINCES } from '../registry/catalog';
import { buildScenario, type Scenario, type ScenarioName } from '../scenarios';
import type { Draft, FaultOutcome, Outgoing, PhaseInfo } from '../scenarios/types';
import { deriveBasins } from '../registry/basins';
import { placesFor } from '../scenarios/places';
import { historyRain, rainySeasonStorms } from '../scenarios/rainySeason';
import { catchments } from './catchment';
import type { ModelEffects } from './effects';
import type { RiverNetwork, UpstreamLink } from './river';
import { roadExtents, signalsFor, type DeviceSignals } from './signals';

export interface EngineOptions {
  registry: Registry;
  /** Seed of the signal models; defaults to the registry's seed. */
  seed?: number;
  speed?: number;
  /** Wall-clock start, epoch ms. */
  realStart: number;
  /**
   * Simulated start, epoch ms: the moment of the story the models begin at (its hour, its season).
   * Default: the wall-clock start. Tests pin it so the world they see does not depend on when they run.
   */
  simStart?: number;
  /**
   * Start this far into the story (simulated ms): the scenario began `storyOffsetMs` before the simulated
   * start, so a rehearsal can open at a flood's rise; the backfill then covers what came before.
   */
  storyOffsetMs?: number;
  scenario?: ScenarioName;
  /**
   * A rehearsal (DIỄN TẬP): payloads carry simulated timestamps, for a server on the scenario's clock
   * (CLOCK=scenario). Otherwise they carry the wall-clock time they are sent, which a live server accepts.
   */
  rehearsal?: boolean;
  /** Hours of history the environmental stations publish first (0: none). */
  backfillHours?: number;
  include?: (d: Device) => boolean;
  log?: (line: string) => void;
  /**
   * The weather before the story: the ordinary weather alone (default), or with a rainy season's storms over
   * the upper basins (scenarios/rainySeason.ts) for `historyDays` before it, for a forecaster to learn from.
   */
  history?: 'ordinary' | 'rainy-season';
  historyDays?: number;
  /**
   * A rehearsal's learning period (days; default the scenario's `learnDays`, else 0): the river and rain gauges'
   * history from this long before the start up to 48 h before it (`LEARNING_STEP_MS` apart), sent after each
   * gauge has gone live, for the server's river forecasts to learn from as a live server learns from its store.
   * Older than the server's 48 h of memory, it goes to the reading store only. The weather of those days is a
   * rainy season's (`history: 'rainy-season'`), so there are storms to learn from. Rehearsals only.
   */
  learnDays?: number;
}

export interface SimDevice {
  device: Device;
  signals: DeviceSignals;
  telemetryTopic: string;
  eventTopic: string;
  statusTopic: string;
  intervalMs: number;
  /** Backfill step (ms); 0 when the device does not backfill. */
  backfillStepMs: number;
  /** Whether the device sends the learning period (a river or rain gauge the province's basins read, when there is one). */
  learns: boolean;
}

export interface LiveReport extends FaultOutcome {
  /** Things worth a line in the terminal (a river crossing an alarm level). */
  notices: string[];
}

export const DEFAULT_BACKFILL_HOURS = 24;
/** Environmental stations backfill; IoT and cameras have no index that needs history. */
const BACKFILL_KINDS: ReadonlySet<DeviceKind> = new Set(['air-station', 'wastewater-station', 'river-gauge', 'rain-gauge']);
const BACKFILL_STEP_MS = 5 * 60_000;
const MAX_BACKFILL_HOURS = 47;
/**
 * The learning period's step: what the river forecasts need (a level within 20 minutes of each time they read),
 * and few enough messages that 14 days of the basins' gauges are in within about half a minute.
 */
export const LEARNING_STEP_MS = 15 * 60_000;
/** The learning period ends this long before the start: older than the server keeps in memory (MAX_HISTORY_AGE_MS). */
export const LEARNING_END_BEFORE_START_MS = 48 * 3_600_000;
export const MAX_LEARN_DAYS = 30;

/**
 * Backfill step of a device: 5 min, but a wastewater station's every 3 report intervals at most, because
 * the server restarts an exceedance run after a gap longer than that; never finer than live reports.
 */
export function backfillStepMs(device: Device): number {
  if (!BACKFILL_KINDS.has(device.kind)) return 0;
  const interval = device.reportIntervalSec * 1000;
  const step = device.kind === 'wastewater-station' ? Math.min(BACKFILL_STEP_MS, 3 * interval) : BACKFILL_STEP_MS;
  return Math.max(interval, step);
}

export interface Engine {
  readonly sims: readonly SimDevice[];
  readonly scenario: Scenario;
  readonly seed: number;
  readonly speed: number;
  readonly realStart: number;
  readonly simStart: number;
  readonly backfillHours: number;
  readonly rehearsal: boolean;
  /** Days of the learning period (0: none). */
  readonly learnDays: number;
  simAt(real: number): number;
  /** Wall-clock time at which a live report due at simulated time `simT` is sent. */
  realOf(simT: number): number;
  /** Simulated times of a device's backfill, oldest first. */
  backfillTimes(sim: SimDevice): number[];
  /**
   * One backfill reading (QoS 1 so the publisher can pace on acks), with a rain gauge's rain forecast issued in
   * its step where live reports send one (a rehearsal, or speed 1): the story opens with the latest issue known,
   * as a server running through those hours would have it, not with none until the next hour's.
   */
  backfillMessages(sim: SimDevice, simT: number): Outgoing[];
  /** Simulated times of a device's learning period, oldest first (empty for a device that does not learn). */
  learningTimes(sim: SimDevice): number[];
  /**
   * One step of the learning period: the reading, and a rain gauge's rain forecast issued in the step (the
   * hydro-met service's, as live). From signals of their own (the live ones have moved on: a rain gauge reports
   * the rain since its previous report), so they say what the same world said then.
   */
  learningMessages(sim: SimDevice, simT: number): Outgoing[];
  report(sim: SimDevice, due: number): LiveReport;
  status(sim: SimDevice, real: number): string;
  /** The ts a message sent at wall-clock `real` carries (simulated time in a rehearsal). */
  stampAt(real: number): number;
  phaseAt(simT: number): PhaseInfo;
}

export function createEngine(opts: EngineOptions): Engine {
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? opts.registry.seed;
  const slug = opts.registry.province;
  const devices = opts.registry.devices.filter((d) => !opts.include || opts.include(d));
  const realStart = opts.realStart;
  const storyOffsetMs = opts.storyOffsetMs ?? 0;
  if (!(storyOffsetMs >= 0 && Number.isFinite(storyOffsetMs))) throw new Error(`storyOffsetMs must be a non-negative number, got ${storyOffsetMs}`);
  const scenario = buildScenario(opts.scenario ?? 'normal-day', { devices, province: slug, seed, now: (opts.simStart ?? realStart) - storyOffsetMs });
  // A scenario whose story needs the days before (flash-flood: the rain already fallen) asks for more.
  const backfillHours = opts.backfillHours ?? scenario.backfillHours ?? DEFAULT_BACKFILL_HOURS;
  if (!(backfillHours >= 0 && backfillHours <= MAX_BACKFILL_HOURS)) {
    throw new Error(`backfillHours must be in 0..${MAX_BACKFILL_HOURS} (the server keeps 48 h of history), got ${backfillHours}`);
  }
  const simStart = scenario.simStart + storyOffsetMs;
  const rehearsal = opts.rehearsal === true;
  const learnDays = opts.learnDays ?? (rehearsal ? (scenario.learnDays ?? 0) : 0);
  if (!(learnDays >= 0 && learnDays <= MAX_LEARN_DAYS)) throw new Error(`learnDays must be in 0..${MAX_LEARN_DAYS}, got ${learnDays}`);
  if (learnDays > 0 && !rehearsal) throw new Error('a learning period is sent only in a rehearsal (a live server refuses readings older than 48 h)');
  const history = opts.history ?? (learnDays > 0 ? 'rainy-season' : 'ordinary');
  const historyDays = opts.historyDays ?? (learnDays > 0 ? learnDays : 30);
  const storyEffects = history === 'rainy-season' ? withHistoryStorms(scenario.effects, seed, slug, opts.registry.devices, scenario.simStart, historyDays) : scenario.effects;
  const effects: ModelEffects = { ...storyEffects, climate: PROVINCES[slug]?.climate };
  const ctx = {
    seed,
    plateCodes: PROVINCES[slug]?.plateCodes ?? [],
    // From the whole registry: a river drains its rain gauges, and takes what its upstream gauges send
    // down, whether or not this fleet runs them.
    rivers: riverNetwork(opts.registry, log),
    roads: roadExtents(opts.registry.devices),
    effects,
  };

  // The learning period is the basins' gauges and rain gauges: what the server's river forecasts read.
  const learners = learnDays > 0 ? basinInputs(opts.registry, log) : new Set<string>();
  const sims: SimDevice[] = [];
  for (const device of devices) {
    let signals: DeviceSignals;
    try {
      signals = signalsFor(device, ctx);
    } catch (err) {
      log(`skipping ${device.id}: ${(err as Error).message}`);
      continue;
    }
    sims.push({
      device,
      signals,
      telemetryTopic: topicFor(device.type, device.id, 'telemetry'),
      eventTopic: topicFor(device.type, device.id, 'event'),
      statusTopic: topicFor(device.type, device.id, 'status'),
      intervalMs: device.reportIntervalSec * 1000,
      backfillStepMs: backfillHours > 0 ? backfillStepMs(device) : 0,
      learns: learners.has(device.id),
    });
  }

  const realOf = (simT: number) => Math.round(realStart + (simT - simStart) / speed);
  const simAt = (real: number) => simStart + (real - realStart) * speed;
  // What a payload's ts says: simulated time in a rehearsal; else the wall-clock time of sending (live
  // reports) or the same distance before the start (backfill).
  const liveTs = rehearsal ? (simT: number) => Math.round(simT) : realOf;
  const historyTs = rehearsal ? (simT: number) => Math.round(simT) : (simT: number) => Math.round(realStart - (simStart - simT));
  // Alarm stage per river gauge, to tell the terminal when one crosses a level.
  const stages = new Map<string, number>();
  const primed = new WeakSet<DeviceSignals>();
  const learningSignals = new WeakMap<SimDevice, DeviceSignals>();

  /**
   * A past step's reading, and a rain gauge's rain forecast issued in it when `forecasts` (its hours are
   * simulated hours: only where the server's clock runs as the simulation's). A rain gauge reports the rain since
   * its previous report: its signals start one step back, so the oldest reading covers a whole step like the others.
   */
  function historyMessages(sim: SimDevice, signals: DeviceSignals, simT: number, stepMs: number, forecasts: boolean): Outgoing[] {
    if (sim.device.kind === 'rain-gauge' && !primed.has(signals)) signals.report(simT - stepMs);
    primed.add(signals);
    const { telemetry, forecast } = signals.report(simT);
    const out: Outgoing[] = [{ topic: sim.telemetryTopic, payload: JSON.stringify({ ...telemetry, ts: historyTs(simT) }), qos: 1 }];
    if (forecast && forecasts) out.push({ topic: topicFor(sim.device.type, sim.device.id, 'forecast'), payload: JSON.stringify({ ...forecast, ts: historyTs(forecast.ts) }), qos: 1 });
    return out;
  }

  function riverNotice(sim: SimDevice, level: number, due: number): string | null {
    const p = sim.device.props ?? {};
    const bd = [p.bd1, p.bd2, p.bd3];
    if (!bd.every((x) => typeof x === 'number')) return null;
    const prev = stages.get(sim.device.id);
    const stage = alarmStageWithHysteresis(prev, level, bd as number[]);
    stages.set(sim.device.id, stage);
    if (prev === undefined || prev === stage) return null;
    const when = formatOffset(due - simStart);
    const what = stage > prev ? `crossed BĐ ${['I', 'II', 'III'][stage - 1]}` : stage === 0 ? 'fell below BĐ I' : `fell back to BĐ ${['I', 'II', 'III'][stage - 1]}`;
    return `${sim.device.name} (${String(p.river ?? '')}) ${what}: ${level.toFixed(2)} m at sim ${when}`;
  }

  return {
    sims,
    scenario,
    seed,
    speed,
    realStart,
    simStart,
    backfillHours,
    rehearsal,
    simAt,
    realOf,
    backfillTimes(sim) {
      const step = sim.backfillStepMs;
      if (step === 0) return [];
      const last = Math.floor((simStart - 1) / step) * step;
      const n = Math.floor((backfillHours * 3_600_000) / step);
      return Array.from({ length: n }, (_, k) => last - (n - 1 - k) * step);
    },
    learnDays,
    learningTimes(sim) {
      if (!sim.learns) return [];
      const first = Math.ceil((simStart - learnDays * 24 * 3_600_000) / LEARNING_STEP_MS) * LEARNING_STEP_MS;
      const out: number[] = [];
      for (let t = first; t < simStart - LEARNING_END_BEFORE_START_MS; t += LEARNING_STEP_MS) out.push(t);
      return out;
    },
    learningMessages(sim, simT) {
      let signals = learningSignals.get(sim);
      if (!signals) learningSignals.set(sim, (signals = signalsFor(sim.device, ctx)));
      return historyMessages(sim, signals, simT, LEARNING_STEP_MS, true);
    },
    backfillMessages(sim, simT) {
      return historyMessages(sim, sim.signals, simT, sim.backfillStepMs, rehearsal || speed === 1);
    },
    report(sim, due) {
      const { telemetry, events, forecast } = sim.signals.report(due);
      // QoS 1 like every other message: an IOC instance killed before storing a reading leaves it with the
      // broker, for whoever takes over its session (README "Scale out"). In flight per device: MAX_QOS1_IN_FLIGHT.
      const drafts: Draft[] = [{ topic: sim.telemetryTopic, body: { ...telemetry, ts: liveTs(due) }, qos: 1 }];
      for (const e of events) {
        drafts.push({ topic: sim.eventTopic, body: { ...e, ts: typeof e.ts === 'number' ? liveTs(e.ts) : e.ts }, qos: 1 });
      }
      // Its hours are simulated hours: sent only where the server's clock runs as the simulation's.
      if (forecast && (rehearsal || speed === 1)) {
        drafts.push({ topic: topicFor(sim.device.type, sim.device.id, 'forecast'), body: { ...forecast, ts: liveTs(forecast.ts) }, qos: 1 });
      }
      const outcome = scenario.faults
        ? scenario.faults.apply(sim.device, due, sim.intervalMs, drafts)
        : { messages: drafts.map((d) => ({ topic: d.topic, payload: JSON.stringify(d.body), qos: d.qos })), offline: false };
      const notices: string[] = [];
      if ('waterLevel' in telemetry && typeof telemetry.waterLevel === 'number') {
        const n = riverNotice(sim, telemetry.waterLevel, due);
        if (n) notices.push(n);
      }
      return { ...outcome, notices };
    },
    status(sim, real) {
      const simT = simAt(real);
      return JSON.stringify({ ...sim.signals.status(simT), ts: rehearsal ? Math.round(simT) : Math.round(real) });
    },
    stampAt: (real) => Math.round(rehearsal ? simAt(real) : real),
    phaseAt: (simT) => scenario.phaseAt(simT),
  };
}

/** The river and rain gauges the province's basins read (basins.json, derived as riverNetwork derives it). */
function basinInputs(registry: Registry, log: (line: string) => void): Set<string> {
  const out = new Set<string>();
  const meta = PROVINCES[registry.province];
  if (!meta) return out;
  try {
    for (const g of deriveBasins(registry, meta.confluences).gauges) {
      out.add(g.gaugeId);
      for (const u of g.upstream) out.add(u.id);
      for (const r of g.rainGauges) out.add(r);
    }
  } catch (err) {
    log(`no learning period: ${(err as Error).message}`);
  }
  return out;
}

/**
 * The province's rivers: catchments by the fleet's rule and upstream links with travel times as the
 * province's basins.json has them (the generator's output from this registry; a test keeps the two equal).
 * A registry the generator cannot read (a test's handful of devices) runs its rivers unrouted.
 */
export function riverNetwork(registry: Registry, log: (line: string) => void = () => {}): RiverNetwork {
  const gauges = new Map(registry.devices.filter((d) => d.kind === 'river-gauge').map((d) => [d.id, d]));
  const upstream = new Map<string, readonly UpstreamLink[]>();
  const meta = PROVINCES[registry.province];
  if (gauges.size > 0 && meta) {
    try {
      for (const g of deriveBasins(registry, meta.confluences).gauges) upstream.set(g.gaugeId, g.upstream.map(({ id, travelH }) => ({ id, travelH })));
    } catch (err) {
      log(`rivers not routed: ${(err as Error).message}`);
    }
  }
  return { gauges, catchments: catchments(registry.devices), upstream };
}

/** The scenario's effects with a rainy season's storms added before the story's start. */
function withHistoryStorms(effects: ModelEffects, seed: number, province: string, devices: readonly Device[], storyStart: number, days: number): ModelEffects {
  const storms = historyRain(seed, rainySeasonStorms(seed, placesFor(province, devices), storyStart, days));
  const own = effects.rainBoost;
  return { ...effects, rainBoost: own ? (place, t) => own(place, t) + storms(place, t) : storms };
}

/** Alarm stage (0..3) for the terminal: up at a level, down only 5 cm below it, so noise at a threshold is not news. */
export function alarmStageWithHysteresis(prev: number | undefined, level: number, bd: readonly number[]): number {
  const up = bd.filter((x) => level >= x).length;
  if (prev === undefined || up >= prev) return up;
  return Math.min(prev, bd.filter((x) => level >= x - 0.05).length);
}

/** "+7 h 05 min" */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const m = Math.floor(Math.abs(ms) / 60_000);
  return `${sign}${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
