/**
 * The state of each dependency of this instance in one shape (shared/health.ts), read from what the app
 * already keeps: the leader election's last check (PostgreSQL answers or not), the ingest's MQTT connection,
 * the reading writer's failures and queue, the instances' bus (Redis). Only what the instance uses is listed:
 * no PostgreSQL on SQLite, no Redis alone. /api/health lists them; the live frames carry the ones that are
 * down; /metrics has one gauge per name.
 *
 * Nothing here polls: `check()` is called by the app's tick (so `since` is within a tick of the change) and
 * by the health route.
 */
import type { DegradedDependency, DependencyName, DependencyState } from '../../shared/health';
import { degradedOf } from '../../shared/health';
import type { WriterStats } from '../store/readings/writer';
import type { BusState } from './bus';
import type { LeadershipState } from './leader';

export interface DependencySources {
  /** The real clock (epoch ms): when a dependency went bad is a fact of the real world, even in a rehearsal. */
  now: () => number;
  leadership: () => LeadershipState;
  mqtt: { kind: 'embedded' | 'external'; connected: () => boolean };
  /** The reading store's engine ('sqlite', 'postgresql', or 'custom' when a test gives its own) and writer. */
  store: { engine: string; writer: () => Readonly<WriterStats> };
  bus: () => BusState;
  /**
   * A PostgreSQL check older than this counts as failed (a hung connection never reports an error).
   * Default 15 s: five of the election's 3 s checks.
   */
  staleCheckMs?: number;
  /** The writer's queue this full (a share of its cap) means readings are about to be dropped. Default 0.9. */
  queueFullShare?: number;
}

interface Observed {
  ok: boolean;
  detail: string;
  /** When the source itself knows when it went bad (the writer's first failed attempt). */
  since?: number | null;
}

export class DependencyMonitor {
  private readonly badSince = new Map<DependencyName, number>();
  private down: DegradedDependency[] = [];

  constructor(private readonly src: DependencySources) {}

  /** Each dependency's state now; remembers when each went bad, forgets it when it recovers. */
  check(): DependencyState[] {
    const now = this.src.now();
    const out: DependencyState[] = [];
    const add = (name: DependencyName, o: Observed) => {
      if (o.ok) this.badSince.delete(name);
      else if (!this.badSince.has(name)) this.badSince.set(name, o.since ?? now);
      out.push({ name, ok: o.ok, detail: o.detail, since: o.ok ? null : this.badSince.get(name)! });
    };
    const lead = this.src.leadership();
    if (lead.via === 'postgresql') add('postgresql', this.postgresql(lead, now));
    const bus = this.src.bus();
    if (bus.via === 'redis') add('redis', redis(bus));
    add('mqtt', mqtt(this.src.mqtt));
    add('store', store(this.src.store.engine, this.src.store.writer(), this.src.queueFullShare ?? 0.9));
    this.down = degradedOf(out);
    return out;
  }

  /** The dependencies down at the last check, for the frames (the same array until the next check). */
  degraded(): DegradedDependency[] {
    return this.down;
  }

  private postgresql(lead: LeadershipState, now: number): Observed {
    const staleMs = this.src.staleCheckMs ?? 15_000;
    if (lead.error !== null) return { ok: false, detail: `leader check failed: ${lead.error}` };
    if (lead.checkedAt === null) return { ok: false, detail: 'not checked yet' };
    const age = now - lead.checkedAt;
    if (age > staleMs) return { ok: false, detail: `no answer for ${Math.round(age / 1000)} s` };
    return { ok: true, detail: lead.leader ? 'answers; this instance leads' : 'answers; another instance leads' };
  }
}

function redis(bus: BusState): Observed {
  const counts = `sent ${bus.sent}, received ${bus.received}, dropped ${bus.dropped}`;
  return bus.connected ? { ok: true, detail: `connected; ${counts}` } : { ok: false, detail: `${bus.error ?? 'disconnected'}; ${counts}` };
}

function mqtt(m: DependencySources['mqtt']): Observed {
  const broker = m.kind === 'embedded' ? 'embedded broker' : 'external broker';
  return m.connected() ? { ok: true, detail: `${broker}: connected` } : { ok: false, detail: `${broker}: disconnected, reconnecting` };
}

function store(engine: string, w: Readonly<WriterStats>, fullShare: number): Observed {
  const queue = `${w.queued}/${w.capRows} rows queued`;
  if (w.failingSince !== null) return { ok: false, detail: `${engine}: writes failing (${w.lastError ?? 'unknown error'}); ${queue}`, since: w.failingSince };
  if (w.queued >= w.capRows * fullShare) return { ok: false, detail: `${engine}: write queue nearly full (readings are dropped when it is); ${queue}` };
  return { ok: true, detail: `${engine}: writing; ${queue}` };
}
