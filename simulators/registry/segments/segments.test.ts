import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createCommuneIndex } from '../../../shared/communeIndex';
import type { Device } from '../../../shared/devices';
import { PROVINCES } from '../catalog';
import { segmentNeighbours, segmentsFileSchema, type Segment } from '../../../shared/traffic';
import { buildProvinceSegments, formatSegmentsFile, GENERATED_BY, PROVINCES_DIR } from './buildSegments';
import { distanceM, projectOnSegment, type LonLat } from '../../../shared/geometry';
import { buildSegments, roadSlug } from './segments';

const readJson = (slug: string, file: string): unknown => JSON.parse(readFileSync(join(PROVINCES_DIR, slug, file), 'utf8'));

function polylineKm(coords: readonly LonLat[]): number {
  let m = 0;
  for (let i = 1; i < coords.length; i++) m += distanceM(coords[i - 1]!, coords[i]!);
  return m / 1000;
}

/** The point halfway along the drawn line, found independently of the builder's chainage. */
function geometricMidpoint(coords: readonly LonLat[]): LonLat {
  let left = polylineKm(coords) * 500;
  for (let i = 1; i < coords.length; i++) {
    const d = distanceM(coords[i - 1]!, coords[i]!);
    if (d >= left) {
      const t = left / d;
      const [a, b] = [coords[i - 1]!, coords[i]!];
      return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    }
    left -= d;
  }
  return coords[coords.length - 1]!;
}

const DIR: Record<string, LonLat> = { N: [0, 1], S: [0, -1], E: [1, 0], W: [-1, 0] };

describe.each(Object.keys(PROVINCES))('segments of %s', (slug) => {
  const { segments, warnings } = buildProvinceSegments(slug);
  const devices = (readJson(slug, 'devices.json') as { devices: Device[] }).devices;
  const cameras = devices.filter((d) => d.kind === 'traffic-camera');
  const index = createCommuneIndex(readJson(slug, 'communes.geojson') as FeatureCollection);
  const byId = new Map(segments.map((s) => [s.id, s]));

  it('is the checked-in segments.json, byte for byte (regenerate with buildSegments.ts)', () => {
    const text = readFileSync(join(PROVINCES_DIR, slug, 'segments.json'), 'utf8');
    expect(formatSegmentsFile({ province: slug, generatedBy: GENERATED_BY, segments })).toBe(text);
    const parsed = segmentsFileSchema.safeParse(JSON.parse(text));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.segments).toEqual(segments);
  });

  it('agrees with the km every camera was labelled with', () => {
    expect(warnings).toEqual([]);
  });

  it('puts every camera on exactly one segment of its road, in one direction', () => {
    expect(cameras.length).toBeGreaterThan(100);
    const seen = new Map<string, Segment>();
    for (const s of segments) {
      for (const id of [...s.cameraIds.forward, ...s.cameraIds.backward]) {
        expect(seen.has(id), `${id} twice`).toBe(false);
        seen.set(id, s);
      }
    }
    for (const cam of cameras) {
      const s = seen.get(cam.id);
      expect(s, cam.id).toBeDefined();
      expect(s!.road).toBe(cam.props?.road);
      expect(cam.props?.km as number).toBeGreaterThanOrEqual(s!.fromKm - 0.15);
      expect(cam.props?.km as number).toBeLessThanOrEqual(s!.toKm + 0.15);
    }
    expect(seen.size).toBe(cameras.length);
  });

  it('files each camera under the direction its travel takes along the drawn line', () => {
    for (const cam of cameras) {
      const s = segments.find((x) => x.cameraIds.forward.includes(cam.id) || x.cameraIds.backward.includes(cam.id))!;
      const p: LonLat = [cam.lon, cam.lat];
      let best = { d: Infinity, i: 0 };
      for (let i = 1; i < s.coordinates.length; i++) {
        const d = projectOnSegment(p, s.coordinates[i - 1]!, s.coordinates[i]!).distM;
        if (d < best.d) best = { d, i };
      }
      expect(best.d, `${cam.id} off its segment's line`).toBeLessThan(30);
      const a = s.coordinates[best.i - 1]!;
      const b = s.coordinates[best.i]!;
      const v = DIR[String(cam.props?.direction)]!;
      const dot = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180) * v[0] + (b[1] - a[1]) * v[1];
      expect(s.cameraIds.forward.includes(cam.id), cam.id).toBe(dot > 0);
    }
  });

  it('keeps segments inside the province: the midpoint of each drawn line is in a commune', () => {
    let sameCommune = 0;
    for (const s of segments) {
      const [lon, lat] = geometricMidpoint(s.coordinates);
      const c = index.communeAt(lon, lat);
      expect(c, `${s.id} midpoint ${lon},${lat}`).not.toBeNull();
      if (c?.code === s.commune) sameCommune += 1;
    }
    // The builder measures along in-province km; the drawn line may bridge a short excursion.
    expect(sameCommune / segments.length).toBeGreaterThan(0.95);
  });

  it('cuts 1–5 km segments, shorter only at the end of a road, and draws them as long as they claim', () => {
    const neighbours = segmentNeighbours(segments);
    for (const s of segments) {
      const n = neighbours.get(s.id)!;
      const atEnd = n.prev === undefined || n.next === undefined;
      if (!atEnd) expect(s.lengthKm, s.id).toBeGreaterThanOrEqual(1);
      expect(s.lengthKm, s.id).toBeLessThanOrEqual(5);
      expect(s.lengthKm).toBeCloseTo(s.toKm - s.fromKm, 6);
      // The drawn length also counts short bridged stretches outside the province, which carry no km.
      expect(polylineKm(s.coordinates), s.id).toBeGreaterThanOrEqual(s.lengthKm * 0.99 - 0.01);
      expect(polylineKm(s.coordinates), s.id).toBeLessThanOrEqual(s.lengthKm * 1.02 + 0.6);
    }
    const ends = segments.filter((s) => s.lengthKm < 1);
    expect(ends.length).toBeLessThan(4);
  });

  it('chains the segments of a road end to end, with unique ids', () => {
    expect(byId.size).toBe(segments.length);
    const neighbours = segmentNeighbours(segments);
    for (const s of segments) {
      const next = neighbours.get(s.id)!.next;
      if (next) expect(byId.get(next)!.fromKm).toBe(s.toKm);
      expect(s.id.startsWith(`${roadSlug(s.road)}-`)).toBe(true);
    }
    const starts = segments.filter((s) => neighbours.get(s.id)!.prev === undefined);
    // Few breaks: where a road leaves the province for a while or its map data is in separate parts.
    expect(starts.length).toBeLessThanOrEqual(new Set(segments.map((s) => s.road)).size + 4);
  });
});

describe('buildSegments on a synthetic road', () => {
  // One square commune, a 20 km road due south along 108.5°E, and a side road ending on it 7 km down.
  const KM_DEG = 1 / 111.195; // degrees of latitude per km on the builder's sphere
  const top = 15.5;
  const latAt = (km: number) => top - km * KM_DEG;
  const communes: FeatureCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { code: '00001', name: 'Một', unitType: 'xa' },
        geometry: { type: 'Polygon', coordinates: [[[108.3, 15.6], [108.7, 15.6], [108.7, 15.2], [108.3, 15.2], [108.3, 15.6]]] },
      },
    ],
  };
  const line = (name: string, coords: LonLat[]) => ({
    type: 'Feature' as const,
    properties: { name },
    geometry: { type: 'LineString' as const, coordinates: coords.map((c) => [...c]) },
  });
  const roads: FeatureCollection = {
    type: 'FeatureCollection',
    features: [
      line('Quốc lộ 9Z', [[108.5, latAt(0)], [108.5, latAt(10)], [108.5, latAt(20)]]),
      line('Quốc lộ 99', [[108.6, latAt(7)], [108.5, latAt(7)]]),
      line('Tỉnh lộ 1', [[108.4, latAt(3)], [108.5, latAt(3)]]),
    ],
  };
  const camera = (id: string, km: number, direction: string, lon = 108.5): Device => ({
    id,
    type: 'camera',
    kind: 'traffic-camera',
    name: id,
    lon,
    lat: latAt(km),
    commune: '00001',
    reportIntervalSec: 30,
    props: { road: 'QL9Z', km, direction, speedLimit: 80 },
  });

  it('cuts at the junction, keeps cuts off cameras and files directions', () => {
    const devices = [camera('c1', 1.5, 'S'), camera('c2', 2.5, 'N'), camera('c3', 12, 'S')];
    const { segments, warnings } = buildSegments({ roads, communes, devices });
    expect(warnings).toEqual([]);
    const main = segments.filter((s) => s.road === 'QL9Z');
    const bounds = main.map((s) => s.fromKm);
    // The side national road meets QL9Z at km 7; the provincial road at km 3 is not a junction.
    expect(bounds.some((b) => Math.abs(b - 7) < 0.01)).toBe(true);
    expect(main[0]!.fromKm).toBe(0);
    expect(main[main.length - 1]!.toKm).toBeCloseTo(20, 1);
    for (const s of main) {
      for (const c of devices) expect(Math.abs(s.fromKm - (c.props!.km as number))).toBeGreaterThanOrEqual(0.1 - 1e-9);
      expect(s.lengthKm).toBeGreaterThanOrEqual(1);
      expect(s.lengthKm).toBeLessThanOrEqual(5);
      expect(s.freeFlowKmh).toBe(60);
      expect(s.commune).toBe('00001');
    }
    // Two cameras 1 km apart are split into their own segments rather than shared.
    const of = (id: string) => main.find((s) => [...s.cameraIds.forward, ...s.cameraIds.backward].includes(id))!;
    expect(of('c1').id).not.toBe(of('c2').id);
    // Km increases southwards here, so a southbound camera looks forward.
    expect(of('c1').cameraIds.forward).toEqual(['c1']);
    expect(of('c2').cameraIds.backward).toEqual(['c2']);
    expect(of('c3').name).toMatch(/^QL9Z Km \d+(\.\d)?–\d+(\.\d)?$/);
    expect(of('c3').id).toMatch(/^ql9z-\d{4}$/);
  });

  it('gives trunk roads and built-up communes their own free-flow speeds', () => {
    const urban: FeatureCollection = {
      ...communes,
      features: communes.features.map((f) => ({ ...f, properties: { ...f.properties, unitType: 'phuong' } })),
    };
    const { segments } = buildSegments({ roads, communes: urban, devices: [], config: { trunkRoads: ['QL9Z'] } });
    expect(new Set(segments.filter((s) => s.road === 'QL9Z').map((s) => s.freeFlowKmh))).toEqual(new Set([50]));
    expect(new Set(segments.filter((s) => s.road === 'QL99').map((s) => s.freeFlowKmh))).toEqual(new Set([45]));
  });

  it('refuses a camera that is not on its road', () => {
    expect(() => buildSegments({ roads, communes, devices: [camera('off', 5, 'S', 108.52)] })).toThrow(/off.*not within/);
    expect(() => buildSegments({ roads, communes, devices: [camera('bad', 5, 'up')] })).toThrow(/direction/);
  });
});
