import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../log';
import { lockKey, pgLeadership, soloLeadership, type Leadership } from './leader';

const url = inject('databaseUrl');
const log = createLogger('silent');
const open: Leadership[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

async function until(what: string, probe: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('leader election', () => {
  it('leads alone without PostgreSQL', () => {
    expect(soloLeadership().isLeader()).toBe(true);
  });

  it('gives the lock to one instance; when it closes, another takes it at its next check', async () => {
    const name = `test-${Math.random()}`;
    const a = await pgLeadership({ connectionString: url, name, recheckMs: 50, log });
    open.push(a);
    const b = await pgLeadership({ connectionString: url, name, recheckMs: 50, log });
    open.push(b);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.isLeader()).toBe(false);
    await a.close();
    await until('b to lead', () => b.isLeader());
    expect(b.state()).toMatchObject({ leader: true, via: 'postgresql', error: null });
  });

  it('stops leading when its connection is killed, and the lock moves', async () => {
    const name = `test-${Math.random()}`;
    const changes: boolean[] = [];
    const a = await pgLeadership({ connectionString: url, name, recheckMs: 50, log, onChange: (v) => changes.push(v) });
    open.push(a);
    const b = await pgLeadership({ connectionString: url, name, recheckMs: 50, log });
    open.push(b);
    expect(a.isLeader()).toBe(true);
    // Kill the leader's backend from outside, as a crashed network or a failover of the database would.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = ($1::bigint & 4294967295)::oid AND granted", [lockKey(name)]);
    } finally {
      await admin.end();
    }
    await until('a to notice', () => !a.isLeader());
    await until('someone to lead again', () => a.isLeader() || b.isLeader());
    expect(a.isLeader() && b.isLeader()).toBe(false);
    expect(changes.slice(0, 2)).toEqual([true, false]);
  });
});
