import { useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { PhaseClock } from './phases';

// Not an act() environment: React schedules as it does in the browser.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

describe('PhaseClock.untilMicrotasks', () => {
  it("takes in React's render of an external store's change, which runs in a microtask after the listeners", async () => {
    let t = 0;
    const clock = new PhaseClock(() => t);
    let value = 0;
    const listeners = new Set<() => void>();
    const store = {
      subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
      get: () => value,
    };
    function Reader() {
      const v = useSyncExternalStore(store.subscribe, store.get);
      // Rendering costs 5 "ms" on the test clock.
      t += 5;
      return <span data-testid="v">{v}</span>;
    }
    const host = document.createElement('div');
    const root = createRoot(host);
    root.render(<Reader />);
    await new Promise((r) => setTimeout(r, 20));
    expect(host.textContent).toBe('0');
    // React subscribes in a passive effect, which a loaded machine may run later than the render (a fresh-clone CI run on
    // 2026-12-07: the change below was then picked up by the subscription, outside the microtasks, and read 0 ms).
    await vi.waitFor(() => expect(listeners.size).toBe(1), { timeout: 5_000 });

    // A flush as the live store does it: change, notify, then wait for the microtasks.
    clock.reset();
    value = 1;
    clock.time('notify', () => {
      for (const l of listeners) l();
    });
    clock.untilMicrotasks('react');
    await new Promise((r) => setTimeout(r, 20));
    expect(host.textContent).toBe('1');
    expect(clock.read().ms).toMatchObject({ notify: 0, react: 5 });
    root.unmount();
  });
});
