/** HTTP API (JSON) and static files. Live data goes over Socket.IO; these serve what is static or on demand. */
import path from 'node:path';
import { existsSync } from 'node:fs';
import express, { type Express, type Request, type Response } from 'express';
import compression from 'compression';
import helmet from 'helmet';
import { can } from '../../shared/auth';
import type { Identity } from '../security/identity';
import { inScope } from '../security/identity';
import { allow, allowMetrics, assertEveryRouteGuarded, authenticate, csrf, forbidden, publicRoute, who } from './access';
import { authRoutes, bindDisplay } from './authRoutes';
import type { ProvinceInfo } from '../../shared/events';
import type { DependencyState, HealthResponse } from '../../shared/health';
import type { ClockInfo } from '../../shared/simClock';
import { DATA_ATTRIBUTION_VI } from '../../shared/provinces';
import { ERROR_CODES, PROTOCOL_VERSION } from '../../shared/protocol';
import type { DeviceTable } from '../devices/deviceTable';
import type { Ingest } from '../ingest/ingest';
import type { RateMeter } from '../ingest/rateMeter';
import type { ProvinceData } from '../provinces/load';
import type { EnvironmentService } from '../domain/env/environment';
import type { TrafficService } from '../domain/traffic/trafficService';
import type { Segment } from '../../shared/traffic';
import type { AlarmService } from '../alarms/service';
import type { AlarmHealthCache } from '../alarms/health';
import type { AppMetrics } from './metrics';
import { exportRoutes } from './exportRoutes';
import { historyRoutes } from './historyRoutes';
import type { SnapshotAtDeps } from '../history/snapshotAt';
import type { AlarmRecords } from '../store/alarmRecords';
import { ngsiLdRoutes } from './ngsiLd';
import { catalogRoutes } from './catalogRoutes';
import { alarmQuerySchema } from '../store/alarmRows';
import type { AlarmActionResult } from '../../shared/alarms';
import {
  DEVICE_PAGE_MAX,
  alarmActionBodySchemas,
  alarmIdParamSchema,
  READINGS_RAW_MAX_POINTS,
  deviceQuerySchema,
  readingsQuerySchema,
  resolveReadingsRange,
  stationHistoryQuerySchema,
  type AlarmAction,
  type DeviceReadingsResponse,
} from '../../shared/requests';
import type { ReadingStore } from '../store/readings/port';

/** The API description's version: the app's, with the socket protocol it speaks. */
const PROTOCOL_VERSION_LABEL = `0.1.0+protocol.${PROTOCOL_VERSION}`;

export interface RouteDeps {
  province: ProvinceData;
  table: DeviceTable;
  ingest: Ingest;
  rate: RateMeter;
  tickMs: number;
  mqttConnected: () => boolean;
  /** Real time at start, and the real clock: uptime. */
  startedAt: number;
  realNow: () => number;
  /** The domains' clock (simulated time in a rehearsal). */
  now: () => number;
  clock: () => ClockInfo;
  clientDist?: string;
  /** Which instance answers (/api/health). */
  instance: string;
  /** Each dependency the instance uses, checked now: /api/health lists them, and any down makes it 'degraded'. */
  dependencies: () => DependencyState[];
  extraHealth?: () => Record<string, unknown>;
  env: EnvironmentService;
  traffic: TrafficService;
  segments: readonly Segment[];
  alarms: AlarmService;
  metrics: AppMetrics;
  readings: Pick<ReadingStore, 'range' | 'rangeBucketed' | 'rangeBucketedMany' | 'exportRange' | 'coverage' | 'latestAt'>;
  /** The stored alarms and their audit log: the list, one alarm's history, the alarms open at an instant. */
  alarmRecords: AlarmRecords;
  /** Alarm health for /api/health (cached; the console's frames share it). */
  alarmHealth: Pick<AlarmHealthCache, 'get'>;
  identity: Identity;
  security?: SecurityOptions;
  /** Fresh services of the province's hazards, for the time machine (absent: none). */
  hazards?: SnapshotAtDeps['hazards'];
}

export interface SecurityOptions {
  /** Express's `trust proxy` (behind nginx: 1, or the proxy's address), so rate limits see real addresses. */
  trustProxy?: boolean | number | string;
  /** `Authorization: Bearer <token>` lets Prometheus scrape /metrics without a session. */
  metricsToken?: string;
  /** Login attempts per address and per user in a window (tests shorten them). */
  loginLimits?: { windowMs?: number; perAddress?: number; perUser?: number };
}

/** No request body is larger than this (the largest is a user with 500 communes). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * helmet's defaults with what MapLibre and deck.gl need: MapLibre's worker from `blob:`, images from `data:`
 * and `blob:`, inline `style` attributes set by the map. Scripts: our own files only (no inline script).
 */
const CSP = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    childSrc: ["'self'", 'blob:'],
    imgSrc: ["'self'", 'data:', 'blob:'],
    styleSrc: ["'self'", "'unsafe-inline'"],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    upgradeInsecureRequests: null,
  },
};

/** Views the client app routes itself; the server answers each with index.html (it holds no data). */
const CLIENT_ROUTES = ['/', '/m', '/console', '/login', '/admin', '/audit'];

export function buildHttp(deps: RouteDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.security?.trustProxy ?? false);
  // HSTS only means something behind HTTPS, which a proxy in front terminates.
  app.use(helmet({ contentSecurityPolicy: CSP, hsts: false }));
  app.use(compression());
  const dist = deps.clientDist && existsSync(path.join(deps.clientDist, 'index.html')) ? path.resolve(deps.clientDist) : undefined;
  // The client's own files are public (the login page needs them) and hold no data; served before sessions.
  if (dist) app.use(express.static(dist, { index: false, maxAge: '1h' }));
  app.use((req, res, next) => {
    const len = Number(req.headers['content-length'] ?? 0);
    if (len > MAX_BODY_BYTES) {
      res.status(413).json({ error: { code: ERROR_CODES.PAYLOAD_TOO_LARGE, message: `request body over ${MAX_BODY_BYTES} bytes` } });
      return;
    }
    next();
  });
  app.use(deps.identity.sessionMiddleware, authenticate(deps.identity), csrf());
  app.get('/', publicRoute, bindDisplay(deps.identity));
  app.use(authRoutes({ identity: deps.identity, violations: deps.traffic.violations, loginLimits: deps.security?.loginLimits }));

  // Liveness for a load balancer or a supervisor: says only that the process answers.
  app.get('/api/health/live', publicRoute, (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/api/health', allow('read'), async (_req, res) => {
    const alarms = await deps.alarmHealth.get(deps.now());
    const total = deps.table.size;
    const online = deps.table.onlineTotal();
    const connected = deps.mqttConnected();
    const dependencies = deps.dependencies();
    const body: HealthResponse = {
      status: connected && dependencies.every((d) => d.ok) ? 'ok' : 'degraded',
      instance: deps.instance,
      dependencies,
      mqtt: { connected },
      ingest: {
        accepted: deps.ingest.accepted,
        history: deps.ingest.history,
        rejected: { ...deps.ingest.rejected },
        refused: { ...deps.ingest.refused },
        ratePerSec: Math.round(deps.rate.ratePerSec() * 10) / 10,
        stuckSensors: deps.ingest.stuck.count,
      },
      devices: { total, online },
      uptimeSec: Math.round((deps.realNow() - deps.startedAt) / 1000),
      clock: deps.clock(),
      alarms,
      ...deps.extraHealth?.(),
    };
    res.json(body);
  });

  // Prometheus scrapes this (no device ids or plates in it: server/http/metrics.ts).
  app.get('/metrics', allowMetrics(deps.security?.metricsToken), (_req, res, next) => {
    deps.metrics.scrape().then(({ contentType, body }) => {
      res.setHeader('Content-Type', contentType);
      res.send(body);
    }, next);
  });

  app.get('/api/province', allow('read'), (_req, res) => {
    const p = deps.province;
    const info: ProvinceInfo = {
      slug: p.slug,
      code: p.code,
      name: p.name,
      bbox: p.bbox,
      communeCount: p.communeCount,
      attribution: DATA_ATTRIBUTION_VI,
      tickMs: deps.tickMs,
    };
    res.json(info);
  });

  app.get('/api/devices', allow('read'), (req, res) => {
    const q = deviceQuerySchema.safeParse(req.query);
    if (!q.success) {
      badRequest(res, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    const { type, commune, offset = 0, limit } = q.data;
    const all = deps.province.registry.devices;
    const p = who(res);
    // Unfiltered, the registry is returned whole and in order: DevicePatch.i indexes it.
    if (!type && !commune && limit === undefined && offset === 0 && !p.communes) {
      res.json({ registryVersion: deps.province.registryVersion, total: all.length, devices: all });
      return;
    }
    const matches = all.filter((d) => (!type || d.type === type) && (!commune || d.commune === commune) && inScope(p, d.commune));
    const page = matches.slice(offset, offset + (limit ?? DEVICE_PAGE_MAX));
    res.json({ registryVersion: deps.province.registryVersion, total: matches.length, offset, devices: page });
  });

  // A commune-scoped user asking for a device outside their communes is refused (403), whatever it is.
  const deviceInScope = (req: Request<{ id: string }>, res: Response, next: () => void) => {
    const i = deps.table.indexOf(req.params.id);
    const p = who(res);
    if (p.communes && (i === undefined || !inScope(p, deps.province.registry.devices[i]!.commune))) return forbidden(res, 'thiết bị ngoài phạm vi xã/phường của tài khoản');
    next();
  };

  app.get('/api/devices/:id', allow('read'), deviceInScope, (req: Request<{ id: string }>, res) => {
    const i = deps.table.indexOf(req.params.id);
    if (i === undefined) {
      res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: `no device '${req.params.id}'` } });
      return;
    }
    res.json({
      device: deps.province.registry.devices[i],
      index: i,
      state: {
        online: deps.table.online[i] === 1,
        lastSeen: deps.table.lastSeen[i] || null,
        offlineSince: deps.table.offlineSince[i] || null,
        values: deps.table.values[i] ?? null,
      },
    });
  });

  // A station's recent readings for its detail card (on demand, not live: live values come over the socket).
  app.get('/api/devices/:id/history', allow('read'), deviceInScope, (req: Request<{ id: string }>, res) => {
    const i = deps.table.indexOf(req.params.id);
    const hist = i === undefined ? undefined : deps.env.historyOf(i);
    if (i === undefined || !hist) {
      res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: `no station '${req.params.id}' with history` } });
      return;
    }
    const q = stationHistoryQuerySchema.safeParse(req.query);
    if (!q.success) {
      badRequest(res, q.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
      return;
    }
    const to = deps.now();
    const from = to - q.data.hours * 3_600_000;
    const series: Record<string, [number, number][]> = {};
    for (const k of hist.keys()) series[k] = hist.downsample(k, from, to, q.data.bucketMin * 60_000);
    res.json({ id: req.params.id, from, to, bucketMin: q.data.bucketMin, series, derived: deps.env.derived(i) ?? null });
  });

  // A device's stored readings (every accepted one, kept across restarts): raw, or minute and hour buckets.
  app.get('/api/devices/:id/readings', allow('read'), deviceInScope, async (req: Request<{ id: string }>, res) => {
    const id = req.params.id;
    if (deps.table.indexOf(id) === undefined) {
      res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: `no device '${id}'` } });
      return;
    }
    const q = readingsQuerySchema.safeParse(req.query);
    if (!q.success) {
      badRequest(res, q.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
      return;
    }
    const r = resolveReadingsRange(q.data, deps.now());
    if ('error' in r) {
      badRequest(res, r.error);
      return;
    }
    const { from, to } = r;
    let body: DeviceReadingsResponse;
    if (r.bucket === 'raw') {
      // One more than the answer holds: tells a full answer from a cut one.
      const points = await deps.readings.range(id, from, to, { limit: READINGS_RAW_MAX_POINTS + 1 });
      const truncated = points.length > READINGS_RAW_MAX_POINTS;
      if (truncated) points.length = READINGS_RAW_MAX_POINTS;
      body = { id, from, to, bucket: 'raw', points, truncated };
    } else {
      body = { id, from, to, bucket: r.bucket, points: await deps.readings.rangeBucketed(id, from, to, r.bucket) };
    }
    res.json(body);
  });

  app.use(ngsiLdRoutes({ devices: deps.province.registry.devices, table: deps.table, derived: (i) => deps.env.derived(i), readings: deps.readings, now: deps.now }));
  const catalogProvince = { ...deps.province, types: [...new Set(deps.province.registry.devices.map((d) => d.type))] };
  app.use(catalogRoutes({ province: catalogProvince, readings: deps.readings, attribution: DATA_ATTRIBUTION_VI, version: PROTOCOL_VERSION_LABEL }));
  app.use(
    historyRoutes({
      devices: deps.province.registry.devices,
      readings: deps.readings,
      alarms: deps.alarmRecords,
      registryVersion: deps.province.registryVersion,
      now: deps.now,
      ...(deps.hazards ? { hazards: deps.hazards } : {}),
    }),
  );
  app.use(exportRoutes({ devices: deps.province.registry.devices, readings: deps.readings, now: deps.now, attribution: DATA_ATTRIBUTION_VI }));

  // Segment geometry for the map, once; their live state comes over the socket.
  app.get('/api/traffic/segments', allow('read'), (_req, res) => {
    res.json({ segments: deps.segments });
  });

  // Today's violations and the feed, masked plates only (raw plates never leave the server).
  app.get('/api/traffic/violations', allow('read', { provinceWide: true }), (_req, res) => {
    const now = deps.now();
    res.json({ summary: deps.traffic.violations.summary(now), feed: deps.traffic.violations.latest() });
  });

  app.get('/api/alarms', allow('read'), async (req, res) => {
    const q = alarmQuerySchema.safeParse(req.query);
    if (!q.success) {
      badRequest(res, q.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
      return;
    }
    res.json(await deps.alarmRecords.query(q.data, who(res).communes));
  });

  app.get('/api/alarms/:id', allow('read'), async (req: Request<{ id: string }>, res) => {
    const id = alarmIdParamSchema.safeParse(req.params.id);
    const alarm = id.success ? (deps.alarms.engine.get(id.data) ?? (await deps.alarmRecords.get(id.data))) : undefined;
    if (alarm && !inScope(who(res), alarm.commune)) return forbidden(res, 'cảnh báo ngoài phạm vi xã/phường của tài khoản');
    if (!alarm) {
      res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: `no alarm ${req.params.id}` } });
      return;
    }
    res.json({ alarm, history: await deps.alarmRecords.history(alarm.id) });
  });

  // Declared at the least any action needs (acknowledge); each action's own permission is checked inside.
  app.post('/api/alarms/:id/:action', allow('alarm.acknowledge'), express.json({ limit: '16kb' }), async (req: Request<{ id: string; action: string }>, res) => {
    const id = alarmIdParamSchema.safeParse(req.params.id);
    const action = req.params.action as AlarmAction;
    if (!id.success || !Object.hasOwn(alarmActionBodySchemas, action)) {
      res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: 'no such alarm action' } });
      return;
    }
    const p = who(res);
    if (!can(p.role, `alarm.${action}`)) return forbidden(res, `vai trò ${p.role} không được phép: alarm.${action}`);
    const target = deps.alarms.engine.get(id.data) ?? (await deps.alarmRecords.get(id.data));
    if (target && !inScope(p, target.commune)) return forbidden(res, 'cảnh báo ngoài phạm vi xã/phường của tài khoản');
    const body = alarmActionBodySchemas[action].safeParse(req.body);
    if (!body.success) {
      badRequest(res, body.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
      return;
    }
    const b = body.data as { note?: string; assignee?: string };
    // The alarm shows who acted by name; the audit log keeps the username.
    const actor = p.displayName;
    // In a follower instance of a cluster the leader runs it: a promise.
    let result: AlarmActionResult<unknown>;
    if (action === 'acknowledge') result = await deps.alarms.acknowledge(id.data, actor, b.note);
    else if (action === 'assign') result = await deps.alarms.assign(id.data, actor, b.assignee!);
    else result = await deps.alarms.resolve(id.data, actor, b.note!);
    if ('error' in result) res.status(result.error.code === ERROR_CODES.NOT_FOUND ? 404 : result.error.code === ERROR_CODES.UNAVAILABLE ? 503 : 409).json(result);
    else {
      void deps.identity.record({ actor: p.username, action: `alarm.${action}`, target: String(id.data), detail: b.note || b.assignee ? { note: b.note, assignee: b.assignee } : null, address: req.ip ?? null });
      res.json(result);
    }
  });

  app.get('/api/ingest/rejects', allow('read'), (_req, res) => {
    const stuck = deps.ingest.stuck.list(50).map((i) => deps.province.registry.devices[i]!.id);
    res.json({ rejected: deps.ingest.rejected, recent: deps.ingest.recentRejects(), stuckSensors: { total: deps.ingest.stuck.count, devices: stuck } });
  });

  // Boundary and context layers of the province, shipped in the repo (no tile server).
  app.get(
    '/api/geo/*layer',
    allow('read'),
    (req, res, next) => {
      if (!req.path.endsWith('.geojson')) {
        res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: 'no such layer' } });
        return;
      }
      res.type('application/geo+json');
      next();
    },
    (req, res, next) => {
      // The wildcard route keeps the full path; the static folder is the province's own.
      req.url = req.path.slice('/api/geo'.length);
      next();
    },
    express.static(deps.province.dir, { maxAge: '1h', fallthrough: false }),
  );

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: ERROR_CODES.NOT_FOUND, message: 'no such endpoint' } });
  });

  // Malformed JSON bodies, oversized ones and the like: a clear JSON error, never an HTML stack trace.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = err.status && err.status < 500 ? err.status : 500;
    const code = status === 413 ? ERROR_CODES.PAYLOAD_TOO_LARGE : ERROR_CODES.BAD_REQUEST;
    res.status(status).json({ error: { code, message: status === 500 ? 'internal error' : err.message } });
  });

  if (dist) {
    for (const route of CLIENT_ROUTES) {
      app.get(route, publicRoute, (_req, res) => {
        res.setHeader('Cache-Control', 'no-cache');
        res.sendFile(path.join(dist, 'index.html'));
      });
    }
  }
  assertEveryRouteGuarded(app);
  return app;
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: { code: ERROR_CODES.BAD_REQUEST, message } });
}
