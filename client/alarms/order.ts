/** How the UI orders and classes alarms: the same urgency the server uses for its snapshot. */
import type { Alarm, AlarmState, Severity } from '../../shared/alarms';
import { forecastsFirst } from '../../shared/forecastAlarm';

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, major: 1, warning: 2 };
/** Unacknowledged (whether the condition still holds or not) before someone's, before closed. */
const STATE_ORDER: Record<AlarmState, number> = { active: 0, cleared: 0, assigned: 2, acknowledged: 3, resolved: 4, closed: 5 };

/**
 * Most urgent first: unacknowledged, severity, still happening, escalation, newest (id breaks ties so the
 * order is stable). Unlike the server's snapshot order, a critical alarm that has cleared but nobody has
 * seen stays above warnings that are still active.
 */
export function byUrgency(a: Alarm, b: Alarm): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    Number(a.state === 'cleared') - Number(b.state === 'cleared') ||
    b.escalationLevel - a.escalationLevel ||
    b.raisedAt - a.raisedAt ||
    b.id - a.id
  );
}

/** The wall's order: severity first, then time (issue 5 item 6), unacknowledged before acknowledged. */
export function bySeverityThenTime(a: Alarm, b: Alarm): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    Number(!isUnacknowledged(a)) - Number(!isUnacknowledged(b)) ||
    b.escalationLevel - a.escalationLevel ||
    b.raisedAt - a.raisedAt ||
    b.id - a.id
  );
}

/**
 * The phone's order (issue 17): forecast alarms first, soonest expected crossing first, since a warning hours
 * ahead is what a leader can still act on; then critical and escalated, then by urgency.
 */
export const phoneOrder: (a: Alarm, b: Alarm) => number = forecastsFirst<Alarm>((a, b) => Number(!isTop(a)) - Number(!isTop(b)) || byUrgency(a, b));

export const isUnacknowledged = (a: Pick<Alarm, 'state'>): boolean => a.state === 'active' || a.state === 'cleared';
export const isTop = (a: Pick<Alarm, 'severity' | 'escalationLevel'>): boolean => a.severity === 'critical' || a.escalationLevel > 0;
export const isOpen = (a: Pick<Alarm, 'state'>): boolean => a.state !== 'resolved' && a.state !== 'closed';
export const isGroup = (a: Pick<Alarm, 'kind'>): boolean => a.kind === 'group' || a.kind === 'overflow';
