import { useEffect, type RefObject } from 'react';
import { screenBeat, type Beat } from './beat';

/** The class a blinking element carries in its dim half (styled in base.css). */
export const BLINK_DIM_CLASS = 'is-dim';

export interface BlinkOptions {
  /** The class toggled (default `is-dim`). */
  className?: string;
  /** Stop after this many beats (seconds); default: while `on`. */
  forBeats?: number;
  /** A change of this value starts the blink over (with `forBeats`: a new alarm blinks its own time). */
  restartKey?: unknown;
  beat?: Beat;
}

/**
 * A blink on the screen's beat (client/ui/beat.ts), for what must catch the eye on a wall (the live dot, the
 * sound prompt, a new alarm): a class goes on at one beat and off at the next, a two-second period. Not a
 * CSS animation: while one runs, stepped or not, Chromium composites the whole screen on every frame, and
 * on a software-rendered 4K wall that is the frame budget (issue 18: at 10,000 devices the wall drew 7
 * frames a second with its pulses running, 17 without). On the beat, every blink changes in the same
 * frame as the clock. Off under prefers-reduced-motion.
 */
export function useBlink(ref: RefObject<HTMLElement | null>, on: boolean, options: BlinkOptions = {}): void {
  const { className = BLINK_DIM_CLASS, forBeats, restartKey, beat = screenBeat } = options;
  useEffect(() => {
    const el = ref.current;
    if (!on || !el) return;
    if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return;
    let beats = 0;
    const stop = () => {
      off();
      el.classList.remove(className);
    };
    const off = beat.subscribe(() => {
      beats += 1;
      if (forBeats !== undefined && beats > forBeats) stop();
      else el.classList.toggle(className, beats % 2 === 1);
    });
    return stop;
  }, [ref, on, className, forBeats, restartKey, beat]);
}
