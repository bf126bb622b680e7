/** Feeds the alarm parts of the view frames into the alarm store (called by the live connection's onFrame). */
import type { AlarmsDelta, AlarmsSnapshot, ViewDelta, ViewSnapshot } from '../../shared/events';
import { assertNever } from '../../shared/protocol';
import type { AlarmStore } from './alarmStore';

const isSnapshot = (x: AlarmsSnapshot | AlarmsDelta): x is AlarmsSnapshot => 'open' in x;

/** `resync`: the server dropped alarm changes and the view must be resubscribed. */
export function feedAlarmFrame(store: AlarmStore, frame: ViewSnapshot | ViewDelta): 'ok' | 'resync' {
  switch (frame.view) {
    case 'wall':
    case 'console': {
      if (frame.view === 'console' && frame.health) store.setHealth(frame.health);
      const alarms = frame.alarms;
      if (!alarms) return 'ok';
      if (isSnapshot(alarms)) {
        store.applySnapshot(alarms);
        return 'ok';
      }
      return store.applyDelta(alarms) === 'resync' ? 'resync' : 'ok';
    }
    case 'mobile':
      if (frame.alarms) store.applyMobile(frame.alarms);
      return 'ok';
    default:
      return assertNever(frame, 'view');
  }
}
