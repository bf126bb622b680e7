/** The device registry: one checked-in data file per province, made by the seeded fleet generator. */
import { z } from 'zod';
import { DEVICE_TYPES } from './mqtt';

export const DEVICE_KINDS = [
  'air-station',
  'wastewater-station',
  'river-gauge',
  'rain-gauge',
  'traffic-camera',
  'street-light',
  'energy-meter',
  'reservoir',
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const deviceSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  type: z.enum(DEVICE_TYPES),
  kind: z.enum(DEVICE_KINDS),
  name: z.string().min(1),
  lon: z.number().finite(),
  lat: z.number().finite(),
  /** Official 5-digit code of the commune (xã/phường/đặc khu) that contains the device. */
  commune: z.string().regex(/^\d{5}$/),
  /** How often the device reports; three missed reports make it offline. */
  reportIntervalSec: z.number().int().positive(),
  /** Domain extras: river and gauge name for river gauges, road for cameras, and so on. */
  props: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type Device = z.infer<typeof deviceSchema>;

export const registrySchema = z.object({
  province: z.string(),
  seed: z.number().int(),
  generatedBy: z.string(),
  devices: z.array(deviceSchema),
});
export type Registry = z.infer<typeof registrySchema>;

/** Vietnamese labels, for the UI. */
export const DEVICE_TYPE_LABELS: Record<(typeof DEVICE_TYPES)[number], string> = {
  air: 'Quan trắc không khí',
  water: 'Quan trắc nước thải',
  hydro: 'Trạm thủy văn',
  rain: 'Trạm đo mưa',
  camera: 'Camera giao thông',
  iot: 'Thiết bị IoT',
  reservoir: 'Hồ chứa thủy điện',
};
