/**
 * Alarm rules are data (issue 5 item 1): a province ships overrides as JSON, validated here, so changing a
 * threshold never means changing code. The engine (engine.ts) interprets them.
 *
 * Three kinds share one model of "levels": each level has a severity, a threshold `at` and a minimum
 * duration `forMs`. A level is met once the value has stayed beyond `at` for `forMs`. The alarm is raised at
 * the highest met level and steps up as higher levels are met; it clears only when the value goes back past
 * `clearAt` (hysteresis). A level whose run is broken (value back under its `at`) restarts its duration.
 */
import { z } from 'zod';
import { SEVERITIES, SIGNAL_DOMAINS, severityRank, type Severity } from '../../shared/alarms';

const ms = z.number().int().nonnegative();
const MINUTE = 60_000;

export const levelSchema = z.object({
  severity: z.enum(SEVERITIES),
  /** Raise when value ≥ at ('above') or ≤ at ('below'). */
  at: z.number().finite(),
  /** The value must stay beyond `at` this long (signal time) before the level is met. */
  forMs: ms.default(0),
  /** Vietnamese title shown on the wall, e.g. 'Mực nước vượt BĐ II'. */
  title: z.string().min(1).max(200),
});
export type Level = z.infer<typeof levelSchema>;

const stormSchema = z
  .object({
    /** Alarms of this rule in one commune within `windowMs` before further ones fold into one group. */
    threshold: z.number().int().min(1),
    windowMs: ms.min(1),
  })
  .partial();

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'lowercase letters, digits, dots and dashes'),
  /** Exact signal name, e.g. 'river.stage'. */
  signal: z.string().min(1).max(128),
  domain: z.enum(SIGNAL_DOMAINS),
  enabled: z.boolean().default(true),
  /** Per-rule storm grouping; engine defaults otherwise. */
  storm: stormSchema.optional(),
  /**
   * 'storm' (default): one alarm per source, folded into a group per commune once raises pass the storm
   * threshold. 'commune': one group alarm per commune from the first source on, counting its members up and
   * down; for sources that only mean something together (a commune's street lights, not each lamp).
   */
  group: z.enum(['storm', 'commune']).default('storm'),
};

const leveled = {
  direction: z.enum(['above', 'below']).default('above'),
  /** Severity must not decrease along the list: the index is the step-up order. */
  levels: z.array(levelSchema).min(1).max(8),
  /** Clear when value < clearAt ('above') or > clearAt ('below'). */
  clearAt: z.number().finite(),
  /**
   * A gap between samples longer than this breaks every run (nobody knows what happened meanwhile), and a
   * duration counts at most this far past the latest sample, so a silent station does not escalate itself.
   */
  maxGapMs: ms.min(1).default(15 * MINUTE),
};

export const thresholdRuleSchema = z.object({ ...common, kind: z.literal('threshold'), ...leveled });

/** The watched value is the least-squares slope of the signal, in signal units per hour. */
export const rateRuleSchema = z.object({
  ...common,
  kind: z.literal('rate'),
  ...leveled,
  windowMs: ms.min(1).default(60 * MINUTE),
  /** Samples must span this long before a rate is computed, so two close readings do not make a trend. */
  minSpanMs: ms.default(30 * MINUTE),
});

/** Raised when a source that has reported goes `afterMs` without a non-null value; cleared by the next one. */
export const noDataRuleSchema = z.object({
  ...common,
  kind: z.literal('noData'),
  afterMs: ms.min(1),
  severity: z.enum(SEVERITIES),
  title: z.string().min(1).max(200),
});

export const ruleSchema = z
  .discriminatedUnion('kind', [thresholdRuleSchema, rateRuleSchema, noDataRuleSchema])
  .superRefine((rule, ctx) => {
    if (rule.kind === 'noData') return;
    for (let i = 1; i < rule.levels.length; i++) {
      if (severityRank(rule.levels[i]!.severity) < severityRank(rule.levels[i - 1]!.severity)) {
        ctx.addIssue({ code: 'custom', path: ['levels', i], message: 'severity must not decrease along levels' });
      }
    }
    const ats = rule.levels.map((l) => l.at);
    const ok = rule.direction === 'above' ? rule.clearAt <= Math.min(...ats) : rule.clearAt >= Math.max(...ats);
    if (!ok) ctx.addIssue({ code: 'custom', path: ['clearAt'], message: 'clearAt must lie on the safe side of every level' });
  });

export type Rule = z.infer<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
export type LeveledRule = Extract<Rule, { kind: 'threshold' | 'rate' }>;

export const ruleSetSchema = z.array(ruleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate rule id ${r.id}` });
    seen.add(r.id);
  });
});

/**
 * A province override: `{ id, ...fields }` changes the fields of the default with that id (e.g. `enabled:
 * false`, other `levels`); an id that is not a default must be a complete rule and is added.
 */
export const ruleOverridesSchema = z.array(z.looseObject({ id: z.string() }));

export type RulesResult = { data: Rule[] } | { error: string };

export function mergeRules(defaults: readonly RuleInput[], overrides: unknown): RulesResult {
  const parsed = ruleOverridesSchema.safeParse(overrides);
  if (!parsed.success) return { error: z.prettifyError(parsed.error) };
  const merged = new Map<string, Record<string, unknown>>(defaults.map((r) => [r.id, { ...r }]));
  for (const o of parsed.data) merged.set(o.id, { ...merged.get(o.id), ...o });
  const result = ruleSetSchema.safeParse([...merged.values()]);
  if (!result.success) return { error: z.prettifyError(result.error) };
  return { data: result.data };
}

/** The levels the engine evaluates; a no-data rule is a single level met by silence. */
export function levelsOf(rule: Rule): readonly Level[] {
  if (rule.kind === 'noData') return [{ severity: rule.severity, at: 0, forMs: 0, title: rule.title }];
  return rule.levels;
}

/** Whether `value` is beyond `threshold` in the rule's direction (inclusive: reaching BĐ II counts). */
export function beyond(rule: LeveledRule, value: number, threshold: number): boolean {
  return rule.direction === 'above' ? value >= threshold : value <= threshold;
}

export function clears(rule: LeveledRule, value: number): boolean {
  return rule.direction === 'above' ? value < rule.clearAt : value > rule.clearAt;
}

export function levelSeverity(rule: Rule, level: number): Severity {
  return levelsOf(rule)[level]?.severity ?? 'warning';
}
