/** The API's own descriptions: OpenAPI generated from the zod schemas (and covering every route), DCAT catalogue. */
import type { Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../server/app';
import { OPERATIONS } from '../../server/http/openapi';
import { getJson, startTestApp } from '../support/harness';

let app: App | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  name?: string;
}

/** Every `METHOD /path` the Express app answers (routers included), as OpenAPI paths. */
function routesOf(express: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      if (l.route) for (const m of Object.keys(l.route.methods)) out.push(`${m} ${l.route.path.replace(/[:*](\w+)/g, '{$1}')}`);
      else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk((express as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

describe('API descriptions', () => {
  it('describes every route the server has, with query parameters from the zod schemas', async () => {
    app = await startTestApp();
    const doc = await getJson<{ openapi: string; paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean; schema: { enum?: string[] } }[] }>> }>(`${app.url}/api/openapi.json`);
    expect(doc.openapi).toBe('3.1.0');
    const described = new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`));
    // The static client routes and the geo layer (a static folder) are not API operations.
    const served = routesOf(app.api);
    const api = served.filter((r) => !/^get \/(m|console|login|admin|audit)?$/.test(r));
    expect(api).toEqual(expect.arrayContaining(['get /api/health', 'post /api/alarms/{id}/{action}', 'get /ngsi-ld/v1/entities', 'get /api/export/readings.csv']));
    expect(api.filter((r) => !described.has(r))).toEqual([]);
    const readings = doc.paths['/api/devices/{id}/readings']!.get!;
    expect(readings.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id', 'query:from', 'query:to', 'query:bucket']);
    expect(readings.parameters.find((p) => p.name === 'bucket')!.schema.enum).toEqual(['raw', '1m', '1h']);
    const csv = doc.paths['/api/export/readings.csv']!.get!;
    expect(csv.parameters.find((p) => p.name === 'type')).toMatchObject({ required: true, schema: { enum: ['air', 'water', 'hydro', 'rain', 'camera', 'iot', 'reservoir'] } });
  });

  it('publishes a DCAT catalogue with a dataset per device type and its distributions', async () => {
    app = await startTestApp();
    const cat = await getJson<{ '@type': string; 'dcat:dataset': { 'dct:identifier': string; 'dct:spatial': { 'dcat:bbox': string }; 'dcat:distribution': { 'dcat:mediaType': string }[] }[] }>(`${app.url}/api/export/catalog.json`);
    expect(cat['@type']).toBe('dcat:Catalog');
    expect(cat['dcat:dataset'].map((d) => d['dct:identifier'])).toEqual(['air', 'water', 'hydro', 'rain', 'camera', 'iot'].map((t) => `ioc-quang-ngai-${t}`));
    const air = cat['dcat:dataset'][0]!;
    expect(air['dct:spatial']['dcat:bbox']).toMatch(/^POLYGON\(\(1\d\d\.\d+ 1\d\.\d+,/);
    expect(air['dcat:distribution'].map((d) => d['dcat:mediaType'])).toEqual(['text/csv', 'application/geo+json', 'application/ld+json']);
  });

  it("lists a type only where the province has it: Sơn La's reservoirs, none in Quảng Ngãi", async () => {
    app = await startTestApp({ province: 'son-la' });
    const cat = await getJson<{ 'dcat:dataset': { 'dct:identifier': string; 'dct:title': string }[] }>(`${app.url}/api/export/catalog.json`);
    const reservoirs = cat['dcat:dataset'].find((d) => d['dct:identifier'] === 'ioc-son-la-reservoir');
    expect(reservoirs?.['dct:title']).toMatch(/hồ chứa thủy điện · tỉnh Sơn La/);
  });
});
