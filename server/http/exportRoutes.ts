/**
 * Open data out: the stored readings of one device type as CSV, streamed row by row from the store (never
 * held whole: an export of a month of every device is millions of rows), and the stations as GeoJSON. Only
 * numeric telemetry is stored, so no plate can appear here.
 */
import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import type { Device } from '../../shared/devices';
import { ERROR_CODES } from '../../shared/protocol';
import { EXPORT_MAX_SPAN_MS, READINGS_DEFAULT_SPAN_MS, exportReadingsQuerySchema, exportStationsQuerySchema } from '../../shared/requests';
import type { DeviceType } from '../../shared/mqtt';
import type { ExportRow, ReadingStore } from '../store/readings/port';
import { allow } from './access';

export interface ExportDeps {
  devices: readonly Device[];
  readings: Pick<ReadingStore, 'exportRange'>;
  now: () => number;
  /** Data licence named in the files' metadata. */
  attribution: string;
}

/** Bytes gathered before a write: large enough to cost few syscalls, small enough to start at once. */
const CHUNK_BYTES = 64 * 1024;
export const READINGS_CSV_HEADER = 'device_id,device_type,commune,time_utc,metric,value\n';

export function exportRoutes(deps: ExportDeps): Router {
  const router = Router();
  const byId = new Map(deps.devices.map((d) => [d.id, d]));

  router.get('/api/export/readings.csv', allow('read', { provinceWide: true }), async (req: Request, res: Response) => {
    const q = exportReadingsQuerySchema.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    const to = q.data.to ?? deps.now();
    const from = q.data.from ?? to - READINGS_DEFAULT_SPAN_MS;
    if (from >= to) return badRequest(res, 'from must be before to');
    if (to - from > EXPORT_MAX_SPAN_MS) return badRequest(res, `the range may be at most ${EXPORT_MAX_SPAN_MS / 86_400_000} days; export it in parts`);
    const name = `readings-${q.data.type}-${new Date(from).toISOString().slice(0, 10)}-${new Date(to).toISOString().slice(0, 10)}.csv`;
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    let aborted = false;
    req.once('close', () => (aborted = !res.writableFinished));
    for await (const chunk of readingsCsvChunks(deps.readings.exportRange(q.data.type, from, to), q.data.type, byId)) {
      if (aborted) break;
      // Back-pressure: a slow client slows the read, it never fills the server's memory.
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    if (!aborted) res.end();
  });

  router.get('/api/export/stations.geojson', allow('read', { provinceWide: true }), (req: Request, res: Response) => {
    const q = exportStationsQuerySchema.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    const features = deps.devices
      .filter((d) => !q.data.type || d.type === q.data.type)
      .map((d) => ({
        type: 'Feature' as const,
        id: d.id,
        geometry: { type: 'Point' as const, coordinates: [d.lon, d.lat] },
        properties: { id: d.id, name: d.name, type: d.type, kind: d.kind, commune: d.commune, reportIntervalSec: d.reportIntervalSec, ...stationProps(d) },
      }));
    res.type('application/geo+json').json({ type: 'FeatureCollection', attribution: deps.attribution, features });
  });

  return router;
}

/**
 * The CSV of one type's exported readings (header first), in chunks of about CHUNK_BYTES: one line per value.
 * The route writes them with back-pressure; the bench times them.
 */
export async function* readingsCsvChunks(rows: AsyncIterable<ExportRow>, type: DeviceType, byId: ReadonlyMap<string, Device>): AsyncGenerator<string> {
  let chunk = READINGS_CSV_HEADER;
  for await (const row of rows) {
    const d = byId.get(row.deviceId);
    const prefix = `${row.deviceId},${type},${d?.commune ?? ''},${new Date(row.ts).toISOString()},`;
    for (const [metric, value] of Object.entries(row.values)) chunk += `${prefix}${metric},${value}\n`;
    if (chunk.length >= CHUNK_BYTES) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Station configuration worth publishing (river, alarm levels, permit column); nothing else of `props`. */
function stationProps(d: Device): Record<string, unknown> {
  const p = d.props ?? {};
  const keep = ['river', 'station', 'bd1', 'bd2', 'bd3', 'levelsSource', 'regulation', 'column', 'kq', 'kf', 'road', 'km', 'direction', 'speedLimit'];
  return Object.fromEntries(keep.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: { code: ERROR_CODES.BAD_REQUEST, message } });
}
