/** Module-level selectors, so that `useLive` can reuse its cached selection between renders. */
import { DEVICE_TYPES, type DeviceType } from '../../shared/mqtt';
import { REJECT_REASONS } from '../../shared/mqtt';
import type { LiveStore } from '../store/liveStore';

export const selectProvince = (s: LiveStore) => s.province;
export const selectConnection = (s: LiveStore) => s.connection;
export const selectLoadError = (s: LiveStore) => s.loadError;
export const selectCounts = (s: LiveStore) => s.counts;
export const selectIngest = (s: LiveStore) => s.ingest;
export const selectRate = (s: LiveStore) => s.ingest.ratePerSec;
export const selectMqttConnected = (s: LiveStore) => s.mqttConnected;
export const selectDegraded = (s: LiveStore) => s.degraded;
export const selectOnline = (s: LiveStore) => s.onlineTotal();
export const selectTotal = (s: LiveStore) => s.deviceTotal();
export const selectHasData = (s: LiveStore) => s.seq !== null;
export const selectRejectedTotal = (s: LiveStore) => REJECT_REASONS.reduce((n, r) => n + (s.ingest.rejected[r] ?? 0), 0);
/** Types only some provinces have: listed (counts, legends) only where the province has one. */
const OPTIONAL_TYPES: ReadonlySet<DeviceType> = new Set(['reservoir']);
/** The device types a view lists: every usual one, and an optional one when the province has any. */
export function shownTypes(counts: LiveStore['counts']): DeviceType[] {
  return DEVICE_TYPES.filter((t) => !OPTIONAL_TYPES.has(t) || counts[t].total > 0);
}
export const selectOfflineByType = (s: LiveStore) => DEVICE_TYPES.map((t) => s.counts[t].total - s.counts[t].online);
export const selectRegistry = (s: LiveStore) => s.registry;
export const selectFrameAt = (s: LiveStore) => s.frameAt;
