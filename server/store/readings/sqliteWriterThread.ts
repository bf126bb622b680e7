/**
 * The SQLite reading store's writer thread (sqliteThreaded.ts): its own connection to the same WAL file, doing
 * the appends (with their rollups) and the retention deletes, so a transaction of thousands of rows runs on the
 * other core instead of holding the server's event loop. One message at a time, answered in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteReadingStore, type SqliteReadingStoreOptions } from './sqliteEngine';
import type { WriterReply, WriterRequest } from './sqliteThreaded';

const port = parentPort;
if (!port) throw new Error('sqliteWriterThread runs as a worker thread');
const store = new SqliteReadingStore(workerData as SqliteReadingStoreOptions);
let queue = Promise.resolve();

port.on('message', (m: WriterRequest) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    try {
      if (m.op === 'append') {
        const { result, created } = await store.appendReporting(m.batch);
        reply = { id: m.id, ok: true, result, created };
      } else if (m.op === 'prune') {
        reply = { id: m.id, ok: true, pruned: await store.prune(m.req) };
      } else {
        await store.close();
        reply = { id: m.id, ok: true };
      }
    } catch (err) {
      reply = { id: m.id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    port.postMessage(reply);
  });
});
port.postMessage({ id: 0, ok: true, ready: true } satisfies WriterReply);
