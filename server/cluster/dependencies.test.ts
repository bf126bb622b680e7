import { describe, expect, it } from 'vitest';
import type { BusState } from './bus';
import { DependencyMonitor, type DependencySources } from './dependencies';
import type { LeadershipState } from './leader';
import type { WriterStats } from '../store/readings/writer';

const T0 = Date.UTC(2026, 10, 3, 5);

const makeWriter = (o: Partial<WriterStats> = {}): WriterStats => ({
  queued: 0,
  capRows: 1_000,
  written: 0,
  duplicates: 0,
  dropped: 0,
  rejected: 0,
  failed: 0,
  lastWriteMs: null,
  lastError: null,
  failingSince: null,
  ...o,
});
const solo: BusState = { via: 'solo', connected: true, error: null, sent: 0, received: 0, dropped: 0 };
const soloLead: LeadershipState = { leader: true, via: 'solo', checkedAt: null, error: null };

/** A monitor over mutable fakes: a test changes `world` and calls check(). */
function makeMonitor(overrides: Partial<DependencySources> = {}) {
  const world = {
    now: T0,
    lead: soloLead,
    bus: solo,
    mqtt: true,
    writer: makeWriter(),
  };
  const monitor = new DependencyMonitor({
    now: () => world.now,
    leadership: () => world.lead,
    mqtt: { kind: 'embedded', connected: () => world.mqtt },
    store: { engine: 'sqlite', writer: () => world.writer },
    bus: () => world.bus,
    ...overrides,
  });
  return { world, monitor };
}

describe('DependencyMonitor', () => {
  it('lists only what a lone SQLite instance uses: its broker and its store, both fine', () => {
    const { monitor } = makeMonitor();
    expect(monitor.check()).toEqual([
      { name: 'mqtt', ok: true, detail: 'embedded broker: connected', since: null },
      { name: 'store', ok: true, detail: 'sqlite: writing; 0/1000 rows queued', since: null },
    ]);
    expect(monitor.degraded()).toEqual([]);
  });

  it('lists PostgreSQL and Redis in a cluster, and says since when each went bad until it recovers', () => {
    const { world, monitor } = makeMonitor();
    world.lead = { leader: false, via: 'postgresql', checkedAt: T0, error: null };
    world.bus = { via: 'redis', connected: true, error: null, sent: 5, received: 7, dropped: 0 };
    expect(monitor.check().map((d) => [d.name, d.ok, d.detail])).toEqual([
      ['postgresql', true, 'answers; another instance leads'],
      ['redis', true, 'connected; sent 5, received 7, dropped 0'],
      ['mqtt', true, 'embedded broker: connected'],
      ['store', true, 'sqlite: writing; 0/1000 rows queued'],
    ]);

    world.now = T0 + 4_000;
    world.bus = { ...world.bus, connected: false, error: 'connect ECONNREFUSED 127.0.0.1:6379', dropped: 2 };
    world.lead = { ...world.lead, error: 'Connection terminated unexpectedly' };
    const down = monitor.check();
    expect(down.find((d) => d.name === 'redis')).toEqual({
      name: 'redis',
      ok: false,
      detail: 'connect ECONNREFUSED 127.0.0.1:6379; sent 5, received 7, dropped 2',
      since: T0 + 4_000,
    });
    expect(down.find((d) => d.name === 'postgresql')).toMatchObject({ ok: false, detail: 'leader check failed: Connection terminated unexpectedly', since: T0 + 4_000 });
    expect(monitor.degraded()).toEqual([
      { name: 'postgresql', since: T0 + 4_000 },
      { name: 'redis', since: T0 + 4_000 },
    ]);

    // Still down a few seconds later: `since` stays when it went bad.
    world.now = T0 + 9_000;
    expect(monitor.check().find((d) => d.name === 'redis')!.since).toBe(T0 + 4_000);

    // Redis is back: forgotten. Down again later: a new `since`.
    world.bus = { ...world.bus, connected: true, error: null };
    world.now = T0 + 10_000;
    expect(monitor.check().find((d) => d.name === 'redis')).toMatchObject({ ok: true, since: null });
    expect(monitor.degraded()).toEqual([{ name: 'postgresql', since: T0 + 4_000 }]);
    world.bus = { ...world.bus, connected: false };
    world.now = T0 + 20_000;
    expect(monitor.check().find((d) => d.name === 'redis')).toMatchObject({ ok: false, detail: 'disconnected; sent 5, received 7, dropped 2', since: T0 + 20_000 });
  });

  it('counts a PostgreSQL check that has not succeeded for too long as down (a hung connection reports no error)', () => {
    const { world, monitor } = makeMonitor({ staleCheckMs: 10_000 });
    world.lead = { leader: true, via: 'postgresql', checkedAt: T0, error: null };
    world.now = T0 + 10_000;
    expect(monitor.check()[0]).toEqual({ name: 'postgresql', ok: true, detail: 'answers; this instance leads', since: null });
    world.now = T0 + 12_400;
    expect(monitor.check()[0]).toEqual({ name: 'postgresql', ok: false, detail: 'no answer for 12 s', since: T0 + 12_400 });
  });

  it('takes the store’s since from the writer’s first failed write, and calls a nearly full queue down', () => {
    const { world, monitor } = makeMonitor();
    world.now = T0 + 3_000;
    world.writer = makeWriter({ failingSince: T0 + 1_000, lastError: 'SQLITE_FULL: database or disk is full', queued: 120 });
    expect(monitor.check()[1]).toEqual({
      name: 'store',
      ok: false,
      detail: 'sqlite: writes failing (SQLITE_FULL: database or disk is full); 120/1000 rows queued',
      since: T0 + 1_000,
    });
    // Writes succeed again but the queue is nearly full (900 of 1,000): still down, since unchanged.
    world.writer = makeWriter({ queued: 900 });
    expect(monitor.check()[1]).toMatchObject({ ok: false, since: T0 + 1_000, detail: 'sqlite: write queue nearly full (readings are dropped when it is); 900/1000 rows queued' });
    world.writer = makeWriter({ queued: 899 });
    expect(monitor.check()[1]).toMatchObject({ ok: true, since: null });
  });

  it('says an external broker is down while the ingest reconnects', () => {
    const { world, monitor } = makeMonitor({ mqtt: { kind: 'external', connected: () => world.mqtt } });
    world.mqtt = false;
    expect(monitor.check()[0]).toEqual({ name: 'mqtt', ok: false, detail: 'external broker: disconnected, reconnecting', since: T0 });
    expect(monitor.degraded()).toEqual([{ name: 'mqtt', since: T0 }]);
  });
});
