import { describe, expect, it } from 'vitest';
import {
  TELEMETRY_SCHEMAS,
  cameraEventSchema,
  parseTopic,
  statusSchema,
  timestampSchema,
  topicFor,
} from './mqtt';

describe('topics', () => {
  it('round-trips a contract topic', () => {
    expect(parseTopic(topicFor('hydro', 'qng-hyd-0001', 'telemetry'))).toEqual({
      type: 'hydro',
      deviceId: 'qng-hyd-0001',
      channel: 'telemetry',
    });
  });

  it.each([
    'ioc/v1/air/x',
    'ioc/v2/air/x/telemetry',
    'ioc/v1/radar/x/telemetry',
    'ioc/v1/air/x/commands',
    'ioc/v1/air//telemetry',
    'ioc/v1/air/a b/telemetry',
    'ioc/v1/air/x/telemetry/extra',
    `ioc/v1/air/${'x'.repeat(65)}/telemetry`,
  ])('rejects %s', (t) => {
    expect(parseTopic(t)).toBeNull();
  });
});

describe('payload schemas', () => {
  it('takes ts as epoch ms or ISO-8601 with an offset, not without one', () => {
    expect(timestampSchema.parse(1_763_800_000_000)).toBe(1_763_800_000_000);
    expect(timestampSchema.parse('2026-11-22T09:00:00+07:00')).toBe(Date.UTC(2026, 10, 22, 2));
    expect(timestampSchema.parse('2026-11-22T02:00:00Z')).toBe(Date.UTC(2026, 10, 22, 2));
    expect(timestampSchema.safeParse('2026-11-22T09:00:00').success).toBe(false);
    expect(timestampSchema.safeParse('yesterday').success).toBe(false);
    expect(timestampSchema.safeParse(-1).success).toBe(false);
    expect(timestampSchema.safeParse(1.5).success).toBe(false);
  });

  it('rejects negative concentrations, out-of-range pH and occupancy', () => {
    expect(TELEMETRY_SCHEMAS.air.safeParse({ ts: 1, pm25: -1 }).success).toBe(false);
    expect(TELEMETRY_SCHEMAS.water.safeParse({ ts: 1, pH: 15 }).success).toBe(false);
    expect(TELEMETRY_SCHEMAS.camera.safeParse({ ts: 1, windowSec: 60, intensity: {}, averageVehicleSpeed: 40, occupancy: 1.2 }).success).toBe(false);
    expect(TELEMETRY_SCHEMAS.hydro.safeParse({ ts: 1, waterLevel: -0.4 }).success).toBe(true);
  });

  it('caps the number of IoT values', () => {
    const values = Object.fromEntries(Array.from({ length: 65 }, (_, k) => [`v${k}`, k]));
    expect(TELEMETRY_SCHEMAS.iot.safeParse({ ts: 1, values }).success).toBe(false);
    expect(TELEMETRY_SCHEMAS.iot.safeParse({ ts: 1, values: { power: 80 } }).success).toBe(true);
  });

  it('knows the violation types and vehicle classes', () => {
    expect(cameraEventSchema.safeParse({ ts: 1, violation: 'speeding', plate: '76A-123.45', vehicleType: 'car', speed: 92, speedLimit: 80 }).success).toBe(true);
    expect(cameraEventSchema.safeParse({ ts: 1, violation: 'jaywalking', plate: '76A-123.45', vehicleType: 'car' }).success).toBe(false);
  });

  it('takes a status without ts (a last will)', () => {
    expect(statusSchema.parse({ online: false })).toEqual({ online: false });
    expect(statusSchema.safeParse({ online: 'no' }).success).toBe(false);
  });
});
