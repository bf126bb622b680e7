/**
 * The wall's audible cue (DESIGN.md complaint 4), generated with the Web Audio API (no audio files).
 * Browsers start audio only after a user gesture: the wall asks for one click at start-up, and until then
 * says so. Whether the cue plays is a wall setting kept in localStorage.
 */
import type { Severity } from '../../shared/alarms';

export const SOUND_SETTING_KEY = 'ioc.wall.alarmSound';

interface Tone {
  freq: number;
  start: number;
  dur: number;
  type: OscillatorType;
}

/** Critical: an urgent rising two-tone, three times. Major: two calm falling beeps. Told apart by ear. */
export function toneFor(severity: Exclude<Severity, 'warning'>): Tone[] {
  if (severity === 'critical') {
    const out: Tone[] = [];
    for (let k = 0; k < 3; k++) {
      out.push({ freq: 880, start: k * 0.5, dur: 0.2, type: 'square' });
      out.push({ freq: 1320, start: k * 0.5 + 0.22, dur: 0.2, type: 'square' });
    }
    return out;
  }
  return [
    { freq: 660, start: 0, dur: 0.3, type: 'triangle' },
    { freq: 494, start: 0.4, dur: 0.45, type: 'triangle' },
  ];
}

type Listener = () => void;

export class AlarmSound {
  private ctx: AudioContext | null = null;
  private readonly listeners = new Set<Listener>();
  enabled: boolean;
  /** What was played, for the status line (and the browser tests). */
  readonly played: Record<'critical' | 'major', number> = { critical: 0, major: 0 };
  lastPlayed: 'critical' | 'major' | null = null;

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeStorage()) {
    this.enabled = storage?.getItem(SOUND_SETTING_KEY) !== 'off';
  }

  get unlocked(): boolean {
    return this.ctx?.state === 'running';
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    this.storage?.setItem(SOUND_SETTING_KEY, on ? 'on' : 'off');
    if (on) void this.unlock();
    this.changed();
  }

  /** Call from a user gesture (click, key): creates or resumes the audio context. */
  async unlock(): Promise<void> {
    const Ctx = typeof window === 'undefined' ? undefined : window.AudioContext;
    if (!Ctx) return;
    if (!this.ctx) {
      this.ctx = new Ctx();
      this.ctx.addEventListener('statechange', () => this.changed());
    }
    if (this.ctx.state !== 'running') {
      try {
        await this.ctx.resume();
      } catch {
        // Still locked: the prompt stays.
      }
    }
    this.changed();
  }

  /** Plays the cue for a severity when enabled and unlocked; returns whether it played. */
  play(severity: Severity): boolean {
    if (severity === 'warning' || !this.enabled || !this.ctx || this.ctx.state !== 'running') return false;
    const ctx = this.ctx;
    const t0 = ctx.currentTime + 0.02;
    for (const t of toneFor(severity)) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = t.type;
      osc.frequency.value = t.freq;
      // A short attack and release: no clicks, and square waves kept well below full scale.
      const peak = t.type === 'square' ? 0.12 : 0.3;
      gain.gain.setValueAtTime(0, t0 + t.start);
      gain.gain.linearRampToValueAtTime(peak, t0 + t.start + 0.015);
      gain.gain.setValueAtTime(peak, t0 + t.start + t.dur - 0.04);
      gain.gain.linearRampToValueAtTime(0, t0 + t.start + t.dur);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + t.start);
      osc.stop(t0 + t.start + t.dur + 0.02);
    }
    this.played[severity]++;
    this.lastPlayed = severity;
    this.changed();
    return true;
  }

  private changed(): void {
    for (const fn of [...this.listeners]) fn();
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The wall's one sound (one audio context per page). */
export const wallSound = new AlarmSound();
