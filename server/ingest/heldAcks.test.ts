import { describe, expect, it } from 'vitest';
import { HeldAcks } from './heldAcks';

/** Acks named by number; `sent` lists them in the order they went out. */
function rig(cap?: number) {
  const acks = new HeldAcks(cap);
  const sent: number[] = [];
  const hold = (...ns: number[]) => ns.forEach((n) => acks.hold(() => sent.push(n)));
  return { acks, sent, hold };
}

describe('HeldAcks', () => {
  it('sends nothing until the tick sealed it and the writer settled past its position', () => {
    const { acks, sent, hold } = rig();
    hold(1, 2);
    acks.settled(100);
    expect(sent).toEqual([]);
    acks.seal(150);
    expect(sent).toEqual([]);
    acks.settled(149);
    expect(sent).toEqual([]);
    acks.settled(150);
    expect(sent).toEqual([1, 2]);
    expect(acks.stats()).toMatchObject({ held: 0, released: 2, early: 0 });
  });

  it('releases group by group in order, each at its own position', () => {
    const { acks, sent, hold } = rig();
    hold(1);
    acks.seal(10);
    hold(2, 3);
    acks.seal(20);
    hold(4);
    acks.settled(15);
    expect(sent).toEqual([1]);
    acks.settled(25);
    // 4 is in the open group: its readings have not reached the writer yet.
    expect(sent).toEqual([1, 2, 3]);
    acks.seal(25);
    expect(sent).toEqual([1, 2, 3, 4]);
  });

  it('a tick with nothing held seals nothing; a later group still waits for its own position', () => {
    const { acks, sent, hold } = rig();
    acks.seal(5);
    acks.settled(5);
    hold(1);
    acks.seal(9);
    expect(sent).toEqual([]);
    acks.settled(9);
    expect(sent).toEqual([1]);
  });

  it('holds at most cap: beyond, an ack goes at once and is counted', () => {
    const { acks, sent, hold } = rig(3);
    hold(1, 2, 3, 4, 5);
    expect(sent).toEqual([4, 5]);
    expect(acks.stats()).toEqual({ held: 3, released: 0, early: 2, cap: 3 });
    acks.seal(1);
    acks.settled(1);
    expect(sent).toEqual([4, 5, 1, 2, 3]);
    hold(6);
    expect(acks.stats()).toMatchObject({ held: 1, early: 2 });
  });

  it('releaseAll sends everything held, sealed or not', () => {
    const { acks, sent, hold } = rig();
    hold(1);
    acks.seal(10);
    hold(2);
    acks.releaseAll();
    expect(sent).toEqual([1, 2]);
    hold(3);
    acks.seal(11);
    acks.settled(11);
    expect(sent).toEqual([1, 2, 3]);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new HeldAcks(0)).toThrow(/cap/);
  });
});
