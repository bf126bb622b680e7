/**
 * The time machine's keys on a wall without a mouse. H opens and closes the bar; while it is open (or the wall
 * shows the past) ←/→ step the instant (Shift: 15 min) instead of the pages, Space plays or pauses, +/− change
 * the speed; L, or Esc with no station card open, returns to live. Other keys are the kiosk's.
 */
import { BIG_STEP_MS, STEP_MS, type TimeTravel } from '../store/timeTravel';

export interface TimeKey {
  key: string;
  shiftKey: boolean;
}

export const TIME_KEY_HELP: readonly { keys: string[]; labelVi: string }[] = [
  { keys: ['H'], labelVi: 'mở/đóng thanh xem lại' },
  { keys: ['←', '→'], labelVi: '1 phút (Shift: 15 phút)' },
  { keys: ['Space'], labelVi: 'phát/dừng' },
  { keys: ['+', '−'], labelVi: 'tốc độ' },
  { keys: ['L'], labelVi: 'về trực tiếp' },
];

/** Handles `e` if it is a time machine key in the current state; returns whether it did. */
export function handleTimeKey(tt: TimeTravel, e: TimeKey, cardOpen: boolean): boolean {
  const k = e.key;
  if (k === 'h' || k === 'H') {
    tt.toggleBar();
    return true;
  }
  if (k === 'l' || k === 'L') {
    tt.goLive();
    return true;
  }
  const active = tt.barOpen || !tt.live;
  if (!active) return false;
  switch (k) {
    case 'ArrowLeft':
      tt.step(-(e.shiftKey ? BIG_STEP_MS : STEP_MS));
      return true;
    case 'ArrowRight':
      tt.step(e.shiftKey ? BIG_STEP_MS : STEP_MS);
      return true;
    case ' ':
    case 'Spacebar':
      tt.togglePlay();
      return true;
    case '+':
    case '=':
      tt.changeSpeed(1);
      return true;
    case '-':
    case '_':
      tt.changeSpeed(-1);
      return true;
    case 'Escape':
      // A station card closes first (the kiosk's Esc); then the past; then the bar.
      if (cardOpen) return false;
      if (!tt.live) tt.goLive();
      else tt.toggleBar();
      return true;
    default:
      return false;
  }
}
