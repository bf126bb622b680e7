/**
 * The synchronous SQLite AlarmStore seen as AlarmRecords: while the engine still writes through AlarmStore,
 * the API, the hub, health and the history read what it wrote through this (no DATABASE_URL). Every read is
 * the store's own; `write` keeps the conditional contract (checked, then written, in one transaction).
 */
import type { AlarmWrite } from '../alarms/storePort';
import type { AlarmRecords } from './alarmRecords';
import type { AlarmStore } from './alarmStore';

export function alarmStoreRecords(store: AlarmStore): AlarmRecords {
  const revOf = store.db.prepare<[number], { rev: number }>('SELECT rev FROM alarms WHERE id = ?');
  const conditionalWrite = store.db.transaction((w: AlarmWrite, prevRev: (id: number) => number | undefined): number[] => {
    const conflicts = w.alarms
      .filter((a) => {
        const prev = prevRev(a.id);
        const row = revOf.get(a.id);
        return prev === undefined ? row !== undefined : row?.rev !== prev;
      })
      .map((a) => a.id);
    if (conflicts.length === 0) store.write(w);
    return conflicts;
  });
  return {
    write: async (w, prevRev) => ({ conflicts: conditionalWrite(w, prevRev) }),
    loadOpen: async () => store.loadOpen(),
    maxIds: async () => store.maxIds(),
    get: async (id) => store.get(id),
    query: async (q, scope) => store.query(q, scope),
    history: async (id) => store.history(id),
    countRaised: async (from, to) => store.countRaised(from, to),
    medianAckMs: async (from, to) => store.medianAckMs(from, to),
    standing: async (before, limit) => store.standing(before, limit),
    openAt: async (at, limit) => store.openAt(at, limit),
  };
}
