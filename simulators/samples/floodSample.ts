/** Where the shipped flood sample lives (regenerate it with recordFloodSample.ts). */
import { fileURLToPath } from 'node:url';

export const FLOOD_SAMPLE = fileURLToPath(new URL('./flood-quang-ngai.ndjson.gz', import.meta.url));
/** Trà Khúc, Châu Ổ, Sông Vệ (the lower gauges), Sơn Giang (upper Trà Khúc) and rain gauges under the storm. */
export const FLOOD_SAMPLE_DEVICES = [
  'qng-hydro-0001',
  'qng-hydro-0002',
  'qng-hydro-0003',
  'qng-hydro-0005',
  'qng-rain-0003',
  'qng-rain-0020',
  'qng-rain-0047',
  'qng-rain-0051',
] as const;
