/**
 * Hydropower reservoirs (issue 19 item 4): what the operating procedure says a lake's level may be, and what
 * the server derives from a plant's reports and release notices. The levels are the reservoir's own (province
 * data, `province.json` `reservoirs`, copied into each reservoir device's props by the registry generator),
 * each with its source; the rules here are pure.
 *
 * - Mực nước dâng bình thường (MNDBT, `normalLevel`): the highest level in normal operation.
 * - Mực nước chết (MNC, `deadLevel`): the lowest the turbines may draw the lake down to.
 * - Mực nước cao nhất trước lũ (`floodLimit`): in the flood season (`floodFrom`–`floodTo`, day and month,
 *   Vietnam time) the procedure keeps the lake below this to leave room for the flood; outside it the limit is
 *   the normal level.
 */
import type { Device } from './devices';
import type { ReleasePhase, ReservoirEvent } from './mqtt';

/** Vietnam's offset from UTC (no daylight saving). */
const VN_OFFSET_MS = 7 * 3_600_000;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;

export interface ReservoirRules {
  plant: string;
  river: string;
  normalLevel: number;
  deadLevel: number;
  /** Flood-season limit and its season ('MM-DD', inclusive); absent: the plant has none (a daily-regulation lake). */
  floodLimit?: number;
  floodFrom?: string;
  floodTo?: string;
  spillwayGates: number;
  /** Commune codes downstream of the dam that a release notice must reach, nearest first. */
  downstream: string[];
  levelsSource: string;
}

/** The rules a reservoir device carries in its props; throws naming the device and the field when one is wrong. */
export function reservoirRulesOf(d: Pick<Device, 'id' | 'props'>): ReservoirRules {
  const p = d.props ?? {};
  const num = (k: string): number => {
    const v = p[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${d.id}: reservoir without a numeric ${k}`);
    return v;
  };
  const str = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  const rules: ReservoirRules = {
    plant: str('plant') ?? d.id,
    river: str('river') ?? '',
    normalLevel: num('normalLevel'),
    deadLevel: num('deadLevel'),
    spillwayGates: num('spillwayGates'),
    downstream: (str('downstream') ?? '').split(',').filter((c) => /^\d{5}$/.test(c)),
    levelsSource: str('levelsSource') ?? '',
  };
  if (rules.deadLevel >= rules.normalLevel) throw new Error(`${d.id}: dead level ${rules.deadLevel} m is not below the normal level ${rules.normalLevel} m`);
  if (p.floodLimit !== undefined) {
    const from = str('floodFrom');
    const to = str('floodTo');
    if (!from || !MONTH_DAY.test(from) || !to || !MONTH_DAY.test(to)) throw new Error(`${d.id}: a flood limit needs floodFrom and floodTo as MM-DD`);
    rules.floodLimit = num('floodLimit');
    rules.floodFrom = from;
    rules.floodTo = to;
  }
  return rules;
}

/** Whether `ts` falls in the flood season (Vietnam date, bounds inclusive; a season may wrap the new year). */
export function inFloodSeason(r: Pick<ReservoirRules, 'floodFrom' | 'floodTo'>, ts: number): boolean {
  if (!r.floodFrom || !r.floodTo) return false;
  const d = new Date(ts + VN_OFFSET_MS);
  const md = `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  return r.floodFrom <= r.floodTo ? md >= r.floodFrom && md <= r.floodTo : md >= r.floodFrom || md <= r.floodTo;
}

/** The highest level the procedure allows at `ts`: the flood-season limit in the season, else the normal level. */
export function levelLimitAt(r: ReservoirRules, ts: number): number {
  return r.floodLimit !== undefined && inFloodSeason(r, ts) ? r.floodLimit : r.normalLevel;
}

/**
 * 0 within the procedure, 1 above the flood-season limit (the lake is eating the room kept for the flood),
 * 2 at or above the normal level (in the flood season: the flood is being stored above it, releases follow).
 */
export type ReservoirStage = 0 | 1 | 2;

export function reservoirStage(r: ReservoirRules, level: number, ts: number): ReservoirStage {
  if (level >= r.normalLevel) return 2;
  return level > levelLimitAt(r, ts) ? 1 : 0;
}

/** A release as the views see it: announced (gates not open yet) or releasing (open, by notice or by report). */
export type ReleaseState = 'announced' | 'releasing';

/** The latest release notice the plant sent, as kept by the server. */
export interface ReleaseNotice {
  phase: ReleasePhase;
  /** When the notice was sent. */
  ts: number;
  /** When the gates open (or opened). */
  startsAt: number;
  gates: number | null;
  outflow: number | null;
  note: string | null;
}

/**
 * An announced release that never started stops counting this long after its planned start: a notice is an
 * order of the day, and the wall must not warn of a release that was called off without an `ended`.
 */
export const ANNOUNCED_RELEASE_TTL_MS = 24 * 3_600_000;

/**
 * A started release whose plant reports every gate shut this long after the start has ended, even without its
 * `ended` notice (a notice lost, or never sent): reports are the plant's own account of its gates.
 */
export const SHUT_GATES_END_RELEASE_MS = 30 * 60_000;

/**
 * The release state from the latest notice and the latest report: releasing while a notice says started (until
 * one says ended, or reports well after the start say every gate is shut) or while the plant reports a spillway
 * gate open, whatever the notices say (a gate open without a notice is exactly what the downstream communes must
 * hear of); announced from the notice until its gates open.
 */
export function releaseState(notice: ReleaseNotice | null, gatesOpen: number | null, now: number, gatesAt: number | null = null): ReleaseState | null {
  if (gatesOpen !== null && gatesOpen > 0) return 'releasing';
  if (!notice) return null;
  if (notice.phase === 'started') {
    const shutSince = gatesOpen === 0 && gatesAt !== null && gatesAt >= notice.startsAt + SHUT_GATES_END_RELEASE_MS;
    return shutSince ? null : 'releasing';
  }
  if (notice.phase === 'announced' && now <= notice.startsAt + ANNOUNCED_RELEASE_TTL_MS) return 'announced';
  return null;
}

/** The 'reservoir.release' signal value: 0 none, 1 announced, 2 releasing. */
export const RELEASE_SIGNAL: Record<ReleaseState, 1 | 2> = { announced: 1, releasing: 2 };

/** The source of a release alarm for one downstream commune: one alarm per commune the notice must reach. */
export const releaseSource = (deviceId: string, commune: string): string => `release-${deviceId}-${commune}`;

/** The reservoir device id of a release alarm's source (null for any other source). */
export function releaseSourceDevice(source: string): string | null {
  const m = /^release-(.+)-\d{5}$/.exec(source);
  return m ? m[1]! : null;
}

/**
 * A release notice stored as a reading of its reservoir, so that a restart and the time machine find it (the
 * reading store keeps numbers): the phase as a number, and what else the notice gave. The free-text `note` is
 * not kept. The keys are the notice's own, apart from the plant's reports (waterLevel, inflow, …).
 */
export const NOTICE_KEYS = { phase: 'releaseNotice', startsAt: 'releaseStartsAt', gates: 'releaseGates', outflow: 'releaseOutflow' } as const;
const PHASE_CODE: Record<ReleasePhase, number> = { announced: 1, started: 2, ended: 3 };
const CODE_PHASE = new Map(Object.entries(PHASE_CODE).map(([p, c]) => [c, p as ReleasePhase]));
const NOTICE_KEY_SET = new Set<string>(Object.values(NOTICE_KEYS));

/** A notice's stored values. */
export function noticeValues(ev: Pick<ReservoirEvent, 'release' | 'startsAt' | 'gates' | 'outflow'>): Record<string, number> {
  const v: Record<string, number> = { [NOTICE_KEYS.phase]: PHASE_CODE[ev.release] };
  if (ev.startsAt !== undefined) v[NOTICE_KEYS.startsAt] = ev.startsAt;
  if (ev.gates !== undefined) v[NOTICE_KEYS.gates] = ev.gates;
  if (ev.outflow !== undefined) v[NOTICE_KEYS.outflow] = ev.outflow;
  return v;
}

/**
 * A stored reading of a reservoir split into the notice it holds (null: none, or a phase code we do not know)
 * and the report beside it (null: nothing else; the store merges what shares a timestamp).
 */
export function splitNotice(ts: number, values: Record<string, number>): { notice: ReservoirEvent | null; report: Record<string, number> | null } {
  if (!(NOTICE_KEYS.phase in values)) return { notice: null, report: values };
  const report: Record<string, number> = {};
  let any = false;
  for (const [k, v] of Object.entries(values)) {
    if (NOTICE_KEY_SET.has(k)) continue;
    report[k] = v;
    any = true;
  }
  const phase = CODE_PHASE.get(values[NOTICE_KEYS.phase]!);
  const notice: ReservoirEvent | null = phase
    ? {
        ts,
        release: phase,
        ...(values[NOTICE_KEYS.startsAt] !== undefined ? { startsAt: values[NOTICE_KEYS.startsAt] } : {}),
        ...(values[NOTICE_KEYS.gates] !== undefined ? { gates: values[NOTICE_KEYS.gates] } : {}),
        ...(values[NOTICE_KEYS.outflow] !== undefined ? { outflow: values[NOTICE_KEYS.outflow] } : {}),
      }
    : null;
  return { notice, report: any ? report : null };
}
