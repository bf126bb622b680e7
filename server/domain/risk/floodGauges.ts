/**
 * The river gauges as Điều 45 of QĐ 18/2021/QĐ-TTg reads them (shared/disasterRisk.ts `floodRiskLevels`): each
 * gauge's alarm levels, its khu vực, historic flood, river basin and the communes its flood level is for. All
 * province data (province.json `gauges` and `floodRisk`, basins.json); what the province has not given is a
 * stand-in that `floodRisk.verified: false` owns up to:
 * - khu vực: the gauge's own `floodZone` (Phụ lục XIII), else its commune's zone of Điều 46 (Phụ lục XII);
 * - communes: the gauge's `floodCommunes`, else its own commune and those whose centre is within `reachKm`;
 * - basin: the gauge's `floodBasin`, else the gauges linked by basins.json's upstream links (a confluence
 *   joins two rivers into one basin).
 */
import type { BasinGauge } from '../../../shared/basins';
import type { Device } from '../../../shared/devices';
import { riskZoneOfCommune, type RiskZone } from '../../../shared/disasterRiskTable';
import { distanceM } from '../../../shared/geometry';
import type { ProvinceMeta } from '../../../shared/provinces';
import type { RiskCommune } from './communeRisk';

export interface FloodGauge {
  /** Registry index. */
  i: number;
  station: string;
  basin: string;
  zone: RiskZone;
  bd1: number;
  bd2: number;
  bd3: number;
  historic: number | null;
  /** Commune codes its level applies to. */
  communes: readonly string[];
}

export function floodGaugesOf(
  meta: Pick<ProvinceMeta, 'gauges' | 'floodRisk' | 'riskZones'>,
  basins: readonly BasinGauge[],
  devices: readonly Device[],
  communes: readonly RiskCommune[],
): FloodGauge[] {
  const sites = new Map(meta.gauges.map((g) => [g.station, g]));
  const basinOf = basinKeys(basins);
  const known = new Set(communes.map((c) => c.code));
  const out: FloodGauge[] = [];
  devices.forEach((d, i) => {
    if (d.type !== 'hydro') return;
    const station = String(d.props?.station ?? d.name);
    const site = sites.get(station);
    const [bd1, bd2, bd3] = [d.props?.bd1, d.props?.bd2, d.props?.bd3];
    if (typeof bd1 !== 'number' || typeof bd2 !== 'number' || typeof bd3 !== 'number') throw new Error(`${d.id}: river gauge without bd1/bd2/bd3`);
    const zone = (site?.floodZone as RiskZone | undefined) ?? riskZoneOfCommune(meta.riskZones, d.commune);
    if (zone === undefined) throw new Error(`${d.id}: no khu vực (no floodZone in province.json, and its commune ${d.commune} is in no riskZones part)`);
    // Checked here, at start: the rule would throw on every tick instead.
    const historic = site?.historicFlood ?? null;
    if (historic !== null && !(historic > bd3 + 0.3)) throw new Error(`${d.id}: historicFlood ${historic} must be above BĐ3 + 0.3 m (${bd3 + 0.3})`);
    const unknown = site?.floodCommunes?.filter((code) => !known.has(code)) ?? [];
    if (unknown.length > 0) throw new Error(`${d.id}: floodCommunes names communes the province does not have: ${unknown.join(', ')}`);
    const reach = meta.floodRisk.reachKm * 1000;
    const near = communes.filter((c) => c.code === d.commune || distanceM([c.lon, c.lat], [d.lon, d.lat]) <= reach).map((c) => c.code);
    out.push({
      i,
      station,
      basin: site?.floodBasin ?? basinOf.get(d.id) ?? d.id,
      zone,
      bd1,
      bd2,
      bd3,
      historic,
      communes: site?.floodCommunes ?? (near.includes(d.commune) ? near : [d.commune, ...near]),
    });
  });
  return out;
}

/** Gauge id → a key shared by the gauges its upstream links join (any one of them: a key, not a name). */
function basinKeys(basins: readonly BasinGauge[]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while ((parent.get(root) ?? root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const g of basins) {
    for (const u of g.upstream) parent.set(find(u.id), find(g.gaugeId));
  }
  return new Map([...new Set([...parent.keys(), ...basins.map((g) => g.gaugeId)])].map((id) => [id, find(id)]));
}
