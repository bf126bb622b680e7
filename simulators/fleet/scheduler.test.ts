import { describe, expect, it } from 'vitest';
import { createRandom } from '../../shared/random';
import { DueQueue, nextDue } from './scheduler';

describe('DueQueue', () => {
  it('pops in due order', () => {
    const q = new DueQueue<number>();
    const r = createRandom(3);
    const dues = Array.from({ length: 500 }, () => Math.floor(r.next() * 10_000));
    dues.forEach((d, i) => q.push(d, i));
    expect(q.size).toBe(500);
    const out: number[] = [];
    while (q.size > 0) out.push(q.pop()!.due);
    expect(out).toEqual([...dues].sort((a, b) => a - b));
    expect(q.pop()).toBeUndefined();
    expect(q.peekDue()).toBe(Infinity);
  });

  it('keeps one entry per item when each pop is pushed back', () => {
    const q = new DueQueue<string>();
    q.push(5, 'a');
    q.push(1, 'b');
    for (let i = 0; i < 100; i++) {
      const e = q.pop()!;
      q.push(e.due + 3, e.item);
    }
    expect(q.size).toBe(2);
  });
});

describe('nextDue', () => {
  it('steps one interval when on time', () => {
    expect(nextDue(1000, 500, 1100)).toBe(1500);
  });
  it('skips missed reports after a stall, keeping the phase', () => {
    expect(nextDue(1000, 500, 3200)).toBe(3500);
    expect(nextDue(1000, 500, 3500)).toBe(4000);
  });
});
