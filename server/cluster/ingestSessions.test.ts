import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../log';
import type { AdoptedSession } from '../ingest/mqttSource';
import { startIngestSessions, type IngestSessions } from './ingestSessions';

const url = inject('databaseUrl');
const log = createLogger('silent');
const open: IngestSessions[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** A broker session stand-in: adopted until the test ends it (its owner coming back). */
function fakeBroker(known: Set<string>) {
  const adoptions: string[] = [];
  const live = new Map<string, () => void>();
  return {
    adoptions,
    /** The owner reconnects: the broker ends the adopter's connection. */
    takeBack: (id: string) => live.get(id)?.(),
    adopt: async (id: string): Promise<AdoptedSession | null> => {
      // Rows left by other tests' keepers are sessions this broker never had.
      if (!known.has(id)) return null;
      adoptions.push(id);
      let end!: () => void;
      const ended = new Promise<void>((r) => (end = r));
      live.set(id, end);
      return { ended, close: async () => end() };
    },
  };
}

const start = (clientId: string, instance: string, adopt: (id: string) => Promise<AdoptedSession | null>, recheckMs = 1e9) =>
  startIngestSessions({ connectionString: url, clientId, instance, adopt, recheckMs, log }).then((s) => (open.push(s), s));

/** Kills a keeper's database connection (a crashed instance): PostgreSQL releases its locks. */
async function killConnection(instance: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`ioc-ingest-sessions:${instance}`]);
  await c.end();
}

describe('ingest sessions: a dead instance’s session adopted by a live one', () => {
  it('adopts a session whose lock is free at two checks in a row, once, and lets it go when its owner is back', async () => {
    const k = Math.random().toString(36).slice(2);
    const [idA, idB] = [`a-${k}`, `b-${k}`];
    const broker = fakeBroker(new Set([idA, idB]));
    // A checks once (its timer never fires again): killed, it stays dead.
    const a = await start(idA, `ia-${k}`, broker.adopt);
    const b = await start(idB, `ib-${k}`, broker.adopt);
    expect(a.state().own).toBe(true);
    await b.check();
    await b.check();
    expect(broker.adoptions).toEqual([]);

    await killConnection(`ia-${k}`);
    await b.check();
    // Free once: perhaps A is only reconnecting.
    expect(broker.adoptions).toEqual([]);
    await b.check();
    expect(broker.adoptions).toEqual([idA]);
    expect(b.state()).toMatchObject({ own: true, adopted: [idA], adoptions: 1 });
    await b.check();
    expect(broker.adoptions).toEqual([idA]);

    // A restarts: its MQTT connection takes the session back (the broker ends B's), B lets the lock go, A takes it.
    const a2 = await start(idA, `ia2-${k}`, broker.adopt);
    expect(a2.state().own).toBe(false);
    broker.takeBack(idA);
    await new Promise((r) => setTimeout(r, 50));
    expect(b.state().adopted).toEqual([]);
    await a2.check();
    expect(a2.state().own).toBe(true);
    await b.check();
    await b.check();
    expect(broker.adoptions).toEqual([idA]);
  });

  it('a clean stop removes the session: nobody adopts it', async () => {
    const k = Math.random().toString(36).slice(2);
    const [idA, idB] = [`a-${k}`, `b-${k}`];
    const broker = fakeBroker(new Set([idA, idB]));
    const a = await start(idA, `ia-${k}`, broker.adopt);
    const b = await start(idB, `ib-${k}`, broker.adopt);
    await a.close();
    for (let i = 0; i < 3; i++) await b.check();
    expect(broker.adoptions).toEqual([]);
    expect(b.state().adopted).toEqual([]);
  });

  it('a session the broker no longer has is not held: its lock goes back', async () => {
    const k = Math.random().toString(36).slice(2);
    const [idA, idB, idC] = [`a-${k}`, `b-${k}`, `c-${k}`];
    const gone = fakeBroker(new Set([idB]));
    await start(idA, `ia-${k}`, gone.adopt);
    const b = await start(idB, `ib-${k}`, gone.adopt);
    await killConnection(`ia-${k}`);
    await b.check();
    await b.check();
    expect(b.state().adopted).toEqual([]);
    // Another instance can still take it (the lock was released).
    const seen = fakeBroker(new Set([idA]));
    const c = await start(idC, `ic-${k}`, seen.adopt);
    await c.check();
    expect(seen.adoptions).toEqual([idA]);
  });
});
