/**
 * `GET /api/openapi.json`: an OpenAPI 3.1 description of the HTTP API, generated from the zod schemas the
 * routes validate with (`z.toJSONSchema`, the request side as clients send it), never written by hand. The
 * list of operations is checked against the routes Express really has (test/integration/openapi.test.ts),
 * so a new route without a description fails the tests.
 */
import { z } from 'zod';
import { alarmDetailSchema, alarmPageSchema, alarmSchema } from '../../shared/alarms';
import {
  alarmActionBodySchemas,
  deviceQuerySchema,
  deviceReadingsResponseSchema,
  exportReadingsQuerySchema,
  exportStationsQuerySchema,
  historySnapshotQuerySchema,
  readingsQuerySchema,
  stationHistoryQuerySchema,
} from '../../shared/requests';
import { healthResponseSchema } from '../../shared/health';
import { alarmQuerySchema } from '../store/alarmStore';
import { createDisplaySchema, createUserSchema, loginRequestSchema, unmaskRequestSchema, updateUserSchema } from '../../shared/auth';
import { auditQuerySchema } from '../security/audit';
import { entitiesQuery, temporalQuery } from './ngsiLd';

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Media type of the answer when it is not JSON. */
  produces?: string;
}

export const OPERATIONS: readonly Operation[] = [
  { method: 'post', path: '/api/auth/login', summary: 'Log in: sets the session cookie; answers the user and the CSRF token to send on writes.', body: loginRequestSchema },
  { method: 'post', path: '/api/auth/logout', summary: 'Log out: ends the session and its sockets.' },
  { method: 'get', path: '/api/auth/me', summary: 'The logged-in user and the CSRF token.' },
  { method: 'get', path: '/api/admin/users', summary: 'Users (admin).' },
  { method: 'post', path: '/api/admin/users', summary: 'Create a user (admin).', body: createUserSchema },
  { method: 'patch', path: '/api/admin/users/{username}', summary: 'Change a user: role, communes, password, disabled (admin).', body: updateUserSchema },
  { method: 'get', path: '/api/admin/displays', summary: 'Wall display tokens with their last-seen times (admin).' },
  { method: 'post', path: '/api/admin/displays', summary: 'Create a wall display token; the token is answered once (admin).', body: createDisplaySchema },
  { method: 'delete', path: '/api/admin/displays/{id}', summary: 'Revoke a wall display: its screen blanks at once (admin).' },
  { method: 'get', path: '/api/audit', summary: 'The audit log, newest first (auditor, admin).', query: auditQuerySchema },
  { method: 'post', path: '/api/traffic/violations/{id}/unmask', summary: 'One violation’s raw plate, with a reason; audited before it is answered (operator).', body: unmaskRequestSchema },
  { method: 'get', path: '/api/health/live', summary: 'Liveness only (public): the process answers.' },
  {
    method: 'get',
    path: '/api/health',
    summary: 'Which instance answered, whether it leads, the state of each dependency it uses (PostgreSQL, Redis, MQTT, the reading store) and of each part (ingest, devices, alarms, store, event loop).',
    response: healthResponseSchema,
  },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics of this instance.', produces: 'text/plain' },
  { method: 'get', path: '/api/province', summary: 'The province served: name, code, extent, attribution, tick.' },
  { method: 'get', path: '/api/devices', summary: 'The device registry, whole and in order, or a filtered page.', query: deviceQuerySchema },
  { method: 'get', path: '/api/devices/{id}', summary: 'One device with its live state.' },
  { method: 'get', path: '/api/devices/{id}/history', summary: 'A station’s recent readings from memory (26 h), bucketed.', query: stationHistoryQuerySchema },
  { method: 'get', path: '/api/devices/{id}/readings', summary: 'A device’s stored readings, raw or in minute/hour buckets.', query: readingsQuerySchema, response: deviceReadingsResponseSchema },
  { method: 'get', path: '/api/alarms', summary: 'Alarms, filtered and paged on the server.', query: alarmQuerySchema, response: alarmPageSchema },
  { method: 'get', path: '/api/alarms/{id}', summary: 'One alarm and its audit history.', response: alarmDetailSchema },
  {
    method: 'post',
    path: '/api/alarms/{id}/{action}',
    summary: 'Acknowledge, assign or resolve an alarm (action: acknowledge | assign | resolve).',
    body: z.union([alarmActionBodySchemas.acknowledge, alarmActionBodySchemas.assign, alarmActionBodySchemas.resolve]),
    response: z.object({ data: alarmSchema }),
  },
  { method: 'get', path: '/api/traffic/segments', summary: 'Road segments between cameras (geometry).' },
  { method: 'get', path: '/api/traffic/violations', summary: 'Today’s violations and the latest feed, plates masked.' },
  { method: 'get', path: '/api/ingest/rejects', summary: 'Rejected MQTT messages by reason and the latest examples.' },
  { method: 'get', path: '/api/geo/{layer}', summary: 'A boundary or context layer of the province (GeoJSON).', produces: 'application/geo+json' },
  { method: 'get', path: '/api/export/readings.csv', summary: 'Stored readings of one device type, streamed as CSV.', query: exportReadingsQuerySchema, produces: 'text/csv' },
  { method: 'get', path: '/api/export/stations.geojson', summary: 'The devices as GeoJSON points with their published configuration.', query: exportStationsQuerySchema, produces: 'application/geo+json' },
  { method: 'get', path: '/api/history/snapshot', summary: 'The wall’s snapshot as it was at an instant: device states, station indices, hydrographs, open alarms.', query: historySnapshotQuerySchema },
  { method: 'get', path: '/api/export/catalog.json', summary: 'DCAT catalogue of the open datasets, for a CKAN harvester.' },
  { method: 'get', path: '/api/openapi.json', summary: 'This description.' },
  { method: 'get', path: '/ngsi-ld/v1/entities', summary: 'Current state as NGSI-LD entities (FIWARE Smart Data Models).', query: entitiesQuery, produces: 'application/ld+json' },
  { method: 'get', path: '/ngsi-ld/v1/temporal/entities', summary: 'Stored readings as NGSI-LD temporal entities.', query: temporalQuery, produces: 'application/ld+json' },
];

const ERROR = { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } };

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument(info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = op.query ? jsonSchema(op.query, 'input') : undefined;
    const props = (query?.properties ?? {}) as Record<string, unknown>;
    const required = new Set((query?.required ?? []) as string[]);
    const queryParams = Object.entries(props).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
    const ok = op.produces
      ? { content: { [op.produces]: { schema: { type: 'string' } } } }
      : { content: { 'application/json': { schema: op.response ? jsonSchema(op.response, 'output') : { type: 'object' } } } };
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      parameters: [...pathParams, ...queryParams],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
      responses: {
        '200': { description: 'OK', ...ok },
        ...(op.query || op.body ? { '400': { description: 'Bad request: a clear message says what', content: { 'application/json': { schema: ERROR } } } } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Provincial IOC HTTP API. Live data goes over Socket.IO (see README). Every operation but login, liveness, this description and the catalogue needs a session (POST /api/auth/login); writes also need the x-csrf-token header.' },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ioc.sid' } } },
    security: [{ session: [] }],
    paths,
  };
}
