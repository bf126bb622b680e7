/**
 * Flags sensors that report the very same values again and again (a frozen sensor or a stuck
 * data logger): real air and wastewater readings always move a little. Only those station
 * types are watched: rain is legitimately 0 for hours, street lights sit at fixed power, and a
 * river can hold a level to the centimetre. Fixed arrays, one slot per device.
 */
import type { DeviceType } from '../../shared/mqtt';

/** Identical consecutive reports before a station counts as stuck (30 min at one a minute). */
export const STUCK_AFTER_REPORTS = 30;
const WATCHED: ReadonlySet<DeviceType> = new Set(['air', 'water']);

export class StuckDetector {
  private readonly repeats: Uint16Array;
  private readonly stuck: Uint8Array;
  private stuckCount = 0;

  constructor(
    private readonly typeOf: (i: number) => DeviceType,
    size: number,
    private readonly after = STUCK_AFTER_REPORTS,
  ) {
    this.repeats = new Uint16Array(size);
    this.stuck = new Uint8Array(size);
  }

  /** A live reading's values against the device's previous ones. */
  observe(i: number, values: Record<string, number>, previous: Record<string, number> | undefined): void {
    if (!WATCHED.has(this.typeOf(i))) return;
    if (previous !== undefined && sameValues(values, previous)) {
      if (this.repeats[i]! < 0xffff) this.repeats[i]!++;
      if (this.repeats[i]! >= this.after && this.stuck[i] === 0) {
        this.stuck[i] = 1;
        this.stuckCount++;
      }
    } else {
      this.repeats[i] = 0;
      if (this.stuck[i] === 1) {
        this.stuck[i] = 0;
        this.stuckCount--;
      }
    }
  }

  isStuck(i: number): boolean {
    return this.stuck[i] === 1;
  }

  get count(): number {
    return this.stuckCount;
  }

  /** Indices of stuck devices, at most `limit`. */
  list(limit: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.stuck.length && out.length < limit; i++) if (this.stuck[i] === 1) out.push(i);
    return out;
  }
}

function sameValues(a: Record<string, number>, b: Record<string, number>): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  return n === Object.keys(b).length;
}
