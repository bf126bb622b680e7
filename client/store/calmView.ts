/**
 * A calmer reader of a versioned store, for the wall's text panels (counts, header figures, data quality, the
 * rate chart). The live store tells its readers on every frame that carries a server tick; on a wall of
 * 100,000 devices some count moves on every one, and each change of text makes the browser composite the
 * whole 4K screen again (issue 18: the wall drew 9 frames a second where the bare map drew 33). Through a
 * calm view a panel changes once a second at most, on the screen's beat (client/ui/beat.ts): with the
 * clock and the blinks, in the frame of a map update.
 *
 * What must show at once still does: when the store's `epoch` moved (a snapshot, the time machine, a new
 * registry, the connection lost or back), the readers are told on that same frame.
 */
import type { Beat } from '../ui/beat';
import type { VersionedStore } from './useVersioned';

export interface EpochStore extends VersionedStore {
  /** Bumped by what readers must see at once, whatever their calm. */
  readonly epoch: number;
}

export class CalmView<S extends EpochStore> implements VersionedStore {
  /** Bumped each time the readers are told. */
  version = 0;
  private readonly listeners = new Set<() => void>();
  private offStore: (() => void) | null = null;
  private offBeat: (() => void) | null = null;
  private toldEpoch: number;
  /** The store's version when the readers were last told. */
  private toldStoreVersion: number;

  constructor(
    readonly store: S,
    private readonly beat: Beat,
  ) {
    this.toldEpoch = store.epoch;
    this.toldStoreVersion = store.version;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    // Only while someone reads: a page that is not shown costs nothing.
    if (!this.offStore) {
      this.offStore = this.store.subscribe(this.onStore);
      this.offBeat = this.beat.subscribe(this.onBeat);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || !this.offStore) return;
      this.offStore();
      this.offBeat?.();
      this.offStore = this.offBeat = null;
    };
  };

  private readonly onStore = (): void => {
    if (this.store.epoch !== this.toldEpoch) this.tell();
  };

  private readonly onBeat = (): void => {
    if (this.store.version !== this.toldStoreVersion) this.tell();
  };

  private tell(): void {
    this.toldEpoch = this.store.epoch;
    this.toldStoreVersion = this.store.version;
    this.version += 1;
    for (const l of [...this.listeners]) l();
  }
}
