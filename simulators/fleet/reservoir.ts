/**
 * A hydropower reservoir's reports (issue 19 item 4): the lake's level follows the operating procedure's year
 * (drawn down through the dry season, held below the flood-season limit from mid-June, filled to the normal
 * level in the autumn), the inflow follows the rainy season, the turbines pass what they can. A scenario may
 * plan a flood release (`effects.release`): the plant then sends its notices on the event channel (announced,
 * started, ended), opens the gates at the planned time, and the lake, which rose with the flood, falls back.
 * Pure in t like every model, but for its notices: those whose time falls since the previous report.
 */
import type { Device } from '../../shared/devices';
import type { ReservoirEventInput, TelemetryInput } from '../../shared/mqtt';
import { gaussian, uniform, type RandomSource } from '../../shared/random';
import { inFloodSeason, reservoirRulesOf } from '../../shared/reservoir';
import type { ModelEffects } from './effects';
export type { ReleasePlan } from './effects';
import { clamp, fractalNoise, hash01, vnDayOfYear, vnHour } from './noise';
import { rainySeason } from './weather';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The lake's usual level as a share of the span between the dead and the normal level, by day of the year. */
function seasonalShare(doy: number): number {
  // Full after the autumn filling (1 Jan 0.95), drawn down for the dry season's power to mid-June (0.35).
  if (doy <= 165) return 0.95 - (0.6 * (doy - 1)) / 164;
  // Filled again from mid-September to the end of the year.
  if (doy >= 258) return 0.35 + (0.6 * (doy - 258)) / 107;
  return 0.35;
}

function numProp(d: Device, key: string, fallback: number): number {
  const v = d.props?.[key];
  return typeof v === 'number' ? v : fallback;
}

export function createReservoirModel(device: Device, r: RandomSource, effects: ModelEffects = {}) {
  const rules = reservoirRulesOf(device);
  const meanInflow = numProp(device, 'meanInflow', 500);
  const turbineFlow = numProp(device, 'turbineFlow', meanInflow * 2);
  const span = rules.normalLevel - rules.deadLevel;
  const noiseSeed = Math.floor(uniform(r, 0, 2 ** 31));
  const plan = effects.release?.(device.id) ?? null;

  function level(t: number): number {
    let base: number;
    if (rules.floodLimit !== undefined && inFloodSeason(rules, t)) {
      // Held about a metre under the limit, the room the procedure keeps for the flood.
      base = rules.floodLimit - Math.min(1.2, 0.1 * span);
    } else if (rules.floodLimit === undefined) {
      // A daily-regulation lake: drawn down through the day's peak hours, refilled at night.
      base = rules.deadLevel + span * (0.75 - 0.2 * Math.sin((2 * Math.PI * (vnHour(t) - 14)) / 24));
    } else {
      base = rules.deadLevel + span * seasonalShare(vnDayOfYear(t));
    }
    const slow = (fractalNoise(noiseSeed, t / (3 * DAY_MS), 2) - 0.5) * Math.min(0.6, 0.05 * span);
    return base + slow + floodRise(t);
  }

  /** The flood fills the lake from the notice to the opening; the open gates bring it back down. */
  function floodRise(t: number): number {
    if (!plan) return 0;
    const rise = Math.min(3, 0.15 * span);
    if (t < plan.announcedAt - 2 * HOUR_MS) return 0;
    if (t < plan.startsAt) return rise * clamp((t - (plan.announcedAt - 2 * HOUR_MS)) / (plan.startsAt - plan.announcedAt + 2 * HOUR_MS), 0, 1);
    if (t < plan.endsAt) return rise * (1 - 0.8 * clamp((t - plan.startsAt) / (plan.endsAt - plan.startsAt), 0, 1));
    return rise * 0.2 * Math.exp(-(t - plan.endsAt) / (6 * HOUR_MS));
  }

  function inflow(t: number): number {
    const seasonal = meanInflow * (0.3 + 1.7 * rainySeason(t, effects.climate));
    const flood = plan ? 3 * meanInflow * Math.exp(-0.5 * ((t - plan.startsAt) / (6 * HOUR_MS)) ** 2) : 0;
    return seasonal * (0.9 + 0.2 * hash01(noiseSeed, Math.floor(t / HOUR_MS))) + flood;
  }

  const gatesAt = (t: number): number => (plan && t >= plan.startsAt && t < plan.endsAt ? plan.gates : 0);

  /**
   * The notices whose time falls in (from, to]. A fleet that starts in the middle of a release (a rehearsal from
   * hour 4.6) first sends the notice standing at its start, as the plant's system would on reconnecting: the
   * wall must know the release was announced, not only see its gates open.
   */
  function events(from: number, to: number, first: boolean): ReservoirEventInput[] {
    if (!plan) return [];
    const out: ReservoirEventInput[] = [];
    const crossed = (at: number) => at > from && at <= to;
    if (first) {
      const standing = plan.startsAt <= from ? plan.startsAt : plan.announcedAt;
      if (standing <= from && plan.endsAt > from) from = standing - 1;
    }
    const planned = { startsAt: plan.startsAt, gates: plan.gates, outflow: Math.round(turbineFlow + plan.gates * plan.perGateM3s) };
    if (crossed(plan.announcedAt)) out.push({ ts: plan.announcedAt, release: 'announced', ...planned, note: plan.note });
    if (crossed(plan.startsAt)) out.push({ ts: plan.startsAt, release: 'started', ...planned });
    if (crossed(plan.endsAt)) out.push({ ts: plan.endsAt, release: 'ended', startsAt: plan.startsAt, gates: 0 });
    return out;
  }

  // Like a rain gauge's rain, a notice belongs to the report after it: the window runs from the previous report
  // (the fleet may space reports wider than the device's interval at high speed), or one interval back at first.
  let last: number | null = null;
  return (t: number, intervalMs: number): { telemetry: TelemetryInput['reservoir']; events: ReservoirEventInput[] } => {
    const first = last === null;
    const from = last !== null && last < t ? last : t - intervalMs;
    last = t;
    const q = inflow(t);
    const gates = gatesAt(t);
    const turbines = Math.min(turbineFlow, q * 0.95);
    const telemetry: TelemetryInput['reservoir'] = {
      ts: t,
      waterLevel: Math.round((level(t) + 0.01 * gaussian(r)) * 100) / 100,
      inflow: Math.round(q),
      outflow: Math.round(turbines + (plan ? gates * plan.perGateM3s : 0)),
      spillwayGatesOpen: gates,
    };
    return { telemetry, events: events(from, t, first) };
  };
}
