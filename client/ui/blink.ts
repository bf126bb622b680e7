import { useEffect, type RefObject } from 'react';

/** The class a blinking element carries in its dim half (styled in base.css). */
export const BLINK_DIM_CLASS = 'is-dim';

export interface BlinkOptions {
  /** The class toggled (default `is-dim`). */
  className?: string;
  /** Stop after this long (default: while `on`). */
  forMs?: number;
  /** A change of this value starts the blink over (with `forMs`: a new alarm blinks its own time). */
  restartKey?: unknown;
}

/**
 * A blink driven by a timer, for what must catch the eye on a wall (the live dot, the sound prompt, a new
 * alarm): a class goes on and off every half period. Not a CSS animation: while one runs, stepped or not,
 * Chromium composites the whole screen on every frame, and on a software-rendered 4K wall that is the frame
 * budget (issue 18: at 10,000 devices the wall drew 7 frames a second with its pulses running, 17 without).
 * A class change is drawn twice per period. Off under prefers-reduced-motion.
 */
export function useBlink(ref: RefObject<HTMLElement | null>, on: boolean, periodMs: number, options: BlinkOptions = {}): void {
  const { className = BLINK_DIM_CLASS, forMs, restartKey } = options;
  useEffect(() => {
    const el = ref.current;
    if (!on || !el) return;
    if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return;
    const stop = () => {
      window.clearInterval(timer);
      window.clearTimeout(end);
      el.classList.remove(className);
    };
    const timer = window.setInterval(() => el.classList.toggle(className), periodMs / 2);
    const end = forMs === undefined ? undefined : window.setTimeout(stop, forMs);
    return stop;
  }, [ref, on, periodMs, className, forMs, restartKey]);
}
