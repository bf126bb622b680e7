/**
 * NGSI-LD for the province's data platforms (ETSI GS CIM 009): the current state of each device as a
 * normalized entity of a FIWARE Smart Data Model, and the stored readings as temporal entities.
 *
 * - `GET /ngsi-ld/v1/entities?type=AirQualityObserved[&limit&offset]`: AirQualityObserved (air stations),
 *   WaterQualityObserved (wastewater), WaterObserved (river levels), TrafficFlowObserved (cameras), Device.
 * - `GET /ngsi-ld/v1/temporal/entities?type=…&timerel=between&timeAt=…&endTimeAt=…[&options=temporalValues]`.
 * Query parameters are validated; errors are RFC 7807 problem details with the NGSI-LD error types.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Device } from '../../shared/devices';
import type { StationDerived } from '../../shared/environment';
import type { DeviceType } from '../../shared/mqtt';
import type { DeviceTable } from '../devices/deviceTable';
import type { RawPoint, ReadingStore } from '../store/readings/port';
import { allow } from './access';

export const NGSI_LD_CONTEXT = [
  'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld',
  'https://raw.githubusercontent.com/smart-data-models/dataModel.Transportation/master/context.jsonld',
  'https://raw.githubusercontent.com/smart-data-models/dataModel.Device/master/context.jsonld',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld',
];

/** Entity type → the device type it describes (Device: every device). */
export const NGSI_TYPES = {
  AirQualityObserved: 'air',
  WaterQualityObserved: 'water',
  WaterObserved: 'hydro',
  TrafficFlowObserved: 'camera',
  Device: null,
} as const satisfies Record<string, DeviceType | null>;
type NgsiType = keyof typeof NGSI_TYPES;
const ENTITY_TYPES = Object.keys(NGSI_TYPES) as [NgsiType, ...NgsiType[]];

const PAGE_MAX = 1000;
/** Temporal answers: at most this many instances of an attribute per entity (NGSI-LD `lastN`-style cut). */
const TEMPORAL_MAX_INSTANCES = 1000;
const TEMPORAL_MAX_SPAN_MS = 7 * 86_400_000;

const page = {
  type: z.enum(ENTITY_TYPES, { message: `type must be one of ${ENTITY_TYPES.join(', ')}` }),
  limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(20),
  offset: z.coerce.number().int().min(0).default(0),
};
export const entitiesQuery = z.object(page);
const dateTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && Number.isFinite(Date.parse(s)), {
  message: 'must be an ISO-8601 DateTime with a zone, e.g. 2026-12-04T10:00:00Z',
});
export const temporalQuery = z
  .object({
    ...page,
    timerel: z.enum(['between', 'before', 'after']),
    timeAt: dateTime,
    endTimeAt: dateTime.optional(),
    options: z.enum(['temporalValues']).optional(),
  })
  .refine((q) => q.timerel !== 'between' || q.endTimeAt !== undefined, { message: 'timerel=between needs endTimeAt', path: ['endTimeAt'] });

export interface NgsiDeps {
  devices: readonly Device[];
  table: DeviceTable;
  derived: (i: number) => StationDerived | undefined;
  readings: Pick<ReadingStore, 'range'>;
  now: () => number;
}

const urn = (type: string, id: string) => `urn:ngsi-ld:${type}:${id}`;
const iso = (ms: number) => new Date(ms).toISOString();
const property = (value: unknown, observedAt?: number) => ({ type: 'Property', value, ...(observedAt ? { observedAt: iso(observedAt) } : {}) });

export function ngsiLdRoutes(deps: NgsiDeps): Router {
  const router = Router();
  const members = (type: NgsiType) => {
    const t = NGSI_TYPES[type];
    return deps.devices.flatMap((d, i) => (t === null || d.type === t ? [i] : []));
  };

  function entity(type: NgsiType, i: number): Record<string, unknown> {
    const d = deps.devices[i]!;
    const seen = deps.table.lastSeen[i] || 0;
    const base: Record<string, unknown> = {
      id: urn(type, d.id),
      type,
      name: property(d.name),
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [d.lon, d.lat] } },
      areaServed: property(d.commune),
    };
    if (type === 'Device') {
      return {
        ...base,
        category: property([d.kind]),
        deviceState: property(deps.table.online[i] === 1 ? 'online' : 'offline'),
        dateLastValueReported: property({ '@type': 'DateTime', '@value': seen ? iso(seen) : null }),
      };
    }
    const out: Record<string, unknown> = { ...base, refDevice: { type: 'Relationship', object: urn('Device', d.id) } };
    if (seen) out.dateObserved = property({ '@type': 'DateTime', '@value': iso(seen) });
    for (const [k, v] of Object.entries(deps.table.values[i] ?? {})) out[k] = property(v, seen || undefined);
    const x = deps.derived(i);
    if (x?.kind === 'air' && x.aqi !== null) out.airQualityIndex = property(x.aqi, seen || undefined);
    if (x?.kind === 'hydro' && x.level !== null) out.alertLevel = property(x.stage, seen || undefined);
    if (x?.kind === 'water' && x.status !== null) out.complianceStatus = property(x.status, seen || undefined);
    return out;
  }

  router.get('/ngsi-ld/v1/entities', allow('read', { provinceWide: true }), (req: Request, res: Response) => {
    const q = entitiesQuery.safeParse(req.query);
    if (!q.success) return problem(res, 'BadRequestData', q.error);
    const ids = members(q.data.type).slice(q.data.offset, q.data.offset + q.data.limit);
    res.type('application/ld+json').json(ids.map((i) => ({ ...entity(q.data.type, i), '@context': NGSI_LD_CONTEXT })));
  });

  router.get('/ngsi-ld/v1/temporal/entities', allow('read', { provinceWide: true }), async (req: Request, res: Response) => {
    const q = temporalQuery.safeParse(req.query);
    if (!q.success) return problem(res, 'BadRequestData', q.error);
    if (q.data.type === 'Device') return problem(res, 'BadRequestData', 'type Device has no temporal attributes; ask for an observation type');
    const at = Date.parse(q.data.timeAt);
    const [from, to] =
      q.data.timerel === 'between' ? [at, Date.parse(q.data.endTimeAt!)] : q.data.timerel === 'before' ? [at - TEMPORAL_MAX_SPAN_MS, at] : [at, Math.min(deps.now(), at + TEMPORAL_MAX_SPAN_MS)];
    if (!(from < to)) return problem(res, 'BadRequestData', 'endTimeAt must be after timeAt');
    if (to - from > TEMPORAL_MAX_SPAN_MS) return problem(res, 'BadRequestData', 'the time range may be at most 7 days');
    const type = q.data.type;
    const ids = members(type).slice(q.data.offset, q.data.offset + q.data.limit);
    const out = [];
    for (const i of ids) {
      const d = deps.devices[i]!;
      const points = await deps.readings.range(d.id, from, to, { limit: TEMPORAL_MAX_INSTANCES });
      out.push({ id: urn(type, d.id), type, ...temporalAttributes(points, q.data.options === 'temporalValues'), '@context': NGSI_LD_CONTEXT });
    }
    res.type('application/ld+json').json(out);
  });

  return router;
}

/** Normalized: each attribute an array of instances; temporalValues: `{ type, values: [[value, time], …] }`. */
function temporalAttributes(points: readonly RawPoint[], simplified: boolean): Record<string, unknown> {
  const byName = new Map<string, [number, string][]>();
  for (const p of points) {
    const t = iso(p.ts);
    for (const [k, v] of Object.entries(p.values)) {
      let list = byName.get(k);
      if (!list) byName.set(k, (list = []));
      list.push([v, t]);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, list] of byName) {
    out[k] = simplified ? { type: 'Property', values: list } : list.map(([value, observedAt]) => ({ type: 'Property', value, observedAt }));
  }
  return out;
}

/** RFC 7807 problem details with the NGSI-LD error type URIs. */
function problem(res: Response, kind: 'BadRequestData', detail: z.ZodError | string): void {
  const text = typeof detail === 'string' ? detail : detail.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
  res.status(400).type('application/json').json({ type: `https://uri.etsi.org/ngsi-ld/errors/${kind}`, title: 'Bad request data', detail: text });
}
