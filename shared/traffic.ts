/**
 * Traffic contract shared by server and client: road segments (drawn by the client), level of service
 * (STANDARDS.md §4), violation labels and fines (Nghị định 168/2024/NĐ-CP, STANDARDS.md §4) as data.
 */
import { z } from 'zod';
import type { VehicleClass, ViolationType } from './mqtt';

// ── Road segments ──────────────────────────────────────────────────────────────────────────────────

/** `forward` is the direction of increasing km, i.e. the order of a segment's `coordinates`. */
/** Network volume samples kept (one every 5 min: 24 h), on the server and on the wall. */
export const VOLUME_CAP = 288;

export const SEGMENT_DIRECTIONS = ['forward', 'backward'] as const;
export type SegmentDirection = (typeof SEGMENT_DIRECTIONS)[number];

const lonLat = z.tuple([z.number().finite(), z.number().finite()]);

export const segmentSchema = z
  .object({
    /** Stable while the road geometry does not change: road and start km, e.g. `ql1a-0123` (Km 12.3). */
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    /** Short road name as on a sign and in camera props: 'QL1A', 'ĐHCM'. */
    road: z.string().min(1),
    /** Vietnamese display name, e.g. 'QL1A Km 12–15.5'. */
    name: z.string().min(1),
    /**
     * In-province distance along the road from where it enters the province (north→south or east→west),
     * the same chainage the cameras' `km` uses; not the official km posts, which the map data lacks.
     */
    fromKm: z.number().finite().nonnegative(),
    toKm: z.number().finite(),
    lengthKm: z.number().finite().positive(),
    freeFlowKmh: z.number().finite().positive(),
    coordinates: z.array(lonLat).min(2),
    /** Commune containing the segment's midpoint. */
    commune: z.string().regex(/^\d{5}$/),
    cameraIds: z.object({ forward: z.array(z.string()), backward: z.array(z.string()) }),
  })
  .refine((s) => s.toKm > s.fromKm, 'toKm must exceed fromKm');
export type Segment = z.infer<typeof segmentSchema>;

export const segmentsFileSchema = z.object({
  province: z.string(),
  generatedBy: z.string(),
  segments: z.array(segmentSchema),
});
export type SegmentsFile = z.infer<typeof segmentsFileSchema>;

// ── Level of service ───────────────────────────────────────────────────────────────────────────────

export const LEVELS_OF_SERVICE = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type LevelOfService = (typeof LEVELS_OF_SERVICE)[number];
/** A segment with no live camera has no level: it is never given a guessed colour. */
export type SegmentLos = LevelOfService | 'noData';

export interface LosBand {
  los: LevelOfService;
  /** Travel speed as a percentage of free-flow speed: the band is (abovePct, upToPct]. */
  abovePct: number;
  /** null for A (no upper bound: faster than free flow is still A). */
  upToPct: number | null;
  labelVi: string;
  labelEn: string;
  rgb: readonly [number, number, number];
  hex: string;
  /** Text colour with WCAG contrast ≥ 4.5 on `hex` (checked in the tests). */
  textHex: string;
}

/**
 * Highway Capacity Manual urban-street bands (STANDARDS.md §4): A > 85 %, B 67–85 %, C 50–67 %, D 40–50 %,
 * E 30–40 %, F ≤ 30 %. Each band includes its upper edge, so exactly 85 % is B and exactly 30 % is F.
 * Colours: the green→red ramp traffic maps use, dark red for F so it stays distinct from E on a dark wall.
 */
export const LOS_BANDS: readonly LosBand[] = [
  { los: 'A', abovePct: 85, upToPct: null, labelVi: 'Thông thoáng', labelEn: 'Free flow', rgb: [26, 152, 80], hex: '#1a9850', textHex: '#000000' },
  { los: 'B', abovePct: 67, upToPct: 85, labelVi: 'Ổn định', labelEn: 'Reasonably free', rgb: [145, 207, 96], hex: '#91cf60', textHex: '#000000' },
  { los: 'C', abovePct: 50, upToPct: 67, labelVi: 'Khá đông', labelEn: 'Stable', rgb: [254, 224, 68], hex: '#fee044', textHex: '#000000' },
  { los: 'D', abovePct: 40, upToPct: 50, labelVi: 'Đông, đi chậm', labelEn: 'Approaching unstable', rgb: [253, 141, 60], hex: '#fd8d3c', textHex: '#000000' },
  { los: 'E', abovePct: 30, upToPct: 40, labelVi: 'Ùn ứ', labelEn: 'Unstable', rgb: [227, 26, 28], hex: '#e31a1c', textHex: '#ffffff' },
  { los: 'F', abovePct: -Infinity, upToPct: 30, labelVi: 'Ùn tắc', labelEn: 'Congested', rgb: [128, 0, 38], hex: '#800026', textHex: '#ffffff' },
];

export const NO_DATA_STYLE = {
  labelVi: 'Không có dữ liệu',
  labelEn: 'No data',
  rgb: [110, 117, 128] as const,
  hex: '#6e7580',
  textHex: '#ffffff',
} as const;

export const LOS_BY_LEVEL: Readonly<Record<LevelOfService, LosBand>> = Object.fromEntries(
  LOS_BANDS.map((b) => [b.los, b]),
) as Record<LevelOfService, LosBand>;

/**
 * Level of service from travel speed and free-flow speed. Compares speed·100 with edge·freeFlow rather
 * than a quotient, so an exact edge (68 km/h of 80 = 85 %) is not pushed across by binary rounding.
 * Throws on a negative or non-finite speed or a non-positive free-flow speed: both are caller bugs
 * (telemetry is validated, free-flow speeds are configuration).
 */
export function levelOfService(speedKmh: number, freeFlowKmh: number): LevelOfService {
  if (!Number.isFinite(speedKmh) || speedKmh < 0) throw new RangeError(`speed must be ≥ 0, got ${speedKmh}`);
  if (!Number.isFinite(freeFlowKmh) || freeFlowKmh <= 0) {
    throw new RangeError(`free-flow speed must be > 0, got ${freeFlowKmh}`);
  }
  const s = speedKmh * 100;
  if (s > 85 * freeFlowKmh) return 'A';
  if (s > 67 * freeFlowKmh) return 'B';
  if (s > 50 * freeFlowKmh) return 'C';
  if (s > 40 * freeFlowKmh) return 'D';
  if (s > 30 * freeFlowKmh) return 'E';
  return 'F';
}

/** 0 for A … 5 for F; 'noData' ranks below A so that any measured level is "worse" than no data. */
export function losRank(los: SegmentLos): number {
  return los === 'noData' ? -1 : LEVELS_OF_SERVICE.indexOf(los);
}

/** The worse of two levels; a measured level always wins over 'noData'. */
export function worseLos(a: SegmentLos, b: SegmentLos): SegmentLos {
  return losRank(b) > losRank(a) ? b : a;
}

/** E and F: the levels that count as congestion for incidents. */
export function isCongested(los: SegmentLos): boolean {
  return los === 'E' || los === 'F';
}

// ── Violations and fines ───────────────────────────────────────────────────────────────────────────

export const VIOLATION_LABEL_VI: Readonly<Record<ViolationType, string>> = {
  redLight: 'Vượt đèn đỏ',
  speeding: 'Chạy quá tốc độ',
  wrongLane: 'Đi sai làn đường',
  wrongWay: 'Đi ngược chiều',
  noHelmet: 'Không đội mũ bảo hiểm',
  illegalParking: 'Dừng, đỗ xe sai quy định',
  phoneUse: 'Dùng điện thoại khi lái xe',
};

export const VIOLATION_LABEL_EN: Readonly<Record<ViolationType, string>> = {
  redLight: 'Red light',
  speeding: 'Speeding',
  wrongLane: 'Wrong lane',
  wrongWay: 'Wrong way',
  noHelmet: 'No helmet',
  illegalParking: 'Illegal stopping or parking',
  phoneUse: 'Phone while driving',
};

export const VEHICLE_CLASS_LABEL_VI: Readonly<Record<VehicleClass, string>> = {
  car: 'Ô tô',
  motorbike: 'Xe máy',
  truck: 'Xe tải',
  bus: 'Xe khách',
};

/** [min, max] in VND. */
export type FineRange = readonly [min: number, max: number];
export type FineByVehicle = Readonly<Record<VehicleClass, FineRange | null>>;

const M = 1_000_000;
/**
 * Nghị định 168 fines cars under "ô tô và các loại xe tương tự xe ô tô", which covers trucks and buses, so
 * they take the car column. null: the violation does not apply to that vehicle (no helmet in a car).
 */
const carLike = (car: FineRange, motorbike: FineRange | null): FineByVehicle => ({
  car,
  truck: car,
  bus: car,
  motorbike,
});

export interface SpeedingBand {
  /** Excess over the limit, km/h, between minKmh and maxKmh; each edge in or out as the decree words it. */
  minKmh: number;
  minInclusive: boolean;
  maxKmh: number;
  maxInclusive: boolean;
  fines: FineByVehicle;
}

/**
 * Speeding by excess band, as the decree words them: "từ 05 km/h đến dưới 10 km/h", "từ 10 km/h đến
 * 20 km/h", "trên 20 km/h đến 35 km/h", "trên 35 km/h". Motorbikes have one band above 20 km/h.
 * Under 5 km/h over the limit there is no fine.
 */
export const SPEEDING_FINES_VND: readonly SpeedingBand[] = [
  { minKmh: 5, minInclusive: true, maxKmh: 10, maxInclusive: false, fines: carLike([0.8 * M, 1 * M], [0.4 * M, 0.6 * M]) },
  { minKmh: 10, minInclusive: true, maxKmh: 20, maxInclusive: true, fines: carLike([4 * M, 6 * M], [0.8 * M, 1 * M]) },
  { minKmh: 20, minInclusive: false, maxKmh: 35, maxInclusive: true, fines: carLike([6 * M, 8 * M], [6 * M, 8 * M]) },
  { minKmh: 35, minInclusive: false, maxKmh: Infinity, maxInclusive: false, fines: carLike([12 * M, 14 * M], [6 * M, 8 * M]) },
];

export const FINES_VND: Readonly<Record<Exclude<ViolationType, 'speeding'>, FineByVehicle>> & {
  speeding: readonly SpeedingBand[];
} = {
  redLight: carLike([18 * M, 20 * M], [4 * M, 6 * M]),
  wrongWay: carLike([18 * M, 20 * M], [4 * M, 6 * M]),
  wrongLane: carLike([4 * M, 6 * M], [0.6 * M, 0.8 * M]),
  speeding: SPEEDING_FINES_VND,
  noHelmet: { car: null, truck: null, bus: null, motorbike: [0.4 * M, 0.6 * M] },
  illegalParking: carLike([0.6 * M, 3 * M], [0.4 * M, 0.6 * M]),
  phoneUse: carLike([4 * M, 6 * M], [0.8 * M, 1 * M]),
};

function inSpeedingBand(excess: number, b: SpeedingBand): boolean {
  const aboveMin = b.minInclusive ? excess >= b.minKmh : excess > b.minKmh;
  const belowMax = b.maxInclusive ? excess <= b.maxKmh : excess < b.maxKmh;
  return aboveMin && belowMax;
}

/**
 * Fine range for a violation. Speeding needs the measured speed and the limit; without them, or under
 * 5 km/h over, it is null, as is a violation that does not apply to the vehicle.
 */
export function fineRange(
  violation: ViolationType,
  vehicle: VehicleClass,
  speedKmh?: number,
  speedLimitKmh?: number,
): FineRange | null {
  if (violation !== 'speeding') return FINES_VND[violation][vehicle];
  if (speedKmh === undefined || speedLimitKmh === undefined) return null;
  const excess = speedKmh - speedLimitKmh;
  if (!Number.isFinite(excess)) return null;
  const band = SPEEDING_FINES_VND.find((b) => inSpeedingBand(excess, b));
  return band ? band.fines[vehicle] : null;
}

// ---- Wire types of the traffic views (built on the server, drawn by the client) ----

export type CloseReason = 'recovered' | 'merged' | 'noData';

export interface CongestionIncident {
  id: string;
  /** The segment whose sustained congestion opened the incident. */
  segmentId: string;
  road: string;
  /** When that segment's congestion began (epoch ms). */
  startedAt: number;
  /** When the incident was raised: startedAt + the sustain time, or later. */
  openedAt: number;
  /** The congested run: neighbouring segments on the same road. */
  segmentIds: string[];
  lengthKm: number;
  /** Lowest speed seen in the extent since the congestion began. */
  worstSpeedKmh: number | null;
  state: 'open' | 'closed';
  closedAt?: number;
  closeReason?: CloseReason;
}

export interface FeedViolation {
  id: string;
  ts: number;
  cameraId: string;
  commune: string;
  road: string | null;
  segmentId: string | null;
  violation: ViolationType;
  vehicleType: VehicleClass;
  /** Masked. */
  plate: string;
  speedKmh?: number;
  speedLimitKmh?: number;
  fineVnd: FineRange | null;
}

export interface ViolationSummary {
  /** Local date, 'YYYY-MM-DD'. */
  day: string;
  /** Epoch ms of the local midnight the counts start from. */
  since: number;
  total: number;
  byType: Record<ViolationType, number>;
  byCamera: Record<string, number>;
  byCommune: Record<string, number>;
}

/** Live state of one segment as the views get it (geometry comes once from GET /api/traffic/segments). */
export interface SegmentState {
  id: string;
  los: SegmentLos;
  speedKmh: number | null;
  /** Vehicles per hour, both directions. */
  totalPerHour: number | null;
  liveCameras: number;
}

/** One point of the province's traffic volume chart: [epoch ms, vehicles per hour]. */
export type VolumeSample = [number, number];

export interface TrafficSnapshot {
  segments: SegmentState[];
  incidents: CongestionIncident[];
  violations: { summary: ViolationSummary; feed: FeedViolation[] };
  volume: VolumeSample[];
}

export interface TrafficDelta {
  /** Segments whose level, speed or volume changed. */
  segments: SegmentState[];
  /** Incidents opened, updated or closed since the previous frame. */
  incidents: CongestionIncident[];
  /** New violations (masked plates), oldest first, and today's counts when they changed. */
  violations: FeedViolation[];
  summary?: ViolationSummary;
  volume: VolumeSample[];
}

/** Neighbours: same road, one ends where the next starts, in km and on the map. */
export function segmentNeighbours(segments: readonly Segment[]): Map<string, { prev?: string; next?: string }> {
  const out = new Map<string, { prev?: string; next?: string }>(segments.map((s) => [s.id, {}]));
  const byRoad = new Map<string, Segment[]>();
  for (const s of segments) byRoad.set(s.road, [...(byRoad.get(s.road) ?? []), s]);
  for (const list of byRoad.values()) {
    list.sort((a, b) => a.fromKm - b.fromKm);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      const end = a.coordinates[a.coordinates.length - 1]!;
      const start = b.coordinates[0]!;
      if (Math.abs(a.toKm - b.fromKm) < 1e-6 && end[0] === start[0] && end[1] === start[1]) {
        out.get(a.id)!.next = b.id;
        out.get(b.id)!.prev = a.id;
      }
    }
  }
  return out;
}
