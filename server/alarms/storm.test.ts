import { describe, expect, it } from 'vitest';
import { defaultRules } from './defaultRules';
import { kinds, makeHarness, makeRule, MIN, T0 } from './testing';

const offline = () => [defaultRules().find((r) => r.id === 'device-offline')!];
const sig = (i: number, value = 1, commune = '51001') => ({
  source: `d${i}`,
  signal: 'device.offline',
  domain: 'device' as const,
  value,
  commune,
});

describe('storm grouping', () => {
  it('1,000 devices offline in one commune: the first 10 alarms, then one group; member list capped', () => {
    const h = makeHarness(offline());
    for (let i = 0; i < 1000; i++) h.at(T0 + i * 10, sig(i));
    h.tick(T0 + 10_000);
    const open = h.engine.snapshot().alarms;
    expect(open).toHaveLength(11);
    expect(open.filter((a) => a.kind === 'single')).toHaveLength(10);
    const group = open.find((a) => a.kind === 'group')!;
    expect(group).toMatchObject({ source: 'group:51001', commune: '51001', title: 'Thiết bị mất kết nối', count: 990 });
    expect(group.members).toMatchObject({ total: 990, active: 990 });
    expect(group.members!.sources).toHaveLength(500);
    expect(group.members!.sources.slice(0, 2)).toEqual(['d10', 'd11']);
    // 11 raises and one coalesced 'grouped' change: the wall gets 12 messages, not 1,000.
    expect(kinds(h.changes)).toEqual([...Array(11).fill('raised'), 'grouped']);
    expect(h.store.query({ state: 'open', limit: 500 }).total).toBe(11);

    // A member repeating is not a new member; another commune is another storm.
    h.at(T0 + 20_000, sig(500));
    h.at(T0 + 20_001, sig(5000, 1, '51002'));
    h.tick(T0 + 20_002);
    expect(h.engine.get(group.id)!.members).toMatchObject({ total: 990, active: 990 });
    expect(h.engine.get(group.id)!.count).toBe(991);
    expect(h.engine.snapshot().alarms).toHaveLength(12);
  });

  it('the group clears when its last member comes back', () => {
    const h = makeHarness(offline(), { storm: { threshold: 2 } });
    for (let i = 0; i < 5; i++) h.at(T0 + i, sig(i));
    const group = h.engine.snapshot().alarms.find((a) => a.kind === 'group')!;
    expect(group.members!.total).toBe(3);
    for (let i = 2; i < 4; i++) h.at(T0 + 100 + i, sig(i, 0));
    h.tick(T0 + 200);
    expect(h.engine.get(group.id)).toMatchObject({ conditionActive: true, members: { active: 1 } });
    h.at(T0 + 300, sig(4, 0));
    expect(h.changes.at(-1)).toMatchObject({ change: 'cleared', alarm: { id: group.id, state: 'cleared' } });
    // Back offline before anyone acknowledged: the same group, no new member.
    h.at(T0 + 400, sig(4, 1));
    expect(h.engine.get(group.id)).toMatchObject({ state: 'active', members: { total: 3, active: 1 } });
  });

  it("takes a group's severity from its worst member and never steps it down", () => {
    const levels = [
      { severity: 'warning' as const, at: 10, title: 'Mức 1' },
      { severity: 'major' as const, at: 20, title: 'Mức 2' },
      { severity: 'critical' as const, at: 30, title: 'Mức 3' },
    ];
    const h = makeHarness([makeRule({ levels, clearAt: 10 })], { storm: { threshold: 1 } });
    h.at(T0, { source: 's0', value: 11 });
    h.at(T0 + 1, { source: 's1', value: 12 });
    const group = h.engine.snapshot().alarms.find((a) => a.kind === 'group')!;
    expect(group).toMatchObject({ severity: 'warning', level: 0 });
    h.at(T0 + 2, { source: 's2', value: 35 });
    expect(h.changes.at(-1)).toMatchObject({ change: 'grouped', previousSeverity: 'warning', alarm: { severity: 'critical', title: 'Mức 3' } });
    h.at(T0 + 3, { source: 's1', value: 21 });
    h.tick(T0 + 4);
    expect(h.engine.get(group.id)).toMatchObject({ severity: 'critical', level: 2, title: 'Mức 3', members: { total: 2 } });
  });

  it('raises singles again once the window has passed without a group', () => {
    const h = makeHarness(offline(), { storm: { threshold: 3, windowMs: 5 * MIN } });
    for (let i = 0; i < 3; i++) h.at(T0 + i, sig(i));
    h.tick(T0 + 5 * MIN);
    h.at(T0 + 5 * MIN, sig(3));
    expect(h.engine.snapshot().alarms.map((a) => a.kind)).toEqual(['single', 'single', 'single', 'single']);
  });
});

describe('bounds', () => {
  it('open alarms never exceed maxOpen (default 10,000): the rest fold into one overflow group per rule', () => {
    const h = makeHarness([makeRule()]);
    // One source per commune, so no storm grouping hides the cap.
    for (let i = 0; i < 12_000; i++) h.at(T0 + i, { source: `s${i}`, value: 11, commune: String(10_000 + i) });
    h.tick(T0 + 20_000);
    const open = h.engine.snapshot().alarms;
    expect(open.filter((a) => a.kind !== 'overflow')).toHaveLength(10_000);
    expect(open).toHaveLength(10_001);
    const overflow = open.find((a) => a.kind === 'overflow')!;
    expect(overflow.members).toMatchObject({ total: 2000, active: 2000 });
    expect(overflow.members!.sources).toHaveLength(500);
    expect(h.engine.stats()).toMatchObject({ overflowed: 2000, stormKeys: 10_000 });
  });

  it('condition trackers are capped; the least recently updated go first', () => {
    const h = makeHarness([makeRule()], { maxTrackers: 1000 });
    for (let i = 0; i < 5000; i++) h.at(T0 + i, { source: `s${i}`, value: 1 });
    expect(h.engine.stats()).toMatchObject({ trackers: 1000, evicted: 4000 });
  });

  it('an evicted group member counts as cleared, so a group cannot stay open forever', () => {
    const h = makeHarness(offline(), { maxTrackers: 3, storm: { threshold: 1 } });
    h.at(T0, sig(0));
    h.at(T0 + 1, sig(1));
    h.at(T0 + 2, sig(2));
    const group = h.engine.snapshot().alarms.find((a) => a.kind === 'group')!;
    expect(group.members!.active).toBe(2);
    for (let i = 10; i < 13; i++) h.at(T0 + i, { ...sig(i), commune: '59999', value: 0 });
    expect(h.engine.get(group.id)).toMatchObject({ conditionActive: false, members: { active: 0 } });
  });
});
