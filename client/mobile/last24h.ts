/**
 * "What happened in the last 24 hours" for a leader's phone (issue 13 point 3), from the history API: the
 * alarms raised in the window (GET /api/alarms?from&to) and each river gauge's peak of the hourly maxima
 * (GET /api/devices/:id/readings?bucket=1h, whose default window is the server's last 24 hours). Pure parts
 * here; the card is Last24hCard.tsx.
 */
import { severityRank, type Alarm, type Severity } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import type { BucketedReadingsResponse } from '../../shared/requests';

export const WINDOW_MS = 24 * 3_600_000;
/** Refetched this often (server time). */
export const REFRESH_MS = 5 * 60_000;
/** Alarms read back at most (the API's page limit); beyond it the card says "at least". */
export const ALARM_LIMIT = 500;

export interface AlarmDay {
  total: number;
  /** True when the total is a floor (more than one page). */
  atLeast: boolean;
  bySeverity: Record<Severity, number>;
  resolved: number;
  /** The worst few, most severe first, then newest. */
  worst: Alarm[];
}

export function summarizeAlarms(items: readonly Alarm[], total: number, worstN = 3): AlarmDay {
  const bySeverity: Record<Severity, number> = { critical: 0, major: 0, warning: 0 };
  let resolved = 0;
  for (const a of items) {
    bySeverity[a.severity]++;
    if (a.resolvedAt !== null || a.state === 'resolved' || a.state === 'closed') resolved++;
  }
  const worst = [...items].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.raisedAt - a.raisedAt).slice(0, worstN);
  return { total, atLeast: total > items.length, bySeverity, resolved, worst };
}

export interface RiverPeak {
  deviceId: string;
  station: string;
  river: string | null;
  /** Highest hourly maximum of the water level in the window, m. */
  peak: number;
  /** Start of the hour it was reached. */
  at: number;
  /** 0 below BĐ I, else the highest level the peak reached. */
  stage: 0 | 1 | 2 | 3;
  /** Peak minus BĐ I, m (negative below it); null when the gauge has no BĐ I. Gauges' datums differ, so this, not the level, compares them. */
  overBd1: number | null;
  /** Hours with readings (24 is a full day; fewer means gaps). */
  hours: number;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The gauge's peak from its hourly buckets, against its BĐ levels (registry props bd1..bd3); null without data. */
export function riverPeak(dev: Device, h: BucketedReadingsResponse): RiverPeak | null {
  let peak = -Infinity;
  let at = 0;
  let hours = 0;
  for (const p of h.points) {
    const m = p.metrics.waterLevel;
    if (!m || m.count === 0) continue;
    hours++;
    if (m.max > peak) {
      peak = m.max;
      at = p.ts;
    }
  }
  if (hours === 0) return null;
  const [b1, b2, b3] = [num(dev.props?.bd1), num(dev.props?.bd2), num(dev.props?.bd3)];
  const stage = (b3 !== null && peak >= b3 ? 3 : b2 !== null && peak >= b2 ? 2 : b1 !== null && peak >= b1 ? 1 : 0) as RiverPeak['stage'];
  return {
    deviceId: dev.id,
    station: String(dev.props?.station ?? dev.name),
    river: dev.props?.river === undefined ? null : String(dev.props.river),
    peak,
    at,
    stage,
    overBd1: b1 === null ? null : peak - b1,
    hours,
  };
}

/** Highest stage first, then the closest to (or furthest over) BĐ I; gauges without levels last. */
export function orderPeaks(peaks: readonly RiverPeak[]): RiverPeak[] {
  return [...peaks].sort((a, b) => b.stage - a.stage || (b.overBd1 ?? -Infinity) - (a.overBd1 ?? -Infinity));
}

/** ' hôm qua' when `ts` falls on the day before `now` in Việt Nam (UTC+7, no daylight saving); else ''. */
export function yesterdaySuffix(ts: number, now: number): string {
  const day = (t: number) => Math.floor((t + 7 * 3_600_000) / 86_400_000);
  return day(ts) < day(now) ? ' hôm qua' : '';
}
