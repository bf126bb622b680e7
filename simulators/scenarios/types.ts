/**
 * A scenario: a named, seeded story told through the ordinary fleet. It sets the simulated clock's start,
 * changes the signal models (fleet/effects.ts), may break devices on purpose (faults), and names its
 * phases so the terminal can show them as they pass.
 */
import type { Device } from '../../shared/devices';
import { SCENARIO_NAMES, type ScenarioName } from '../../shared/simClock';
import type { ModelEffects } from '../fleet/effects';

export { SCENARIO_NAMES, type ScenarioName };

export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(s);
}

export interface ScenarioSetup {
  /** The devices the fleet runs (after any `include` filter). */
  devices: readonly Device[];
  /** The registry's province slug. */
  province: string;
  seed: number;
  /** Wall-clock time the run starts (epoch ms). */
  now: number;
}

export interface PhaseInfo {
  /** 0-based; for a cyclic scenario (normal-day) the index within the day. */
  index: number;
  total: number;
  name: string;
}

/** One message the fleet is about to publish (payload ts already mapped to wall-clock time). */
export interface Outgoing {
  topic: string;
  payload: string;
  qos: 0 | 1;
  /** Set when a fault made or changed this message: what the server should count it as. */
  fault?: FaultKind;
}

export const FAULT_KINDS = [
  'dropout',
  'stuck',
  'drift',
  'badJson',
  'wrongTypes',
  'nanText',
  'oversize',
  'futureTs',
  'staleTs',
  'duplicate',
  'unknownDevice',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOutcome {
  messages: Outgoing[];
  /** The device is out (drop-out): the fleet cuts its connection (its last will fires) until this is false. */
  offline: boolean;
}

/** A message before it is serialised (payload ts already wall-clock time): what faults work on. */
export interface Draft {
  topic: string;
  body: Record<string, unknown>;
  qos: 0 | 1;
}

/** Breaks chosen devices on purpose; sees every report (telemetry first, then events) before it is sent. */
export interface FaultInjector {
  /** Device ids per fault kind, so tests and logs can say who misbehaves. */
  readonly targets: Readonly<Partial<Record<FaultKind, string>>>;
  apply(device: Device, simT: number, intervalMs: number, drafts: readonly Draft[]): FaultOutcome;
}

export interface Scenario {
  name: ScenarioName;
  /** One line for the terminal. */
  title: string;
  /** Simulated time at which the models start (epoch ms); payload timestamps stay wall-clock time. */
  simStart: number;
  phaseAt(simT: number): PhaseInfo;
  effects: ModelEffects;
  faults?: FaultInjector;
  /** Hours of history the fleet sends first unless the run says otherwise (default: the engine's 24). */
  backfillHours?: number;
  /**
   * Days of river and rain history a rehearsal of this story sends for the river forecasts to learn from
   * (engine.ts `learnDays`): a flood rehearsal should warn before its crossings, as a server that has run
   * through a rainy season would.
   */
  learnDays?: number;
}

/** A fixed list of phases, as offsets (simulated ms) from the scenario's start. */
export function phasesFrom(simStart: number, phases: ReadonlyArray<readonly [offsetMs: number, name: string]>) {
  return (simT: number): PhaseInfo => {
    let index = 0;
    for (let k = 0; k < phases.length; k++) if (simT - simStart >= phases[k]![0]) index = k;
    return { index, total: phases.length, name: phases[index]![1] };
  };
}

/** 0 before `a`, rising to 1 at `b`, 1 until `c`, falling to 0 at `d` (smoothstep edges). */
export function trapezoid(x: number, a: number, b: number, c: number, d: number): number {
  if (x <= a || x >= d) return 0;
  const s = (f: number) => f * f * (3 - 2 * f);
  if (x < b) return s((x - a) / (b - a));
  if (x <= c) return 1;
  return s((d - x) / (d - c));
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
