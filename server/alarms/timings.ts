/**
 * The alarm timings: when an unacknowledged alarm escalates, when raises become a storm, and after how many
 * missed reports a device is offline. Data, like the rules (defaultRules.ts): these defaults, overridden per
 * province by an optional `alarms.json` in its folder (server/provinces/load.ts), validated at start.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../shared/alarms';

const MINUTE = 60_000;

export const DEFAULT_ALARM_TIMINGS = {
  /** A critical alarm unacknowledged 5 min escalates one level, then every further 5 min, up to level 3. */
  escalation: { afterMs: 5 * MINUTE, maxLevel: 3, severities: ['critical'] as readonly Severity[] },
  /** 10 single raises of one rule in one commune within 5 min: the next ones fold into one group alarm. */
  storm: { threshold: 10, windowMs: 5 * MINUTE },
  /** A device that misses 3 of its expected reports is offline. */
  offline: { missedReports: 3 },
} as const;

/** A province's alarms.json: every section and field optional; unknown keys are errors (a typo must not pass). */
export const alarmTimingsFileSchema = z.strictObject({
  escalation: z
    .strictObject({
      afterMs: z.number().int().min(10_000),
      maxLevel: z.number().int().min(0).max(10),
      severities: z.array(z.enum(SEVERITIES)),
    })
    .partial()
    .optional(),
  storm: z
    .strictObject({
      threshold: z.number().int().min(1),
      windowMs: z.number().int().min(1000),
    })
    .partial()
    .optional(),
  offline: z.strictObject({ missedReports: z.number().int().min(1).max(100) }).partial().optional(),
});
export type AlarmTimingsFile = z.infer<typeof alarmTimingsFileSchema>;

export interface AlarmTimings {
  escalation: { afterMs: number; maxLevel: number; severities: readonly Severity[] };
  storm: { threshold: number; windowMs: number };
  offline: { missedReports: number };
}

/** The defaults with a province's overrides; throws naming `file` and each bad field. */
export function resolveAlarmTimings(raw: unknown, file: string): AlarmTimings {
  const r = alarmTimingsFileSchema.safeParse(raw);
  if (!r.success) {
    const fields = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new Error(`${file}: invalid alarm timings: ${fields.join('; ')}`);
  }
  const o = r.data;
  const d = DEFAULT_ALARM_TIMINGS;
  return {
    escalation: { ...d.escalation, ...o.escalation },
    storm: { ...d.storm, ...o.storm },
    offline: { ...d.offline, ...o.offline },
  };
}
