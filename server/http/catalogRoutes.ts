/**
 * `GET /api/export/catalog.json`: a DCAT catalogue (JSON-LD, DCAT-AP style) of the open datasets, one per
 * device type, with their temporal coverage (from the reading store), spatial extent (the province's bbox),
 * licence and distributions (CSV, GeoJSON, NGSI-LD), so a CKAN portal's DCAT harvester can take them.
 * `GET /api/openapi.json`: the API's OpenAPI description (openapi.ts).
 */
import { Router, type Request, type Response } from 'express';
import { DEVICE_TYPES, type DeviceType } from '../../shared/mqtt';
import type { ReadingStore } from '../store/readings/port';
import { NGSI_TYPES } from './ngsiLd';
import { openApiDocument } from './openapi';
import { publicRoute } from './access';

export interface CatalogDeps {
  /** `types`: the device types of the province's registry. */
  province: { slug: string; name: string; bbox: readonly [number, number, number, number]; types: readonly DeviceType[] };
  readings: Pick<ReadingStore, 'coverage'>;
  attribution: string;
  version: string;
}

const TITLES: Record<DeviceType, string> = {
  air: 'Quan trắc chất lượng không khí tự động',
  water: 'Quan trắc nước thải tự động, liên tục',
  hydro: 'Mực nước sông tại các trạm thủy văn',
  rain: 'Lượng mưa tại các trạm đo mưa',
  camera: 'Lưu lượng giao thông từ camera',
  iot: 'Thiết bị IoT đô thị (đèn đường, công tơ điện)',
  reservoir: 'Mực nước, lưu lượng đến và xả của hồ chứa thủy điện',
};

export function catalogRoutes(deps: CatalogDeps): Router {
  const router = Router();
  const ngsiTypeOf = (t: DeviceType) => Object.entries(NGSI_TYPES).find(([, v]) => v === t)?.[0];

  // Metadata only (what is published, its licence and extent), for a portal's harvester: public.
  router.get('/api/export/catalog.json', publicRoute, async (req: Request, res: Response) => {
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const coverage = await deps.readings.coverage();
    const [w, s, e, n] = deps.province.bbox;
    const spatial = { '@type': 'dct:Location', 'dcat:bbox': `POLYGON((${w} ${s},${e} ${s},${e} ${n},${w} ${n},${w} ${s}))` };
    const temporal = coverage && { '@type': 'dct:PeriodOfTime', 'dcat:startDate': new Date(coverage.from).toISOString(), 'dcat:endDate': new Date(coverage.to).toISOString() };
    // A dataset per type of device the province has (a province without reservoirs publishes none of them).
    const present = new Set(deps.province.types);
    const datasets = DEVICE_TYPES.filter((t) => present.has(t)).map((type) => {
      const ngsi = ngsiTypeOf(type);
      return {
        '@type': 'dcat:Dataset',
        'dct:identifier': `ioc-${deps.province.slug}-${type}`,
        'dct:title': `${TITLES[type]} · tỉnh ${deps.province.name}`,
        'dct:description': `Số liệu ${TITLES[type].toLowerCase()} do Trung tâm Giám sát, Điều hành Thông minh tỉnh ${deps.province.name} thu nhận và lưu trữ.`,
        'dct:language': 'vi',
        'dct:license': deps.attribution,
        'dct:spatial': spatial,
        ...(temporal ? { 'dct:temporal': temporal } : {}),
        'dcat:distribution': [
          { '@type': 'dcat:Distribution', 'dct:title': 'CSV', 'dcat:mediaType': 'text/csv', 'dcat:downloadURL': `${base}/api/export/readings.csv?type=${type}` },
          { '@type': 'dcat:Distribution', 'dct:title': 'Trạm (GeoJSON)', 'dcat:mediaType': 'application/geo+json', 'dcat:downloadURL': `${base}/api/export/stations.geojson?type=${type}` },
          ...(ngsi
            ? [{ '@type': 'dcat:Distribution', 'dct:title': `NGSI-LD ${ngsi}`, 'dcat:mediaType': 'application/ld+json', 'dcat:accessURL': `${base}/ngsi-ld/v1/entities?type=${ngsi}` }]
            : []),
        ],
      };
    });
    res.type('application/ld+json').json({
      '@context': { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/' },
      '@type': 'dcat:Catalog',
      'dct:title': `Dữ liệu mở IOC tỉnh ${deps.province.name}`,
      'dct:description': 'Dữ liệu quan trắc môi trường, thủy văn, giao thông và thiết bị đô thị của Trung tâm Giám sát, Điều hành Thông minh.',
      'dct:language': 'vi',
      'dct:license': deps.attribution,
      'dcat:dataset': datasets,
    });
  });

  router.get('/api/openapi.json', publicRoute, (_req: Request, res: Response) => {
    res.json(openApiDocument({ title: `Provincial IOC · ${deps.province.name}`, version: deps.version }));
  });

  return router;
}
