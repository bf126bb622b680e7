/** Reads the process environment into an AppConfig, with clear errors for bad values. */
import { z } from 'zod';
import { SCENARIO_NAMES } from '../shared/simClock';
import { DEFAULT_TICK_MS } from '../shared/protocol';
import { DEFAULT_PROVINCE } from '../shared/provinces';
import { PROVINCES, isProvinceSlug } from './provinces/catalog';
import type { AppConfig } from './app';
import { readCredentialsFile } from './broker/gatewayFile';

const portSchema = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  PORT: portSchema.default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  PROVINCE: z
    .string()
    .default(DEFAULT_PROVINCE)
    .refine(isProvinceSlug, { message: `must be one of: ${Object.keys(PROVINCES).join(', ')}` }),
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\//, 'must look like mqtt://host:port')
    .optional(),
  MQTT_PORT: portSchema.default(1883),
  MQTT_CLIENT_ID: z.string().min(1).max(128).optional(),
  /** With MQTT_URL: a JSON file {username, password} the ingest and the fleet log in with (`npm run devices -- mosquitto` writes one). */
  MQTT_CREDENTIALS: z.string().min(1).optional(),
  SIMULATE: z.enum(['0', '1', 'false', 'true']).default('1'),
  SIM_SPEED: z.coerce.number().positive().max(3600).default(1),
  SIM_SEED: z.coerce.number().int().default(1),
  TICK_MS: z.coerce.number().int().min(50).max(10_000).default(DEFAULT_TICK_MS),
  DATA_DIR: z.string().min(1).optional(),
  /** PostgreSQL for the reading store (more than one instance); absent: SQLite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must look like postgres://user:password@host:5432/db')
    .optional(),
  /**
   * Redis that joins instances (the Socket.IO streams adapter and the instances' bus: DESIGN.md "Scale path").
   * Needs DATABASE_URL (every instance's stores in one PostgreSQL) and MQTT_URL (one broker for all).
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must look like redis://host:6379')
    .optional(),
  /** With MQTT_URL: the shared-subscription group instances split the ingest in ($share/<group>/ioc/v1/#, MQTT 5). */
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _ only')
    .optional(),
  /** Names this instance in logs, /api/health and /metrics (default: host-pid). */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, ., - and _ only')
    .optional(),
  /** live (default), or scenario: a rehearsal on the simulated clock a scenario publishes (DIỄN TẬP). */
  CLOCK: z.enum(['live', 'scenario']).default('live'),
  SIM_SCENARIO: z.enum(SCENARIO_NAMES).default('normal-day'),
  /** Start this many simulated hours into the scenario's story (e.g. 2 for a flood's rise). */
  SIM_FROM: z.coerce.number().min(0).max(240).default(0),
  /** A rehearsal's learning period for the river forecasts (days; absent: the scenario's, 14 for flood). */
  SIM_LEARN_DAYS: z.coerce.number().min(0).max(30).optional(),
  /** The first admin's password when there are no users yet; absent: generated and printed once. */
  IOC_ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').max(256).optional(),
  /** Express `trust proxy` behind nginx: a hop count or an address list; absent: trust none. */
  TRUST_PROXY: z.string().min(1).optional(),
  /** Lets Prometheus scrape /metrics with `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Origins, besides the server's own, allowed to open the socket (comma-separated, e.g. https://ioc.tinh.gov.vn). */
  ALLOWED_ORIGINS: z.string().optional(),
  /** Session cookies marked Secure (set when the IOC is behind HTTPS). */
  SECURE_COOKIES: z.enum(['0', '1', 'false', 'true']).default('0'),
  /** Raw plates of violations are deleted after this many days (Law 91/2025/QH15). */
  PLATE_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** Raw readings are kept this many days; rollups (1 min, 1 h) are kept. */
  READINGS_RAW_DAYS: z.coerce.number().positive().max(36500).default(90),
  /** Minute rollups are kept this many days (at least READINGS_RAW_DAYS); absent: kept. */
  READINGS_MINUTE_DAYS: z.coerce.number().positive().max(36500).optional(),
});

/** The built-in simulator fleet that main.ts runs beside the server (SIMULATE=0 turns it off). */
export interface FleetConfig {
  speed: number;
  seed: number;
  scenario: string;
  fromHours: number;
  /** A rehearsal's learning period (simulators/fleet/engine.ts `learnDays`); absent: the scenario's. */
  learnDays?: number;
  /** Readings carry simulated timestamps and the fleet publishes its clock (the server runs with CLOCK=scenario). */
  rehearsal: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv): { app: AppConfig; fleet: FleetConfig | false } {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${lines}`);
  }
  const e = r.data;
  const simulate = e.SIMULATE === '1' || e.SIMULATE === 'true';
  if (e.REDIS_URL && (!e.DATABASE_URL || !e.MQTT_URL)) {
    throw new Error('invalid environment:\n  REDIS_URL: instances joined by Redis also need DATABASE_URL (one PostgreSQL) and MQTT_URL (one broker)');
  }
  if (e.REDIS_URL && e.MQTT_CLIENT_ID) {
    throw new Error('invalid environment:\n  MQTT_CLIENT_ID: not with REDIS_URL (instances sharing one client id knock each other off the broker; each makes its own)');
  }
  if (e.MQTT_SHARE_GROUP && !e.MQTT_URL) throw new Error('invalid environment:\n  MQTT_SHARE_GROUP: only with MQTT_URL (the embedded broker has no shared subscriptions)');
  if (e.MQTT_CREDENTIALS && !e.MQTT_URL) throw new Error('invalid environment:\n  MQTT_CREDENTIALS: only with MQTT_URL (the embedded broker makes its own)');
  const credentials = e.MQTT_CREDENTIALS ? readCredentialsFile(e.MQTT_CREDENTIALS) : undefined;
  return {
    app: {
      port: e.PORT,
      host: e.HOST,
      province: e.PROVINCE as AppConfig['province'],
      mqtt: { url: e.MQTT_URL, port: e.MQTT_PORT, clientId: e.MQTT_CLIENT_ID, credentials, shareGroup: e.MQTT_SHARE_GROUP ?? (e.REDIS_URL ? 'ioc' : undefined) },
      redisUrl: e.REDIS_URL,
      instance: e.INSTANCE_ID,
      tickMs: e.TICK_MS,
      dataDir: e.DATA_DIR,
      databaseUrl: e.DATABASE_URL,
      clock: e.CLOCK,
      retention: { rawDays: e.READINGS_RAW_DAYS, minuteDays: e.READINGS_MINUTE_DAYS ?? null },
      security: {
        adminPassword: e.IOC_ADMIN_PASSWORD,
        trustProxy: e.TRUST_PROXY === undefined ? undefined : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
        metricsToken: e.METRICS_TOKEN,
        allowedOrigins: e.ALLOWED_ORIGINS ? e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) : [],
        secureCookies: e.SECURE_COOKIES === '1' || e.SECURE_COOKIES === 'true',
        plateRetentionDays: e.PLATE_RETENTION_DAYS,
      },
    },
    fleet: simulate ? { speed: e.SIM_SPEED, seed: e.SIM_SEED, scenario: e.SIM_SCENARIO, fromHours: e.SIM_FROM, ...(e.SIM_LEARN_DAYS !== undefined && e.CLOCK === 'scenario' ? { learnDays: e.SIM_LEARN_DAYS } : {}), rehearsal: e.CLOCK === 'scenario' } : false,
  };
}
