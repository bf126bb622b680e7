/**
 * What an instance says about itself (GET /api/health) and what the live views learn of it: the state of
 * each dependency it uses (issue 16: "the header says what is wrong"). One file owns these shapes; the
 * types are inferred from the schemas, and the OpenAPI description is generated from them.
 */
import { z } from 'zod';
import { BROKER_REFUSALS, REJECT_REASONS } from './mqtt';

/**
 * What an instance may depend on: PostgreSQL (stores and the leader's lock, with DATABASE_URL), Redis
 * (joining instances, with REDIS_URL), the MQTT broker the ingest reads, and the reading store's writes
 * (SQLite or PostgreSQL: failing writes or a full queue).
 */
export const DEPENDENCY_NAMES = ['postgresql', 'redis', 'mqtt', 'store'] as const;
export type DependencyName = (typeof DEPENDENCY_NAMES)[number];

export const dependencyStateSchema = z.object({
  name: z.enum(DEPENDENCY_NAMES),
  ok: z.boolean(),
  /** Human-readable: what was checked, or the error. */
  detail: z.string(),
  /** When it went bad (epoch ms, real time); null while ok. */
  since: z.number().nullable(),
});
export type DependencyState = z.infer<typeof dependencyStateSchema>;

/** On the live frames: only the dependencies that are down, and since when (absent when all are fine). */
export const degradedDependencySchema = dependencyStateSchema.pick({ name: true, since: true });
export type DegradedDependency = z.infer<typeof degradedDependencySchema>;

/** The dependencies that are down, in the order given, as the frames carry them. */
export function degradedOf(states: readonly DependencyState[]): DegradedDependency[] {
  return states.filter((s) => !s.ok).map((s) => ({ name: s.name, since: s.since }));
}

const count = z.number();

/**
 * Response of GET /api/health. The parts listed here are the contract; the rest (clock, alarms, leadership,
 * event loop, realtime, broker, store) are reported as they are and may grow.
 */
export const healthResponseSchema = z
  .object({
    /** 'degraded' when a dependency is down (`dependencies`). */
    status: z.enum(['ok', 'degraded']),
    /** Which instance answered (INSTANCE_ID, default host-pid). */
    instance: z.string(),
    /** Each dependency this instance uses, and only those (no PostgreSQL on SQLite, no Redis alone). */
    dependencies: z.array(dependencyStateSchema),
    mqtt: z.object({ connected: z.boolean() }),
    ingest: z.object({
      accepted: count,
      history: count,
      rejected: z.record(z.enum(REJECT_REASONS), count),
      refused: z.record(z.enum(BROKER_REFUSALS), count).optional(),
      ratePerSec: z.number(),
      stuckSensors: count.optional(),
    }),
    devices: z.object({ total: count, online: count }),
    uptimeSec: z.number(),
  })
  .loose();
export type HealthResponse = z.infer<typeof healthResponseSchema>;
