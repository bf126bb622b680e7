import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/alarms';
import { makeAlarm } from '../alarms/testing';
import { historyLines } from './AlarmDetailPane';

const entry = (rev: number, change: AuditEntry['change'], severity: 'warning' | 'major' | 'critical', actor = 'system'): AuditEntry => ({
  id: rev,
  alarmId: 1,
  rev,
  at: rev * 1000,
  actor,
  change,
  note: null,
  snapshot: makeAlarm({ rev, severity, title: `t${rev}`, escalationLevel: 0 }),
});

describe('alarm history lines', () => {
  it('folds routine updates and keeps severity steps and operator actions as their own lines', () => {
    const lines = historyLines([
      entry(1, 'raised', 'warning'),
      entry(2, 'updated', 'warning'),
      entry(3, 'updated', 'warning'),
      entry(4, 'updated', 'major'),
      entry(5, 'updated', 'major'),
      entry(6, 'acknowledged', 'major', 'An'),
      entry(7, 'updated', 'critical'),
      entry(8, 'resolved', 'critical', 'An'),
    ]);
    expect(lines.map((l) => [l.entry.rev, l.step?.severity ?? null, l.folded])).toEqual([
      [1, null, 0],
      [3, null, 2],
      [4, 'major', 0],
      [5, null, 1],
      [6, null, 0],
      [7, 'critical', 0],
      [8, null, 0],
    ]);
  });
});
