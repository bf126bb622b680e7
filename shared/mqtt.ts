/**
 * The MQTT contract a device vendor is given (DESIGN.md "MQTT contract").
 * Topic: ioc/v1/<type>/<deviceId>/<channel>. Payload: UTF-8 JSON object <= 16 KiB with `ts`.
 */
import { z } from 'zod';

export const TOPIC_ROOT = 'ioc/v1';
export const SUBSCRIBE_TOPIC = `${TOPIC_ROOT}/#`;
export const MAX_PAYLOAD_BYTES = 16 * 1024;

/** New types go at the end: the stores and the device table keep a type as its index here. */
export const DEVICE_TYPES = ['air', 'water', 'hydro', 'rain', 'camera', 'iot', 'reservoir'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];
/** New channels go at the end. `forecast`: a rain gauge's point rain forecast (rainForecastSchema). */
export const CHANNELS = ['telemetry', 'event', 'status', 'forecast'] as const;
export type Channel = (typeof CHANNELS)[number];

const DEVICE_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export interface ParsedTopic {
  type: DeviceType;
  deviceId: string;
  channel: Channel;
}

export function topicFor(type: DeviceType, deviceId: string, channel: Channel): string {
  return `${TOPIC_ROOT}/${type}/${deviceId}/${channel}`;
}

/** Parses a topic of the contract; null when it is not one. Hot path: no regex on the whole topic. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== 'ioc' || parts[1] !== 'v1') return null;
  const type = parts[2] as DeviceType;
  const channel = parts[4] as Channel;
  const deviceId = parts[3]!;
  if (!(DEVICE_TYPES as readonly string[]).includes(type)) return null;
  if (!(CHANNELS as readonly string[]).includes(channel)) return null;
  if (!DEVICE_ID_RE.test(deviceId)) return null;
  return { type, deviceId, channel };
}

/** `ts`: ISO-8601 with an offset, or epoch milliseconds. Parsed to epoch ms. */
export const timestampSchema = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

const conc = z.number().finite().nonnegative();
const finite = z.number().finite();

export const airTelemetrySchema = z.object({
  ts: timestampSchema,
  pm25: conc.optional(),
  pm10: conc.optional(),
  o3: conc.optional(),
  co: conc.optional(),
  so2: conc.optional(),
  no2: conc.optional(),
  temperature: finite.optional(),
  relativeHumidity: z.number().finite().min(0).max(100).optional(),
});

export const waterTelemetrySchema = z.object({
  ts: timestampSchema,
  flow: conc.optional(),
  temperature: finite.optional(),
  pH: z.number().finite().min(0).max(14).optional(),
  cod: conc.optional(),
  tss: conc.optional(),
  nh4: conc.optional(),
  bod5: conc.optional(),
  color: conc.optional(),
});

export const hydroTelemetrySchema = z.object({
  ts: timestampSchema,
  waterLevel: finite,
});

export const rainTelemetrySchema = z.object({
  ts: timestampSchema,
  precipitation: conc,
  intervalSec: z.number().finite().positive(),
});

/** The longest rain forecast taken: 48 steps (two days of hours). */
export const MAX_RAIN_FORECAST_STEPS = 48;

/**
 * A quantitative rain forecast for the point of a rain gauge (`rain/<id>/forecast`), as the hydro-meteorological
 * service issues it (in Việt Nam the national centre, NCHMF, and the provincial station): at `ts`, the rain
 * expected in each of the next steps of `stepMin` minutes, mm. Published by the service's bridge with the
 * credentials of the gauges it forecasts for; the river forecasts read the rain still to fall from it.
 */
export const rainForecastSchema = z.object({
  ts: timestampSchema,
  stepMin: z.number().int().min(10).max(360),
  precipitation: z.array(conc.max(500)).min(1).max(MAX_RAIN_FORECAST_STEPS),
  /** Who issued it, for the operator (e.g. "Đài KTTV tỉnh Quảng Ngãi"). */
  source: z.string().max(100).optional(),
});

/**
 * A hydropower reservoir's report (the plant's SCADA or its reporting system): upstream water level (m above
 * sea level, the datum of the operating procedure), inflow to the lake and total outflow (turbines plus
 * spillway, m³/s), and how many spillway gates (cửa xả mặt and xả đáy together) stand open.
 */
export const reservoirTelemetrySchema = z.object({
  ts: timestampSchema,
  waterLevel: finite,
  inflow: conc.optional(),
  outflow: conc.optional(),
  spillwayGatesOpen: z.number().int().min(0).max(64).optional(),
});

export const RELEASE_PHASES = ['announced', 'started', 'ended'] as const;
export type ReleasePhase = (typeof RELEASE_PHASES)[number];

/**
 * A flood release notice (thông báo xả lũ) from the plant, as the dam owner must give the province and the
 * downstream communes before opening a spillway gate (NĐ 114/2018/NĐ-CP): `announced` with when the gates
 * will open, how many and the planned outflow; `started` when they open; `ended` when the last one closes.
 */
export const reservoirEventSchema = z.object({
  ts: timestampSchema,
  release: z.enum(RELEASE_PHASES),
  /** When the gates open (announced: planned; started: actual). Absent: at `ts`. */
  startsAt: timestampSchema.optional(),
  gates: z.number().int().min(0).max(64).optional(),
  /** Planned total outflow, m³/s. */
  outflow: conc.optional(),
  /** The notice's own words, for the operator (who ordered it, the order's number). */
  note: z.string().max(500).optional(),
});

export const VEHICLE_CLASSES = ['car', 'motorbike', 'truck', 'bus'] as const;
export type VehicleClass = (typeof VEHICLE_CLASSES)[number];

export const cameraTelemetrySchema = z.object({
  ts: timestampSchema,
  windowSec: z.number().finite().positive(),
  intensity: z.object({
    car: conc.optional(),
    motorbike: conc.optional(),
    truck: conc.optional(),
    bus: conc.optional(),
  }),
  averageVehicleSpeed: conc,
  occupancy: z.number().finite().min(0).max(1),
});

export const VIOLATION_TYPES = [
  'redLight',
  'speeding',
  'wrongLane',
  'wrongWay',
  'noHelmet',
  'illegalParking',
  'phoneUse',
] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export const cameraEventSchema = z.object({
  ts: timestampSchema,
  violation: z.enum(VIOLATION_TYPES),
  plate: z.string().min(4).max(16),
  vehicleType: z.enum(VEHICLE_CLASSES),
  speed: conc.optional(),
  speedLimit: conc.optional(),
});

export const iotTelemetrySchema = z.object({
  ts: timestampSchema,
  values: z.record(z.string().max(64), finite).refine((v) => Object.keys(v).length <= 64, 'at most 64 values'),
});

/**
 * Status is retained and also sent as the device's MQTT last will, which is composed at
 * connect time; so `ts` is optional here and never checked for staleness.
 */
export const statusSchema = z.object({
  ts: timestampSchema.optional(),
  online: z.boolean(),
  battery: z.number().finite().min(0).max(100).optional(),
  rssi: finite.optional(),
  firmware: z.string().max(64).optional(),
});

export type AirTelemetry = z.infer<typeof airTelemetrySchema>;
export type WaterTelemetry = z.infer<typeof waterTelemetrySchema>;
export type HydroTelemetry = z.infer<typeof hydroTelemetrySchema>;
export type RainTelemetry = z.infer<typeof rainTelemetrySchema>;
export type CameraTelemetry = z.infer<typeof cameraTelemetrySchema>;
export type CameraEvent = z.infer<typeof cameraEventSchema>;
export type IotTelemetry = z.infer<typeof iotTelemetrySchema>;
export type ReservoirTelemetry = z.infer<typeof reservoirTelemetrySchema>;
export type ReservoirEvent = z.infer<typeof reservoirEventSchema>;
export type RainForecast = z.infer<typeof rainForecastSchema>;
export type Status = z.infer<typeof statusSchema>;

export const TELEMETRY_SCHEMAS = {
  air: airTelemetrySchema,
  water: waterTelemetrySchema,
  hydro: hydroTelemetrySchema,
  rain: rainTelemetrySchema,
  camera: cameraTelemetrySchema,
  iot: iotTelemetrySchema,
  reservoir: reservoirTelemetrySchema,
} as const;

/** Input shapes, for publishers (simulators) that build payloads. */
export type TelemetryInput = { [K in DeviceType]: z.input<(typeof TELEMETRY_SCHEMAS)[K]> };
export type CameraEventInput = z.input<typeof cameraEventSchema>;
export type ReservoirEventInput = z.input<typeof reservoirEventSchema>;
export type RainForecastInput = z.input<typeof rainForecastSchema>;
export type StatusInput = z.input<typeof statusSchema>;

/** Why a message was dropped. Counted per reason and shown on the data-quality panel. */
export const REJECT_REASONS = [
  'badTopic',
  'oversize',
  'badJson',
  'schema',
  'unknownDevice',
  'futureTimestamp',
  'staleTimestamp',
  'duplicate',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * Why the broker refused a connection, a publish or a subscription (device credentials, DESIGN.md "Security
 * model"). Counted per reason beside the ingest's rejects and shown on the data-quality panel.
 */
export const BROKER_REFUSALS = ['noCredentials', 'badSecret', 'unknownDevice', 'revoked', 'foreignTopic', 'subscribeDenied'] as const;
export type BrokerRefusal = (typeof BROKER_REFUSALS)[number];

/** Whether `topic` is one of the device's own: `ioc/v1/<any type>/<deviceId>/<any channel>`. No wildcard reaches here. */
export function isOwnTopic(topic: string, deviceId: string): boolean {
  const parts = topic.split('/');
  return parts.length === 5 && parts[0] === 'ioc' && parts[1] === 'v1' && parts[3] === deviceId;
}

/** A reading may be at most this far ahead of the server clock (clock skew allowance). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Readings up to this old are accepted as history (backfill) but do not count as live. */
export const MAX_HISTORY_AGE_MS = 48 * 3600_000;
/**
 * A rehearsal server also takes its fleet's learning period (simulators/fleet/engine.ts `learnDays`, at most 30
 * days): readings older than MAX_HISTORY_AGE_MS go to the reading store only, for the river forecasts to learn.
 */
export const REHEARSAL_MAX_HISTORY_AGE_MS = 31 * 24 * 3600_000;
