import { describe, expect, it } from 'vitest';
import { defaultRules } from './defaultRules';
import { ruleSetSchema } from './rules';
import { kinds, makeHarness, makeRule, MIN, T0 } from './testing';

const rule = (id: string) => defaultRules().find((r) => r.id === id)!;

describe('threshold with hysteresis', () => {
  it('raises at X, holds until below Y, and does not flap in between', () => {
    const h = makeHarness([makeRule({ levels: [{ severity: 'warning', at: 10, title: 'Vượt' }], clearAt: 8 })]);
    h.at(T0, { value: 9.9 });
    expect(h.changes).toEqual([]);
    h.at(T0 + 1000, { value: 10 });
    expect(kinds(h.changes)).toEqual(['raised']);
    const id = h.changes[0]!.alarm.id;
    // Inside the band [8, 10): still active, nothing cleared, nothing raised again.
    for (const [i, v] of [9, 9.9, 8, 10.5, 8.1, 9.99].entries()) h.at(T0 + 2000 + i * 1000, { value: v });
    expect(kinds(h.changes)).toEqual(['raised']);
    expect(h.engine.get(id)).toMatchObject({ state: 'active', conditionActive: true, count: 2, value: 9.99 });
    h.at(T0 + 10_000, { value: 7.99 });
    expect(kinds(h.changes)).toEqual(['raised', 'cleared']);
    expect(h.engine.get(id)).toMatchObject({ state: 'cleared', conditionActive: false, levelNow: -1 });
    // Cleared but unacknowledged: the condition returning reuses the same alarm.
    h.at(T0 + 11_000, { value: 12 });
    expect(kinds(h.changes)).toEqual(['raised', 'cleared', 'updated']);
    expect(h.engine.get(id)).toMatchObject({ state: 'active', count: 3 });
    expect(h.engine.snapshot().alarms).toHaveLength(1);
  });

  it('after acknowledge + clear the alarm closes, and only a new crossing of X raises a new one', () => {
    const h = makeHarness([makeRule()]);
    h.at(T0, { value: 11 });
    const id = h.changes[0]!.alarm.id;
    expect('data' in h.engine.acknowledge(id, 'Lan')).toBe(true);
    h.at(T0 + 1000, { value: 7 });
    expect(kinds(h.changes)).toEqual(['raised', 'acknowledged', 'cleared', 'closed']);
    h.at(T0 + 2000, { value: 9.5 });
    expect(h.engine.snapshot().alarms).toHaveLength(0);
    h.at(T0 + 3000, { value: 10 });
    expect(h.changes.at(-1)).toMatchObject({ change: 'raised' });
    expect(h.changes.at(-1)!.alarm.id).not.toBe(id);
  });

  it("supports 'below' rules (a speed share ≤ 0.3 for 5 min, clears above 0.4)", () => {
    const h = makeHarness([
      makeRule({
        id: 'slow',
        signal: 'congestion',
        domain: 'traffic',
        direction: 'below',
        levels: [{ severity: 'major', at: 0.3, forMs: 5 * MIN, title: 'Ùn tắc giao thông' }],
        clearAt: 0.4,
      }),
    ]);
    const s = { signal: 'congestion', source: 'cam-7', domain: 'traffic' as const };
    h.at(T0, { ...s, value: 0.25 });
    h.at(T0 + 4 * MIN, { ...s, value: 0.28 });
    expect(h.changes).toEqual([]);
    h.at(T0 + 5 * MIN, { ...s, value: 0.29 });
    expect(h.changes[0]).toMatchObject({ change: 'raised', alarm: { title: 'Ùn tắc giao thông', severity: 'major' } });
    h.at(T0 + 6 * MIN, { ...s, value: 0.38 });
    expect(kinds(h.changes)).toEqual(['raised']);
    h.at(T0 + 7 * MIN, { ...s, value: 0.41 });
    expect(kinds(h.changes)).toEqual(['raised', 'cleared']);
  });
});

describe('minimum duration', () => {
  const r = () => makeRule({ levels: [{ severity: 'warning', at: 10, forMs: 10 * MIN, title: 'Vượt 10 phút' }] });

  it('raises only once the value has held for D, by tick when no sample arrives', () => {
    const h = makeHarness([r()]);
    h.at(T0, { value: 11 });
    h.at(T0 + 5 * MIN, { value: 11 });
    h.tick(T0 + 10 * MIN - 1);
    expect(h.changes).toEqual([]);
    h.tick(T0 + 10 * MIN);
    expect(h.changes).toHaveLength(1);
    expect(h.changes[0]).toMatchObject({ change: 'raised', at: T0 + 10 * MIN, alarm: { conditionSince: T0, lastSeen: T0 + 5 * MIN } });
  });

  it('restarts the duration when the value drops under X before D, even inside the hysteresis band', () => {
    const h = makeHarness([r()]);
    h.at(T0, { value: 11 });
    h.at(T0 + 5 * MIN, { value: 9 });
    h.at(T0 + 6 * MIN, { value: 11 });
    h.tick(T0 + 10 * MIN);
    expect(h.changes).toEqual([]);
    h.at(T0 + 16 * MIN, { value: 11 });
    expect(h.changes[0]).toMatchObject({ change: 'raised', alarm: { conditionSince: T0 + 6 * MIN } });
  });

  it('does not count silence: duration stops maxGapMs after the last sample', () => {
    const h = makeHarness([
      makeRule({ levels: [{ severity: 'warning', at: 10, forMs: 20 * MIN, title: 'x' }], maxGapMs: 15 * MIN }),
    ]);
    h.at(T0, { value: 11 });
    h.tick(T0 + 60 * MIN);
    expect(h.changes).toEqual([]);
    expect(h.engine.stats().pending).toBe(0);
  });

  it('a gap longer than maxGapMs restarts the duration at the next sample', () => {
    const h = makeHarness([r()]); // maxGapMs defaults to 15 min
    h.at(T0, { value: 11 });
    h.at(T0 + 20 * MIN, { value: 11 });
    h.at(T0 + 25 * MIN, { value: 11 });
    expect(h.changes).toEqual([]);
    h.at(T0 + 30 * MIN, { value: 11 });
    expect(h.changes[0]).toMatchObject({ change: 'raised', alarm: { conditionSince: T0 + 20 * MIN } });
  });

  it('wastewater: warning after 15 min, critical after 60 min, 150 % is critical at once', () => {
    const h = makeHarness([rule('wastewater-cod')]);
    const s = { signal: 'wastewater.cod.ratio', source: 'ww-1', domain: 'water' as const };
    for (let m = 0; m <= 60; m += 5) h.at(T0 + m * MIN, { ...s, value: 1.2 });
    const announced = h.changes.filter((c) => c.change === 'raised' || c.previousSeverity);
    expect(announced.map((c) => [c.change, c.at - T0, c.alarm.severity, c.previousSeverity])).toEqual([
      ['raised', 15 * MIN, 'warning', undefined],
      ['updated', 60 * MIN, 'critical', 'warning'],
    ]);
    h.at(T0 + 61 * MIN, { ...s, value: 1.6 });
    expect(h.changes.at(-1)).toMatchObject({ change: 'updated', alarm: { level: 2, title: 'Nước thải vượt 150% quy chuẩn COD' } });
    expect(h.changes.at(-1)!.previousSeverity).toBeUndefined();

    const g = makeHarness([rule('wastewater-cod')]);
    g.at(T0, { ...s, source: 'ww-2', value: 1.5 });
    expect(g.changes[0]).toMatchObject({ change: 'raised', alarm: { severity: 'critical', level: 2 } });
  });
});

describe('rate of change', () => {
  it('raises when the river rises ≥ 50 cm/h over the last hour and clears once it levels off', () => {
    const rising = ruleSetSchema.parse([
      { id: 'level-rising', kind: 'rate', signal: 'river.level', domain: 'hydro', levels: [{ severity: 'warning', at: 0.5, title: 'Mực nước lên nhanh (≥ 50 cm/giờ)' }], clearAt: 0.2, maxGapMs: 60 * MIN },
    ])[0]!;
    const h = makeHarness([rising]);
    const s = { signal: 'river.level', source: 'g-1', domain: 'hydro' as const };
    // 6 cm per 5 min = 72 cm/h.
    for (let m = 0; m <= 25; m += 5) h.at(T0 + m * MIN, { ...s, value: 3 + 0.06 * (m / 5) });
    expect(h.changes).toEqual([]); // the samples span < 30 min: no trend yet
    h.at(T0 + 30 * MIN, { ...s, value: 3.36 });
    expect(h.changes[0]).toMatchObject({ change: 'raised', alarm: { title: 'Mực nước lên nhanh (≥ 50 cm/giờ)' } });
    expect(h.changes[0]!.alarm.value).toBeCloseTo(0.72, 6);
    let m = 35;
    while (h.changes.at(-1)!.change !== 'cleared' && m < 200) {
      h.at(T0 + m * MIN, { ...s, value: 3.36 });
      m += 5;
    }
    expect(h.changes.at(-1)).toMatchObject({ change: 'cleared' });
    expect(h.changes.at(-1)!.alarm.value!).toBeLessThan(0.2);
  });
});

describe('no data', () => {
  it('raises after T without a value, ignores null values, clears on the next value', () => {
    const h = makeHarness([
      makeRule({ kind: 'noData', id: 'nd', signal: 'x', afterMs: 30 * MIN, severity: 'major', title: 'Mất dữ liệu' } as never),
    ]);
    h.at(T0, { value: 5 });
    h.at(T0 + 10 * MIN, { value: null });
    h.tick(T0 + 30 * MIN - 1);
    expect(h.changes).toEqual([]);
    h.tick(T0 + 30 * MIN);
    expect(h.changes[0]).toMatchObject({ change: 'raised', alarm: { severity: 'major', conditionSince: T0 + 30 * MIN, value: null } });
    h.tick(T0 + 35 * MIN);
    expect(kinds(h.changes)).toEqual(['raised']);
    h.at(T0 + 40 * MIN, { value: 6 });
    expect(kinds(h.changes)).toEqual(['raised', 'cleared']);
  });
});

describe('dedupe', () => {
  it('1,000 repeats make one alarm with count 1000, coalesced into one update per tick', () => {
    const h = makeHarness([makeRule()]);
    for (let i = 0; i < 1000; i++) h.at(T0 + i, { value: 11 });
    h.tick(T0 + 1000);
    expect(kinds(h.changes)).toEqual(['raised', 'updated']);
    expect(h.changes[1]!.alarm).toMatchObject({ count: 1000, lastSeen: T0 + 999 });
    expect(h.store.query({ state: 'open' }).total).toBe(1);
    // The repeats move the alarm row; the audit keeps only the decision (issue: 400+ rows per river alarm).
    expect(h.store.history(h.changes[0]!.alarm.id).map((e) => e.change)).toEqual(['raised']);
    expect(h.store.get(h.changes[0]!.alarm.id)).toMatchObject({ count: 1000, lastSeen: T0 + 999, rev: h.changes[1]!.rev });
    h.tick(T0 + 2000);
    expect(h.changes).toHaveLength(2); // nothing new: no empty updates
  });

  it('audits decisions, not repeats: an hour of repeats is one raise, one step up and one clear', () => {
    const h = makeHarness([
      makeRule({
        levels: [
          { severity: 'warning', at: 10, title: 'BĐ I' },
          { severity: 'major', at: 20, title: 'BĐ II' },
        ],
      }),
    ]);
    for (let m = 0; m < 60; m++) {
      h.at(T0 + m * MIN, { value: m < 30 ? 11 : 21 });
      h.tick(T0 + m * MIN + 1);
    }
    h.at(T0 + 60 * MIN, { value: 1 });
    const id = h.changes[0]!.alarm.id;
    expect(h.changes.filter((c) => c.change === 'updated').length).toBeGreaterThan(50); // the views still get every tick
    const audit = h.store.history(id);
    expect(audit.map((e) => [e.change, e.snapshot.severity])).toEqual([
      ['raised', 'warning'],
      ['updated', 'major'],
      ['cleared', 'major'],
    ]);
    expect(h.store.get(id)).toMatchObject({ count: 60, lastSeen: T0 + 59 * MIN, state: 'cleared' });
    expect(h.store.db.prepare('SELECT COUNT(*) AS n FROM audit').get()).toEqual({ n: 3 });
  });

  it('ignores late samples and invalid signals, counting them', () => {
    const h = makeHarness([makeRule()]);
    h.at(T0 + 10, { value: 11 });
    h.at(T0 + 5, { value: 1 });
    h.engine.evaluate({ source: '', signal: 'x', value: 1, ts: T0, domain: 'device' });
    h.engine.evaluate({ source: 'a', signal: 'x', value: Number.NaN, ts: T0, domain: 'device' });
    expect(h.engine.stats()).toMatchObject({ late: 1, rejected: 2, open: 1 });
  });
});

describe('river BĐ I → II → III (one alarm per gauge)', () => {
  const s = { signal: 'river.stage', source: 'tra-khuc', domain: 'hydro' as const, commune: '51001' };

  it('announces each level exactly once as it rises, keeps its peak as it falls, clears below BĐ I', () => {
    const h = makeHarness([rule('river-stage')]);
    const stages = [0, 1, 1, 2, 2, 2, 3, 3, 3];
    stages.forEach((v, i) => h.at(T0 + i * 10 * MIN, { ...s, value: v }));
    const announced = h.changes.filter((c) => c.change === 'raised' || c.previousSeverity);
    expect(announced.map((c) => [c.alarm.title, c.alarm.severity])).toEqual([
      ['Mực nước vượt BĐ I', 'warning'],
      ['Mực nước vượt BĐ II', 'major'],
      ['Mực nước vượt BĐ III', 'critical'],
    ]);
    const id = announced[0]!.alarm.id;
    expect(new Set(h.changes.map((c) => c.alarm.id))).toEqual(new Set([id]));

    // Falling: III stays the alarm's severity, levelNow follows the river.
    h.at(T0 + 100 * MIN, { ...s, value: 2 });
    h.tick(T0 + 100 * MIN);
    expect(h.engine.get(id)).toMatchObject({ severity: 'critical', title: 'Mực nước vượt BĐ III', levelNow: 1 });
    h.at(T0 + 110 * MIN, { ...s, value: 1 });
    h.tick(T0 + 110 * MIN);
    expect(h.engine.get(id)).toMatchObject({ levelNow: 0, conditionActive: true });
    h.at(T0 + 120 * MIN, { ...s, value: 0 });
    expect(h.engine.get(id)).toMatchObject({ state: 'cleared', conditionActive: false, severity: 'critical' });

    // Rising again before anyone acknowledged: the same alarm, no new announcement.
    [1, 2, 3].forEach((v, i) => h.at(T0 + (130 + i * 10) * MIN, { ...s, value: v }));
    expect(h.changes.filter((c) => c.change === 'raised' || c.previousSeverity)).toHaveLength(3);
    expect(h.engine.snapshot().alarms).toHaveLength(1);
  });

  it('a step up re-arms an acknowledged alarm so the operator sees BĐ II', () => {
    const h = makeHarness([rule('river-stage')]);
    h.at(T0, { ...s, value: 1 });
    const id = h.changes[0]!.alarm.id;
    h.engine.acknowledge(id, 'Minh');
    h.at(T0 + MIN, { ...s, value: 2 });
    expect(h.changes.at(-1)).toMatchObject({ change: 'updated', previousSeverity: 'warning', alarm: { state: 'active', severity: 'major' } });
    expect(h.engine.acknowledge(id, 'Minh')).toMatchObject({ data: { state: 'acknowledged', ackBy: 'Minh' } });
  });

  it('after a resolve while the river is still high, only a higher level raises a new alarm', () => {
    const h = makeHarness([rule('river-stage')]);
    h.at(T0, { ...s, value: 2 });
    const first = h.changes[0]!.alarm.id;
    h.engine.resolve(first, 'Minh', 'Đã sơ tán khu vực trũng');
    h.at(T0 + MIN, { ...s, value: 2 });
    h.at(T0 + 2 * MIN, { ...s, value: 1 });
    expect(h.engine.snapshot().alarms).toHaveLength(0);
    h.at(T0 + 3 * MIN, { ...s, value: 3 });
    expect(h.changes.at(-1)).toMatchObject({ change: 'raised', alarm: { severity: 'critical' } });
    expect(h.changes.at(-1)!.alarm.id).not.toBe(first);
  });
});

describe('evaluateMany', () => {
  it('applies signals in order with one store write for all their changes', () => {
    const h = makeHarness([makeRule()]);
    let writes = 0;
    const write = h.store.write.bind(h.store);
    h.store.write = (cs) => {
      writes++;
      write(cs);
    };
    h.engine.evaluateMany([
      { source: 'a', signal: 'x', value: 11, ts: T0, domain: 'device' },
      { source: 'b', signal: 'x', value: 11, ts: T0, domain: 'device' },
      { source: 'a', signal: 'x', value: 1, ts: T0 + 1, domain: 'device' },
      { source: '', signal: 'x', value: 1, ts: T0, domain: 'device' },
    ]);
    expect(writes).toBe(1);
    expect(h.changes.map((c) => [c.change, c.alarm.source])).toEqual([
      ['raised', 'a'],
      ['raised', 'b'],
      ['cleared', 'a'],
    ]);
    expect(h.engine.stats().rejected).toBe(1);
  });
});
