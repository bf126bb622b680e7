import { describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/devices';
import { VIOLATION_TYPES, type CameraEvent, type VehicleClass } from '../../../shared/mqtt';
import { isValidVnPlate } from '../../../shared/plates';
import { createRandom, pick, type RandomSource } from '../../../shared/random';
import type { Segment } from '../../../shared/traffic';
import { RawPlateStore, ViolationTracker, vnDayKey, vnDayStart } from './violations';

const HOUR = 3_600_000;
// 2025-10-28 00:00 in Vietnam is 2025-10-27 17:00 UTC.
const MIDNIGHT = Date.UTC(2025, 9, 27, 17, 0, 0);

const makeCamera = (id: string, commune: string, road = 'QL1A'): Device => ({
  id,
  type: 'camera',
  kind: 'traffic-camera',
  name: id,
  lon: 108.8,
  lat: 15.1,
  commune,
  reportIntervalSec: 30,
  props: { road, km: 1, direction: 'S', speedLimit: 60 },
});

const makeEvent = (overrides: Partial<CameraEvent> = {}): CameraEvent => ({
  ts: MIDNIGHT + 8 * HOUR,
  violation: 'redLight',
  plate: '76A-123.45',
  vehicleType: 'car',
  ...overrides,
});

const segment: Segment = {
  id: 'ql1a-0000',
  road: 'QL1A',
  name: 'QL1A Km 0–3',
  fromKm: 0,
  toKm: 3,
  lengthKm: 3,
  freeFlowKmh: 70,
  coordinates: [
    [108.8, 15.1],
    [108.8, 15.07],
  ],
  commune: '21025',
  cameraIds: { forward: ['cam-a'], backward: [] },
};

function makeTracker(feedSize = 10, rawCapacity = 1000) {
  const rawPlates = new RawPlateStore(rawCapacity);
  const cameras = [makeCamera('cam-a', '21025'), makeCamera('cam-b', '21028'), makeCamera('cam-c', '21028', 'QL24')];
  const other: Device = { ...makeCamera('air-1', '21025'), type: 'air', kind: 'air-station' };
  const tracker = new ViolationTracker({ cameras: [...cameras, other], segments: [segment], rawPlates, feedSize });
  return { tracker, rawPlates };
}

describe('local day (Asia/Ho_Chi_Minh)', () => {
  it('starts at 17:00 UTC', () => {
    expect(vnDayStart(MIDNIGHT)).toBe(MIDNIGHT);
    expect(vnDayStart(MIDNIGHT - 1)).toBe(MIDNIGHT - 24 * HOUR);
    expect(vnDayStart(MIDNIGHT + 24 * HOUR - 1)).toBe(MIDNIGHT);
    expect(vnDayKey(MIDNIGHT)).toBe('2025-10-28');
    expect(vnDayKey(MIDNIGHT - 1)).toBe('2025-10-27');
  });
});

describe('ViolationTracker', () => {
  it('counts today by type, camera and commune', () => {
    const { tracker } = makeTracker();
    const now = MIDNIGHT + 9 * HOUR;
    tracker.record('cam-a', makeEvent({ violation: 'redLight' }), now);
    tracker.record('cam-a', makeEvent({ violation: 'speeding', speed: 75, speedLimit: 60, ts: MIDNIGHT + 8 * HOUR + 1 }), now);
    tracker.record('cam-b', makeEvent({ violation: 'noHelmet', vehicleType: 'motorbike', plate: '76-B1 234.56' }), now);
    tracker.record('cam-c', makeEvent({ violation: 'noHelmet', vehicleType: 'motorbike', plate: '82-C2 111.22' }), now);
    const s = tracker.summary(now);
    expect(s).toEqual({
      day: '2025-10-28',
      since: MIDNIGHT,
      total: 4,
      byType: { redLight: 1, speeding: 1, wrongLane: 0, wrongWay: 0, noHelmet: 2, illegalParking: 0, phoneUse: 0 },
      byCamera: { 'cam-a': 2, 'cam-b': 1, 'cam-c': 1 },
      byCommune: { '21025': 2, '21028': 2 },
    });
  });

  it('resets at local midnight, and does not count a late event from yesterday', () => {
    const { tracker } = makeTracker();
    tracker.record('cam-a', makeEvent({ ts: MIDNIGHT - 2 * HOUR }), MIDNIGHT - HOUR);
    expect(tracker.summary(MIDNIGHT - 1).total).toBe(1);
    expect(tracker.summary(MIDNIGHT)).toMatchObject({ day: '2025-10-28', total: 0, byCamera: {}, byCommune: {} });
    const late = tracker.record('cam-b', makeEvent({ ts: MIDNIGHT - 60_000 }), MIDNIGHT + 60_000);
    expect(late).not.toBeNull();
    expect(tracker.latest()[0]!.id).toBe(late!.id);
    expect(tracker.summary(MIDNIGHT + 60_000).total).toBe(0);
    tracker.record('cam-b', makeEvent({ ts: MIDNIGHT + 30_000 }), MIDNIGHT + 60_000);
    expect(tracker.summary(MIDNIGHT + 60_000).total).toBe(1);
    // A clock stepping back across midnight does not wipe today's counts.
    expect(tracker.summary(MIDNIGHT - 1000).total).toBe(1);
  });

  it('feeds masked plates, fines, road and segment, newest first, in a bounded ring', () => {
    const { tracker } = makeTracker(3);
    const now = MIDNIGHT + 9 * HOUR;
    const v = tracker.record('cam-a', makeEvent({ violation: 'speeding', speed: 85, speedLimit: 60 }), now)!;
    expect(v).toMatchObject({
      cameraId: 'cam-a',
      commune: '21025',
      road: 'QL1A',
      segmentId: 'ql1a-0000',
      plate: '76A-1**.*5',
      speedKmh: 85,
      speedLimitKmh: 60,
      fineVnd: [6_000_000, 8_000_000],
    });
    for (let i = 1; i <= 4; i++) tracker.record('cam-b', makeEvent({ ts: now - 1000 + i, plate: `38A-${1000 + i}` }), now);
    const feed = tracker.latest();
    expect(feed.map((f) => f.plate)).toEqual(['38A-1**4', '38A-1**3', '38A-1**2']);
    expect(feed[0]!.segmentId).toBeNull();
    expect(tracker.latest(1)).toHaveLength(1);
    expect(tracker.latest(0)).toEqual([]);
  });

  it('keeps raw plates server-side only, by violation id, bounded', () => {
    const { tracker, rawPlates } = makeTracker(10, 3);
    const now = MIDNIGHT + 9 * HOUR;
    const ids = [1, 2, 3, 4].map((i) => tracker.record('cam-a', makeEvent({ ts: now - i, plate: `76A-${100 + i}.00` }), now)!.id);
    expect(rawPlates.size).toBe(3);
    expect(rawPlates.get(ids[0]!)).toBeUndefined();
    expect(rawPlates.get(ids[3]!)).toBe('76A-104.00');
    expect(JSON.stringify(rawPlates)).toBe('{"size":3}');
    expect(() => new RawPlateStore(0)).toThrow(RangeError);
  });

  it('drops a redelivered event and ignores devices that are not registered cameras', () => {
    const { tracker } = makeTracker();
    const now = MIDNIGHT + 9 * HOUR;
    const e = makeEvent();
    const first = tracker.record('cam-a', e, now)!;
    expect(tracker.record('cam-a', { ...e }, now)).toBeNull();
    // Same camera, time and type, another vehicle: a second violation with its own id.
    const second = tracker.record('cam-a', { ...e, plate: '76A-999.99' }, now)!;
    expect(second.id).not.toBe(first.id);
    expect(tracker.record('air-1', e, now)).toBeNull();
    expect(tracker.record('nobody', e, now)).toBeNull();
    expect(tracker.stats()).toEqual({ unknownCamera: 2, duplicate: 1 });
    expect(tracker.summary(now).total).toBe(2);
  });
});

function digits(r: RandomSource, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r.next() * 10));
  return s;
}

/** A camera's read of a plate: the valid forms, plus some garbage OCR output. */
function randomPlate(r: RandomSource, vehicle: VehicleClass): string {
  const code = pick(r, ['76', '82', '38', '29', '51', '43']);
  if (r.next() < 0.05) return `${code}${digits(r, 6)}`;
  if (vehicle === 'motorbike') return `${code}-${pick(r, ['B1', 'K5', 'AA'])} ${digits(r, 3)}.${digits(r, 2)}`;
  return `${code}${pick(r, ['A', 'C', 'LD'])}-${r.next() < 0.15 ? digits(r, 4) : `${digits(r, 3)}.${digits(r, 2)}`}`;
}

describe('no raw plate leaves through the feed or the summary', () => {
  it('holds over a simulated busy minute of many cameras', () => {
    const r = createRandom(42);
    const { tracker } = makeTracker(200, 100_000);
    const raw: string[] = [];
    const now = MIDNIGHT + 17 * HOUR;
    for (let i = 0; i < 3000; i++) {
      const vehicleType = pick(r, ['car', 'motorbike', 'truck', 'bus'] as const);
      const plate = randomPlate(r, vehicleType);
      raw.push(plate);
      const ts = now - 60_000 + Math.floor(r.next() * 60_000);
      tracker.record(pick(r, ['cam-a', 'cam-b', 'cam-c']), makeEvent({ ts, plate, vehicleType, violation: pick(r, VIOLATION_TYPES) }), now);
    }
    const payload = JSON.stringify({ summary: tracker.summary(now), feed: tracker.latest(), tracker });
    // Any full serial, in any of the forms a plate can take, would match one of these.
    expect(payload).not.toMatch(/\d{3}\.\d{2}/);
    expect(payload).not.toMatch(/[A-Z]-\d{4,5}\b/);
    expect(payload).not.toMatch(/ \d{4,5}\b/);
    for (const p of raw) expect(payload.includes(p), p).toBe(false);
    const shown = new Set(tracker.latest().map((f) => f.plate));
    expect(shown.has('***')).toBe(true); // garbage reads are fully masked
    for (const p of shown) expect(isValidVnPlate(p)).toBe(false);
    expect(tracker.summary(now).total).toBe(3000);
  });
});
