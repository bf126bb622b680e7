/**
 * Hand-placed facts per province (its province.json): river gauges and industrial zones. Coordinates are approximate public
 * locations (no licensed dataset of them was found, see shared/provinces/ATTRIBUTION.md); the generator
 * nudges a point that falls just outside the province (river banks, coast) to the nearest inside point.
 */
import type { GaugeSite, IndustrialSite, ProvinceMeta, ReservoirSite } from '../../shared/provinces';

/** STANDARDS.md §3: ⚠ not from the QĐ 05/2020/QĐ-TTg appendix, so kept as gauge data, never in logic. */
export const BULLETIN_LEVELS_SOURCE =
  'Back-calculated from official flood bulletins, not from the QĐ 05/2020/QĐ-TTg appendix; unverified';
export const ILLUSTRATIVE_LEVELS_SOURCE = 'Illustrative only: not an official alarm level; replace with the real one';

export type { GaugeSite, IndustrialSite } from '../../shared/provinces';

export interface ProvinceSites {
  /** Id prefix: qng-air-0001. */
  prefix: string;
  gauges: readonly GaugeSite[];
  industry: readonly IndustrialSite[];
  reservoirs: readonly ReservoirSite[];
}

/** The hand-placed sites of a province, from its province.json. */
export function sitesOf(meta: ProvinceMeta): ProvinceSites {
  return { prefix: meta.idPrefix, gauges: meta.gauges, industry: meta.industry, reservoirs: meta.reservoirs ?? [] };
}
