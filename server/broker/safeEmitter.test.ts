import { describe, expect, it } from 'vitest';
import mqemitter from 'mqemitter';
import { createSafeMqEmitter } from './safeEmitter';

/**
 * The failure mode: the first message's listener completes late (async), so everything emitted
 * meanwhile queues; the rest complete synchronously and the queue drains by recursion.
 */
function drain(mq: ReturnType<typeof mqemitter>, n: number): Promise<{ received: number[]; error?: unknown }> {
  return new Promise((resolve) => {
    const received: number[] = [];
    let first = true;
    mq.on('t/#', (msg: { topic: string; [key: string]: unknown }, done: () => void) => {
      received.push(msg.n as number);
      if (first) {
        first = false;
        setTimeout(done, 10);
      } else {
        done();
      }
    });
    let error: unknown;
    process.once('uncaughtException', (e) => (error = e));
    for (let k = 0; k < n; k++) mq.emit({ topic: 't/x', n: k });
    setTimeout(() => resolve({ received, error }), 200);
  });
}

describe('createSafeMqEmitter', () => {
  it('the plain mqemitter overflows the stack on a long synchronous drain (the bug this guards)', async () => {
    const { received, error } = await drain(mqemitter({ concurrency: 1 }), 20_000);
    expect(error).toBeInstanceOf(RangeError);
    expect(received.length).toBeLessThan(20_000);
  });

  it('delivers a long queue completely and in order, without overflowing', async () => {
    const { received, error } = await drain(createSafeMqEmitter({ concurrency: 1 }), 20_000);
    expect(error).toBeUndefined();
    expect(received).toHaveLength(20_000);
    expect(received.every((v, k) => v === k)).toBe(true);
  });
});
