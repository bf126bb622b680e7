/**
 * The clock the domains run on. Live: the machine's clock. Rehearsal (CLOCK=scenario): the scenario's
 * simulated time (shared/simClock.ts), advanced between its messages by speed × the real time elapsed, and
 * never moving backwards once synced. System figures (ingest rate, uptime, tick timings) stay on real time.
 */
import { simClockSchema, type ClockInfo } from '../shared/simClock';

export interface Clock {
  /** The time the domains run on (epoch ms). */
  now(): number;
  info(): ClockInfo;
}

export function liveClock(realNow: () => number = Date.now): Clock {
  return { now: realNow, info: () => ({ mode: 'live' }) };
}

export class RehearsalClock implements Clock {
  private anchorSim = 0;
  private anchorReal = 0;
  private speed = 1;
  private last = 0;
  private synced = false;
  private scenario: string | null = null;
  private phase: string | null = null;
  /** Clock messages refused (bad JSON or shape). */
  rejected = 0;
  private backfilling = false;
  /**
   * Called when a clock message says the fleet's history is all sent after one said it was being sent (the
   * app learns the river forecasts again from the store then). A fleet that never says either never calls it.
   */
  onHistorySent?: () => void;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): number {
    if (!this.synced) return this.realNow();
    const t = this.anchorSim + (this.realNow() - this.anchorReal) * this.speed;
    // Readings, rings and alarm timers assume time only moves forward.
    if (t > this.last) this.last = t;
    return this.last;
  }

  /** A message on the clock topic; returns false (and counts it) when it is not a clock. */
  update(payload: Buffer | Uint8Array): boolean {
    if (payload.byteLength === 0) return true; // the rehearsal ended: keep the time it reached
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload).toString('utf8'));
    } catch {
      this.rejected++;
      return false;
    }
    const r = simClockSchema.safeParse(json);
    if (!r.success) {
      this.rejected++;
      return false;
    }
    const real = this.realNow();
    // The first message sets the time wherever the scenario starts; later ones only move it forward.
    if (!this.synced || r.data.simTime >= this.now()) {
      this.anchorSim = r.data.simTime;
      this.anchorReal = real;
      if (!this.synced) this.last = r.data.simTime;
    } else {
      // Behind our estimate (network delay): keep the estimate, take the new speed from now on.
      this.anchorSim = this.now();
      this.anchorReal = real;
    }
    this.synced = true;
    // The fleet's history is all sent (it said it was sending, and now says it is not): once per such change.
    if (r.data.backfilling === true) this.backfilling = true;
    else if (r.data.backfilling === false && this.backfilling) {
      this.backfilling = false;
      this.onHistorySent?.();
    }
    this.speed = r.data.speed;
    this.scenario = r.data.scenario ?? null;
    this.phase = r.data.phase ?? null;
    return true;
  }

  /** Whether a scenario's clock message has set the time (before it, the machine's time is used). */
  get isSynced(): boolean {
    return this.synced;
  }

  info(): ClockInfo {
    return { mode: 'rehearsal', synced: this.synced, speed: this.speed, scenario: this.scenario, phase: this.phase };
  }
}
