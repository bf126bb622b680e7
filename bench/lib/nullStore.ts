/**
 * A reading store that keeps nothing (`npm run bench -- --store off`): every append answers at once as if its
 * rows were inserted, every read is empty. Comparing an ingest run with it against one with the real store
 * says what storing costs the ingest (issue 13: at most 5 %).
 */
import { valueRows, type ReadingStore } from '../../server/store/readings/port';

export function nullReadingStore(): ReadingStore {
  return {
    append: async (batch) => ({ inserted: valueRows(batch), duplicates: 0 }),
    range: async () => [],
    rangeBucketed: async () => [],
    rangeBucketedMany: async () => new Map(),
    latestAt: async () => [],
    exportRange: () => ({
      [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined }) }),
    }),
    prune: async () => ({ rawRows: 0 }),
    sizeBytes: async () => 0,
    coverage: async () => null,
    close: async () => undefined,
  };
}
