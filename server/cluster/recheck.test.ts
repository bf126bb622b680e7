import { describe, expect, it } from 'vitest';
import { startRecheck } from './recheck';

describe('startRecheck', () => {
  it('checks once before it resolves, then on its timer, never two at once, and not after stop', async () => {
    let runs = 0;
    let inFlight = 0;
    let most = 0;
    const check = async () => {
      runs++;
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
    };
    const r = await startRecheck(check, 5);
    expect(runs).toBe(1);
    await new Promise((res) => setTimeout(res, 80));
    expect(runs).toBeGreaterThan(2);
    // Checks take longer than the period: still one at a time.
    expect(most).toBe(1);
    await r.run();
    expect(most).toBe(1);
    await r.stop();
    const after = runs;
    await new Promise((res) => setTimeout(res, 40));
    expect(runs).toBe(after);
    expect(inFlight).toBe(0);
  });
});
