/**
 * Wires the wall's time machine (client/store/timeTravel.ts) to the network and the stores: a past instant
 * is the history snapshot fetched and applied in place of the live state (its open alarms quietly into the
 * alarm store), with the live frames paused; the return to live resubscribes.
 */
import type { AlarmStore } from '../alarms/alarmStore';
import { serverNow, setViewedAt } from '../store/clock';
import type { LiveStore } from '../store/liveStore';
import { TimeTravel } from '../store/timeTravel';
import { fetchHistorySnapshot } from './api';
import type { LiveConnection } from './socket';

export interface TimeTravelLinkParts {
  store: LiveStore;
  alarms: AlarmStore;
  live: Pick<LiveConnection, 'pause' | 'resume'>;
}

export function connectTimeTravel({ store, alarms, live }: TimeTravelLinkParts): TimeTravel {
  return new TimeTravel({
    serverNow: () => serverNow(),
    load: async (at, signal) => {
      const snap = await fetchHistorySnapshot(at, signal);
      // Superseded (a newer instant, or live) while the answer was on its way: apply nothing.
      if (signal.aborted) throw new Error('aborted');
      const result = store.applyHistoric(snap);
      if (result === 'registryMismatch') throw new Error('Danh mục thiết bị đã thay đổi — hãy tải lại trang');
      if (result !== 'applied') throw new Error(`Không áp dụng được bản ghi (${result})`);
      if (snap.alarms) alarms.applySnapshot(snap.alarms, { quiet: true });
      setViewedAt(snap.historic.at);
    },
    leaveLive: () => live.pause(),
    returnLive: () => {
      setViewedAt(null);
      live.resume();
    },
  });
}
