/**
 * Alarms across instances (DESIGN.md "Scale path"). Every instance has the province's state (relay.ts), so
 * every instance could decide; exactly one does: the leader (leader.ts, a PostgreSQL advisory lock). Its engine
 * evaluates the signals, runs the timers (escalation deadlines live in each alarm's row, so a new leader picks
 * them up where the old one left them) and writes behind it to PostgreSQL with versioned, conditional updates
 * (alarmWriteBehind.ts). Each tick it sends its changes to the followers on the bus; a follower's engine
 * mirrors them (evaluating nothing) so its walls show the same alarms, and forwards operators' actions to the
 * leader, which answers. A change of leader reloads every instance from the database, and viewers resync.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../shared/protocol';
import type { Alarm, AlarmActionResult, AlarmChange } from '../../shared/alarms';
import type { AlarmActionRequest, AlarmService } from '../alarms/service';
import type { AlarmStorePort } from '../alarms/storePort';
import type { Logger } from '../log';
import { WriteBehindAlarmPort, type AlarmRecordsWriter, type WriteBehindStats } from './alarmWriteBehind';
import type { InstanceBus } from './bus';
import type { Leadership } from './leader';

export interface AlarmRecordsForCluster extends AlarmRecordsWriter {
  loadOpen(): Promise<Alarm[]>;
  maxIds(): Promise<{ alarmId: number; rev: number }>;
}

export const ALARMS_CHANNEL = 'alarms';
export const RESYNC_CHANNEL = 'alarms:resync';
export const ACTION_CHANNEL = 'alarm:action';
/** How long a follower waits for the leader to answer an action. */
export const FORWARD_TIMEOUT_MS = 5_000;
/**
 * How long the leader holds an operator's answer for its write to reach PostgreSQL (then answers anyway: the
 * write stays queued and retried). Below FORWARD_TIMEOUT_MS, so that a forwarded action is answered.
 */
export const DURABLE_ANSWER_MS = 3_000;
/** Leader changes kept while a follower reloads (applied after, the older ones ignored). */
export const RELOAD_BUFFER_CAP = 20_000;

const actionRequestSchema: z.ZodType<AlarmActionRequest> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('acknowledge'), id: z.number().int().positive(), actor: z.string().min(1), note: z.string().optional() }),
  z.object({ kind: z.literal('assign'), id: z.number().int().positive(), actor: z.string().min(1), assignee: z.string().min(1) }),
  z.object({ kind: z.literal('resolve'), id: z.number().int().positive(), actor: z.string().min(1), note: z.string() }),
]);

interface AlarmsMessage {
  changes: AlarmChange[];
  resync: boolean;
}

export interface ClusterAlarmsStats {
  role: 'leader' | 'follower' | 'loading';
  reloads: number;
  mirrored: number;
  forwarded: number;
  forwardFailed: number;
  /** Forwarded actions the leader refused as malformed. */
  badActions: number;
  writeBehind: WriteBehindStats | null;
  lastError: string | null;
}

export interface ClusterAlarms {
  /** After each tick: a leader's changes to the followers. */
  publishTick(): void;
  stats(): ClusterAlarmsStats;
  close(): Promise<void>;
}

export async function startClusterAlarms(d: {
  alarms: AlarmService;
  records: AlarmRecordsForCluster;
  leadership: Leadership;
  bus: InstanceBus;
  log: Logger;
  forwardTimeoutMs?: number;
  durableAnswerMs?: number;
}): Promise<ClusterAlarms> {
  const { alarms, records, bus, log } = d;
  let port: WriteBehindAlarmPort | undefined;
  let loading = false;
  let buffered: AlarmChange[] = [];
  let closed = false;
  const st = { reloads: 0, mirrored: 0, forwarded: 0, forwardFailed: 0, badActions: 0, lastError: null as string | null };

  const load = async () => ({ open: await records.loadOpen(), ids: await records.maxIds() });

  const forward = async (req: AlarmActionRequest): Promise<AlarmActionResult<Alarm>> => {
    st.forwarded++;
    const answer = (await bus.request(ACTION_CHANNEL, req, d.forwardTimeoutMs ?? FORWARD_TIMEOUT_MS)) as AlarmActionResult<Alarm> | undefined;
    if (answer && typeof answer === 'object' && ('data' in answer || 'error' in answer)) return answer;
    st.forwardFailed++;
    return { error: { code: ERROR_CODES.UNAVAILABLE, message: 'no instance leading the alarms answered' } };
  };

  /** Becomes what the leadership says, from what the database holds; one at a time, retried until it works. */
  const reload = async (): Promise<void> => {
    for (let attempt = 0; !closed; attempt++) {
      const lead = d.leadership.isLeader();
      loading = true;
      try {
        const old = port;
        port = undefined;
        // A leader stepping down writes what it has queued before anyone reloads from the database.
        await old?.close();
        const pre = await load();
        if (lead) {
          port = new WriteBehindAlarmPort(records, pre, {
            onConflict: (ids) => {
              st.lastError = `another instance wrote alarms ${ids.join(', ')}: reloading`;
              log.error({ ids }, 'alarm write conflict: another instance wrote these alarms; reloading');
              void queueReload();
            },
            onError: (err) => log.warn({ err: (err as Error).message }, 'alarm write failed; retrying'),
          });
          const written = port;
          alarms.useEngine(port, 'leader', undefined, () => written.flush(d.durableAnswerMs ?? DURABLE_ANSWER_MS));
          bus.publish(RESYNC_CHANNEL, {});
        } else {
          alarms.useEngine(mirrorPort(pre), 'follower', forward);
          const waiting = buffered;
          buffered = [];
          alarms.mirror(waiting);
        }
        st.reloads++;
        st.lastError = null;
        loading = false;
        log.info({ role: lead ? 'leader' : 'follower', open: pre.open.length }, 'alarms loaded from the shared store');
        return;
      } catch (err) {
        st.lastError = (err as Error).message;
        log.warn({ err: st.lastError }, 'alarms could not be loaded from the shared store; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** attempt)).unref());
      }
    }
  };
  let chain: Promise<void> = Promise.resolve();
  const queueReload = () => (chain = chain.then(reload));

  const unsubs = [
    bus.subscribe(ALARMS_CHANNEL, (payload) => {
      const m = payload as Partial<AlarmsMessage> | null;
      if (!m || !Array.isArray(m.changes)) return;
      if (alarms.alarmRole === 'leader') return;
      if (loading) {
        if (buffered.length + m.changes.length <= RELOAD_BUFFER_CAP) buffered.push(...m.changes);
        return;
      }
      if (m.resync) {
        void queueReload();
        return;
      }
      st.mirrored += m.changes.length;
      alarms.mirror(m.changes);
    }),
    bus.subscribe(RESYNC_CHANNEL, () => {
      if (alarms.alarmRole !== 'leader') void queueReload();
    }),
    bus.respond(ACTION_CHANNEL, (payload) => {
      if (alarms.alarmRole !== 'leader' || loading) return undefined;
      // The follower checked the operator's session, role and scope; the leader checks the request's shape.
      const req = actionRequestSchema.safeParse(payload);
      if (!req.success) {
        st.badActions++;
        return { error: { code: ERROR_CODES.BAD_REQUEST, message: `malformed forwarded action: ${req.error.issues[0]?.message ?? 'invalid'}` } };
      }
      return alarms.act(req.data);
    }),
    d.leadership.onChange(() => void queueReload()),
  ];

  await queueReload();

  return {
    publishTick() {
      if (alarms.alarmRole !== 'leader') return;
      const out = alarms.takeOutbox();
      if (out.changes.length > 0 || out.resync) bus.publish(ALARMS_CHANNEL, out satisfies AlarmsMessage);
    },
    stats: () => ({ role: loading ? 'loading' : alarms.alarmRole === 'leader' ? 'leader' : 'follower', ...st, writeBehind: port?.stats() ?? null }),
    async close() {
      closed = true;
      for (const u of unsubs) u();
      await chain.catch(() => undefined);
      await port?.close();
    },
  };
}

/** A follower's engine port: loaded once from the database, written never (the leader writes). */
function mirrorPort(pre: { open: Alarm[]; ids: { alarmId: number; rev: number } }): AlarmStorePort {
  return { loadOpen: () => pre.open, maxIds: () => pre.ids, write: () => undefined, get: () => undefined };
}
