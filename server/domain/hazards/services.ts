/**
 * The province's hazard services, built the one way the live server, the time machine and the bench all need:
 * each call makes a fresh, empty service (the live server keeps one of each; the time machine makes new ones for
 * each past instant and fills them from the rollups).
 */
import type { Device } from '../../../shared/devices';
import type { ProvinceData } from '../../provinces/load';
import { FireDangerService } from '../fire/fireDangerService';
import { CommuneRiskService, DEFAULT_RISK_CONFIG } from '../risk/communeRisk';
import { floodGaugesOf } from '../risk/floodGauges';

export interface HazardServices {
  risk(): CommuneRiskService;
  fire(): FireDangerService;
}

/** Undefined when the province has no susceptibility classes (no risk levels, and so no fire danger either). */
export function hazardServices(province: Pick<ProvinceData, 'risk' | 'meta' | 'basins'>, devices: readonly Device[]): HazardServices | undefined {
  const data = province.risk;
  if (!data) return undefined;
  const rivers = floodGaugesOf(province.meta, province.basins, devices, data.communes);
  const { verified, source } = province.meta.floodRisk;
  const gauges = devices.flatMap((d, i) => (d.type === 'rain' ? [{ i, commune: d.commune, lon: d.lon, lat: d.lat }] : []));
  const stations = devices.flatMap((d, i) => (d.type === 'air' ? [{ i, lon: d.lon, lat: d.lat }] : []));
  const { riskZones, fireDanger } = province.meta;
  return {
    risk: () => new CommuneRiskService(data.communes, gauges, riskZones, data.susceptibility, DEFAULT_RISK_CONFIG, rivers, { verified, source }),
    // Fire danger for the communes with forest: every xã and đặc khu until a province lists its forest cover.
    fire: () =>
      new FireDangerService(
        data.communes.filter((c) => c.unitType !== 'phuong'),
        stations,
        gauges,
        { bands: fireDanger.bands, resetRainMm: fireDanger.resetRainMm },
        { source: fireDanger.source, verified: fireDanger.verified },
      ),
  };
}
