/**
 * Which 24 h charts a station's card shows, from its stored readings in minute buckets and its live state (for
 * limit lines). A stretch without readings stays a gap in the line, never bridged.
 */
import type { Device } from '../../shared/devices';
import type { StationDerived, WaterParamState } from '../../shared/environment';
import { READING_BUCKET_MS, type BucketedReadingsResponse } from '../../shared/requests';
import { COMPLIANCE, FLOOD_STAGE, RESERVOIR_STAGE, STAGE_SHORT } from '../map/envStyles';
import { formatValue, paramLabel, paramUnit } from '../ui/envFormat';
import type { LimitLine } from './charts/HistoryChart';

export interface CardChart {
  key: string;
  title: string;
  /** [ts, value]; a null value breaks the line (a gap). */
  points: [number, number | null][];
  limits: LimitLine[];
  bars: boolean;
  color: string;
}

const MAX_CHARTS = 4;
const AIR_KEYS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'];
const WATER_ORDER = ['cod', 'tss', 'nh4', 'pH', 'bod5', 'temperature', 'color'];
const STATUS_RANK = { exceeding: 0, near: 1, within: 2 } as const;

function titled(name: string): string {
  const unit = paramUnit(name);
  return unit ? `${paramLabel(name)} (${unit})` : paramLabel(name);
}

function waterLimits(p: WaterParamState | undefined): LimitLine[] {
  if (!p) return [];
  const color = COMPLIANCE.exceeding.hex;
  const lines = [{ y: p.max, label: `Giới hạn ${formatValue(p.max)}`, color }];
  if (p.min !== undefined) lines.push({ y: p.min, label: `Tối thiểu ${formatValue(p.min)}`, color });
  return lines;
}

/**
 * A gap is a silence longer than three missed reports (the offline rule), never shorter than three buckets,
 * and never shorter than 15 minutes: history sent after an outage (a station's backfill) comes at a coarser
 * step than live reports (5 min for the fleet's), and on a 24 h chart a quarter of an hour is a few pixels.
 */
const GAP_REPORTS = 3;
const MIN_GAP_MS = 15 * 60_000;

/** Bucket means of one metric, with a null after each bucket that a gap follows. */
export function meanSeries(h: BucketedReadingsResponse, name: string, gapMs: number): [number, number | null][] {
  const out: [number, number | null][] = [];
  let prev: number | undefined;
  for (const p of h.points) {
    const m = p.metrics[name];
    if (!m) continue;
    if (prev !== undefined && p.ts - prev > gapMs) out.push([prev + READING_BUCKET_MS[h.bucket], null]);
    out.push([p.ts, m.mean]);
    prev = p.ts;
  }
  return out;
}

export function chartsFor(dev: Device, h: BucketedReadingsResponse, x: StationDerived | undefined): CardChart[] {
  const gapMs = Math.max(MIN_GAP_MS, GAP_REPORTS * Math.max(READING_BUCKET_MS[h.bucket], dev.reportIntervalSec * 1000));
  const has = (name: string) => h.points.some((p) => p.metrics[name] !== undefined);
  const line = (name: string, limits: LimitLine[] = [], color = '#7fd0ff'): CardChart => ({
    key: name,
    title: titled(name),
    points: meanSeries(h, name, gapMs),
    limits,
    bars: false,
    color,
  });
  switch (dev.type) {
    case 'air':
      return AIR_KEYS.filter(has)
        .slice(0, MAX_CHARTS)
        .map((k) => line(k));
    case 'water': {
      const params = x?.kind === 'water' ? x.params : {};
      const rank = (k: string) => STATUS_RANK[params[k]?.status ?? 'within'];
      return WATER_ORDER.filter(has)
        .sort((a, b) => rank(a) - rank(b))
        .slice(0, MAX_CHARTS)
        .map((k) => line(k, waterLimits(params[k])));
    }
    case 'hydro': {
      const bd = x?.kind === 'hydro' ? x.bd : null;
      const limits = bd ? bd.map((y, k) => ({ y, label: `${STAGE_SHORT[k + 1]} ${formatValue(y)} m`, color: FLOOD_STAGE[k + 1]!.hex })) : [];
      return has('waterLevel') ? [{ ...line('waterLevel', limits, '#e8f4ff'), title: 'Mực nước (m)' }] : [];
    }
    case 'rain': {
      // The bucket's millimetres over the seconds its reports covered: the intensity, whatever the report interval.
      const points: [number, number][] = [];
      for (const p of h.points) {
        const mm = p.metrics.precipitation;
        const sec = p.metrics.intervalSec;
        if (mm && sec && sec.sum > 0) points.push([p.ts, Math.round((mm.sum / sec.sum) * 3600 * 10) / 10]);
      }
      return points.length > 0 ? [{ key: 'rain', title: 'Cường độ mưa (mm/giờ)', points, limits: [], bars: true, color: '#38b6ff' }] : [];
    }
    case 'reservoir': {
      const limits: LimitLine[] = [];
      if (x?.kind === 'reservoir') {
        limits.push({ y: x.normalLevel, label: `MNDBT ${formatValue(x.normalLevel)} m`, color: RESERVOIR_STAGE[2]!.hex });
        if (x.limitNow < x.normalLevel) limits.push({ y: x.limitNow, label: `Trước lũ ${formatValue(x.limitNow)} m`, color: RESERVOIR_STAGE[1]!.hex });
      }
      const out: CardChart[] = [];
      if (has('waterLevel')) out.push({ ...line('waterLevel', limits, '#e8f4ff'), title: 'Mực nước hồ (m)' });
      if (has('inflow')) out.push({ ...line('inflow', [], '#7fd0ff'), title: 'Lưu lượng đến hồ (m³/s)' });
      if (has('outflow')) out.push({ ...line('outflow', [], '#ff9f43'), title: 'Lưu lượng xả (m³/s)' });
      return out;
    }
    default:
      return [];
  }
}
