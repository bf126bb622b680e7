/**
 * What the wall does when an alarm is announced: a new critical alarm (raised, or stepped up to critical)
 * flies the map to its place with a highlight; critical and major alarms play their cue; every new alarm
 * is marked "MỚI" in the panel for a while.
 */
import { useEffect, useState } from 'react';
import type { Alarm } from '../../shared/alarms';
import { useLiveStore } from '../store/useLive';
import { worstAnnouncement, type Announcement } from './alarmStore';
import { emitMapFocus } from './focus';
import { alarmHeadline } from './labels';
import { loadCommunes, positionOf } from './places';
import type { AlarmSound } from './sound';
import { useAlarmStore } from './useAlarms';

/** How long a new alarm stays marked in the panel. */
export const FRESH_MS = 2 * 60_000;
const MAX_FRESH = 50;

export interface WallAnnouncerState {
  /** Alarm id → when it was announced. */
  fresh: ReadonlyMap<number, number>;
  /** The alarm the map was last asked to fly to. */
  lastFocus: number | null;
}

export function useWallAnnouncer(sound: AlarmSound): WallAnnouncerState {
  const alarms = useAlarmStore();
  const live = useLiveStore();
  const [state, setState] = useState<WallAnnouncerState>({ fresh: new Map(), lastFocus: null });

  useEffect(() => {
    let disposed = false;
    const focus = async (a: Alarm): Promise<void> => {
      const devices = live.registry?.devices;
      let pos = positionOf(a, devices, null);
      if (!pos) pos = positionOf(a, devices, await loadCommunes().catch(() => null));
      if (!pos || disposed) return;
      emitMapFocus({ lon: pos[0], lat: pos[1], label: alarmHeadline(a), alarmId: a.id });
      setState((s) => ({ ...s, lastFocus: a.id }));
    };
    const onBatch = (batch: readonly Announcement[]): void => {
      const now = Date.now();
      setState((s) => {
        const fresh = new Map([...s.fresh].filter(([, at]) => now - at < FRESH_MS));
        for (const x of batch) if (x.kind !== 'escalated') fresh.set(x.alarm.id, now);
        while (fresh.size > MAX_FRESH) fresh.delete(fresh.keys().next().value!);
        return { ...s, fresh };
      });
      const loud = worstAnnouncement(batch.filter((x) => x.alarm.severity !== 'warning' && (x.kind !== 'escalated' || x.alarm.severity === 'critical')));
      if (!loud) return;
      sound.play(loud.alarm.severity);
      if (loud.alarm.severity === 'critical' && loud.kind !== 'escalated') void focus(loud.alarm);
    };
    const off = alarms.onAnnounce(onBatch);
    return () => {
      disposed = true;
      off();
    };
  }, [alarms, live, sound]);

  return state;
}
