import { describe, expect, it } from 'vitest';
import {
  ANNOUNCED_RELEASE_TTL_MS,
  inFloodSeason,
  levelLimitAt,
  releaseSource,
  releaseSourceDevice,
  releaseState,
  reservoirRulesOf,
  reservoirStage,
  noticeValues,
  splitNotice,
  NOTICE_KEYS,
  type ReleaseNotice,
} from './reservoir';

const PROPS = {
  plant: 'Thủy điện Sơn La',
  river: 'Đà',
  normalLevel: 215,
  deadLevel: 175,
  floodLimit: 197.3,
  floodFrom: '06-15',
  floodTo: '09-15',
  spillwayGates: 18,
  downstream: '03808,03847,bad,03850',
};
const rules = reservoirRulesOf({ id: 'sla-res-0001', props: PROPS });
/** Midnight (Vietnam time) starting that day of 2026. */
const vnDay = (month: number, day: number, hour = 0, minute = 0) => Date.UTC(2026, month - 1, day, hour - 7, minute);
const HOUR = 3_600_000;

describe('reservoirRulesOf', () => {
  it('reads the levels, the season and the downstream communes, dropping what is not a commune code', () => {
    expect(rules).toMatchObject({ normalLevel: 215, deadLevel: 175, floodLimit: 197.3, floodFrom: '06-15', floodTo: '09-15', spillwayGates: 18 });
    expect(rules.downstream).toEqual(['03808', '03847', '03850']);
  });

  it('refuses a reservoir without its levels, with them upside down, or with a flood limit but no season', () => {
    expect(() => reservoirRulesOf({ id: 'x', props: { ...PROPS, normalLevel: 'high' } })).toThrow(/x: reservoir without a numeric normalLevel/);
    expect(() => reservoirRulesOf({ id: 'x', props: { ...PROPS, deadLevel: 215 } })).toThrow(/dead level 215 m is not below/);
    expect(() => reservoirRulesOf({ id: 'x', props: { ...PROPS, floodFrom: '6/15' } })).toThrow(/floodFrom and floodTo as MM-DD/);
    const { floodLimit: _l, floodFrom: _f, floodTo: _t, ...daily } = PROPS;
    expect(reservoirRulesOf({ id: 'x', props: daily }).floodLimit).toBeUndefined();
  });
});

describe('the flood season and the limit it sets', () => {
  it('starts at midnight of its first day and ends at the end of its last, Vietnam time', () => {
    expect(inFloodSeason(rules, vnDay(6, 14, 23, 59))).toBe(false);
    expect(inFloodSeason(rules, vnDay(6, 15))).toBe(true);
    expect(inFloodSeason(rules, vnDay(9, 15, 23, 59))).toBe(true);
    expect(inFloodSeason(rules, vnDay(9, 16))).toBe(false);
    expect(levelLimitAt(rules, vnDay(6, 14, 12))).toBe(215);
    expect(levelLimitAt(rules, vnDay(7, 20))).toBe(197.3);
  });

  it('may wrap the new year, and a lake without a season keeps the normal level all year', () => {
    const winter = { floodFrom: '11-01', floodTo: '02-28' };
    expect(inFloodSeason(winter, vnDay(12, 31))).toBe(true);
    expect(inFloodSeason(winter, vnDay(1, 15))).toBe(true);
    expect(inFloodSeason(winter, vnDay(6, 1))).toBe(false);
    const daily = { ...rules, floodLimit: undefined, floodFrom: undefined, floodTo: undefined };
    expect(levelLimitAt(daily, vnDay(7, 20))).toBe(215);
  });

  it('grades the level: within, above the flood-season limit, at the normal level', () => {
    const july = vnDay(7, 20);
    expect(reservoirStage(rules, 197.3, july)).toBe(0);
    expect(reservoirStage(rules, 197.31, july)).toBe(1);
    expect(reservoirStage(rules, 214.99, july)).toBe(1);
    expect(reservoirStage(rules, 215, july)).toBe(2);
    // Out of the season the same 200 m is within the procedure.
    expect(reservoirStage(rules, 200, vnDay(11, 1))).toBe(0);
  });
});

describe('the release state', () => {
  const T = vnDay(7, 20, 10);
  const notice = (phase: ReleaseNotice['phase'], startsAt = T + 2 * HOUR): ReleaseNotice => ({ phase, ts: T, startsAt, gates: 2, outflow: 5200, note: null });

  it('is announced from the notice until the gates open, releasing while they are open, none once ended', () => {
    expect(releaseState(null, 0, T)).toBeNull();
    expect(releaseState(notice('announced'), 0, T)).toBe('announced');
    expect(releaseState(notice('started'), 0, T)).toBe('releasing');
    expect(releaseState(notice('ended'), 0, T)).toBeNull();
  });

  it('is releasing whenever a report says a gate is open, whatever the notices say (or without one)', () => {
    expect(releaseState(null, 1, T)).toBe('releasing');
    expect(releaseState(notice('ended'), 2, T)).toBe('releasing');
    expect(releaseState(notice('announced'), null, T)).toBe('announced');
  });

  it('ends a started release when reports half an hour after the start say every gate is shut, without its notice', () => {
    const started = notice('started');
    expect(releaseState(started, 0, T, started.startsAt + 10 * 60_000)).toBe('releasing');
    expect(releaseState(started, 0, T, started.startsAt + 30 * 60_000)).toBeNull();
    expect(releaseState(started, null, T, null)).toBe('releasing');
  });

  it('lets an announced release that never started lapse a day after its planned start', () => {
    const n = notice('announced');
    expect(releaseState(n, 0, n.startsAt + ANNOUNCED_RELEASE_TTL_MS)).toBe('announced');
    expect(releaseState(n, 0, n.startsAt + ANNOUNCED_RELEASE_TTL_MS + 1)).toBeNull();
  });

  it('names each downstream commune in its alarm source, and reads the dam back out of it', () => {
    expect(releaseSource('sla-res-0001', '03808')).toBe('release-sla-res-0001-03808');
    expect(releaseSourceDevice('release-sla-res-0001-03808')).toBe('sla-res-0001');
    expect(releaseSourceDevice('risk-03808')).toBeNull();
  });
});

describe('a release notice stored as a reading', () => {
  const T = Date.UTC(2026, 7, 1, 3);

  it('round-trips every phase and what the notice gave, without its note', () => {
    for (const release of ['announced', 'started', 'ended'] as const) {
      const ev = { ts: T, release, startsAt: T + 7_200_000, gates: 3, outflow: 6100, note: 'Lệnh số 12' };
      const stored = noticeValues(ev);
      expect(Object.values(stored).every((v) => typeof v === 'number')).toBe(true);
      expect(splitNotice(T, stored)).toEqual({ notice: { ts: T, release, startsAt: T + 7_200_000, gates: 3, outflow: 6100 }, report: null });
    }
    expect(splitNotice(T, noticeValues({ release: 'ended' }))).toEqual({ notice: { ts: T, release: 'ended' }, report: null });
  });

  it('splits a notice from a report the store merged at the same time, and leaves a report alone', () => {
    const report = { waterLevel: 196.4, spillwayGatesOpen: 0 };
    expect(splitNotice(T, { ...report, ...noticeValues({ release: 'started', gates: 2 }) })).toEqual({
      notice: { ts: T, release: 'started', gates: 2 },
      report,
    });
    expect(splitNotice(T, report)).toEqual({ notice: null, report });
  });

  it('drops a phase code it does not know, keeping the report', () => {
    expect(splitNotice(T, { [NOTICE_KEYS.phase]: 9, waterLevel: 190 })).toEqual({ notice: null, report: { waterLevel: 190 } });
  });
});
