/** Test factories (STYLE.md 15): fresh objects per call, nothing shared between tests. */
import { AlarmStore } from '../store/alarmStore';
import { AlarmEngine, type AlarmEngineOptions } from './engine';
import { ruleSchema, type Rule, type RuleInput } from './rules';
import type { AlarmChange, Signal } from '../../shared/alarms';

export const T0 = Date.UTC(2026, 9, 1, 0, 0, 0);
export const MIN = 60_000;

export function makeSignal(overrides: Partial<Signal> = {}): Signal {
  return { source: 'dev-1', signal: 'x', value: 0, ts: T0, commune: '51001', domain: 'device', ...overrides };
}

export function makeRule(overrides: Partial<RuleInput> & { kind?: RuleInput['kind'] } = {}): Rule {
  return ruleSchema.parse({
    id: 'r',
    kind: 'threshold',
    signal: 'x',
    domain: 'device',
    levels: [{ severity: 'warning', at: 10, title: 'Vượt ngưỡng' }],
    clearAt: 8,
    ...overrides,
  });
}

export interface Harness {
  engine: AlarmEngine;
  store: AlarmStore;
  changes: AlarmChange[];
  clock: { t: number };
  /** Sets the clock and feeds a signal stamped at that time. */
  at(t: number, s: Partial<Signal>): void;
  tick(t: number): void;
}

export function makeHarness(
  rules: Rule[],
  opts: Partial<AlarmEngineOptions> & { path?: string; startAt?: number } = {},
): Harness {
  const clock = { t: opts.startAt ?? T0 };
  const store = new AlarmStore(opts.path ?? ':memory:');
  const engine = new AlarmEngine({ rules, now: () => clock.t, store, ...opts });
  const changes: AlarmChange[] = [];
  engine.subscribe((c) => changes.push(c));
  return {
    engine,
    store,
    changes,
    clock,
    at(t, s) {
      clock.t = t;
      engine.evaluate(makeSignal({ ts: t, ...s }));
    },
    tick(t) {
      clock.t = t;
      engine.tick(t);
    },
  };
}

export const kinds = (cs: readonly AlarmChange[]): string[] => cs.map((c) => c.change);
