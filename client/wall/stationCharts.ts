/** Which 24 h charts a station's card shows, from its history and its live state (for limit lines). */
import type { Device } from '../../shared/devices';
import type { StationDerived, WaterParamState } from '../../shared/environment';
import type { StationHistory } from '../net/api';
import { COMPLIANCE, FLOOD_STAGE, STAGE_SHORT } from '../map/envStyles';
import { formatValue, paramLabel, paramUnit } from '../ui/envFormat';
import type { LimitLine } from './charts/HistoryChart';

export interface CardChart {
  key: string;
  title: string;
  points: [number, number][];
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

export function chartsFor(dev: Device, h: StationHistory, x: StationDerived | undefined): CardChart[] {
  const s = h.series;
  const line = (name: string, limits: LimitLine[] = [], color = '#7fd0ff'): CardChart => ({
    key: name,
    title: titled(name),
    points: s[name] ?? [],
    limits,
    bars: false,
    color,
  });
  switch (dev.type) {
    case 'air':
      return AIR_KEYS.filter((k) => (s[k]?.length ?? 0) > 0)
        .slice(0, MAX_CHARTS)
        .map((k) => line(k));
    case 'water': {
      const params = x?.kind === 'water' ? x.params : {};
      const rank = (k: string) => STATUS_RANK[params[k]?.status ?? 'within'];
      return WATER_ORDER.filter((k) => (s[k]?.length ?? 0) > 0)
        .sort((a, b) => rank(a) - rank(b))
        .slice(0, MAX_CHARTS)
        .map((k) => line(k, waterLimits(params[k])));
    }
    case 'hydro': {
      const bd = x?.kind === 'hydro' ? x.bd : null;
      const limits = bd ? bd.map((y, k) => ({ y, label: `${STAGE_SHORT[k + 1]} ${formatValue(y)} m`, color: FLOOD_STAGE[k + 1]!.hex })) : [];
      return (s.waterLevel?.length ?? 0) > 0 ? [{ ...line('waterLevel', limits, '#e8f4ff'), title: 'Mực nước (m)' }] : [];
    }
    case 'rain': {
      // Both are 5-minute means of the reports: mm per report over seconds per report is the intensity.
      const mm = s.precipitation ?? [];
      const secs = new Map((s.intervalSec ?? []).map(([t, v]) => [t, v]));
      const points: [number, number][] = [];
      for (const [t, v] of mm) {
        const sec = secs.get(t);
        if (sec && sec > 0) points.push([t, Math.round((v / sec) * 3600 * 10) / 10]);
      }
      return points.length > 0 ? [{ key: 'rain', title: 'Cường độ mưa (mm/giờ)', points, limits: [], bars: true, color: '#38b6ff' }] : [];
    }
    default:
      return [];
  }
}
