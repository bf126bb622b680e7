import { describe, expect, it } from 'vitest';
import { failureShape } from './throughput';

const short = { socketFullMs: 4_120, windowFullMs: 0, maxTimerGapMs: 37, lateTimers: 0, skipped: 24_000 };

describe('why a step failed', () => {
  it('names a stall, the loop delay, the broker and what held the publisher back', () => {
    const text = failureShape({ server: 68, broker: 16, publisher: 12 }, 24.97, true, short);
    expect(text).toBe(
      'stall: consumer at 68 % CPU, event-loop p99 24.97 ms, broker 16 %, publisher short of the rate (waited 4.1 s on a full socket (the broker not reading), its own timer late by up to 37 ms (0 times over 50 ms), 24000 messages skipped 200 ms behind)',
    );
  });

  it('says when the publisher waited for QoS 1 acknowledgements, and nothing of it when it kept the rate', () => {
    expect(failureShape({ server: 95 }, null, true, { ...short, windowFullMs: 2_500 })).toContain('2.5 s on the QoS 1 window (the broker not acknowledging)');
    expect(failureShape({ server: 95 }, null, false, short)).toBe('consumer out of CPU (95 %)');
  });
});
