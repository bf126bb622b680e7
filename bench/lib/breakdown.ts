/**
 * Where one message's CPU goes (issue 15, point 1): a V8 CPU profile of a thread (node --cpu-prof) cut to the
 * window in which it worked on the load, each sample given to a stage by its call stack, the stages' time
 * divided by the messages taken in that window. The server's main thread is split into the MQTT client
 * (packet parsing and the socket), the message's own path (validation, and the rest with JSON.parse), the tick
 * (the domains, the frames out), the hand-off to the store and the rest; the store's writer thread is one stage.
 */
import type { CallFrame, CpuProfile } from '../profile';

export type { CallFrame, CpuProfile };

/** A stack, root first. */
export type Stack = readonly CallFrame[];

export interface StageTimes {
  /** From the first to the last sample that did the work (µs). */
  windowUs: number;
  /** Time on the CPU in that window (µs): every sample but idle. */
  busyUs: number;
  /** Busy time per stage (µs). */
  stages: Record<string, number>;
}

/**
 * Busy time per stage over the window from the first to the last sample whose stack `inWindow` accepts. Each
 * sample counts for the time to the next one (the profiler's interval, about 1 ms).
 */
export function stageTimes(p: CpuProfile, classify: (stack: Stack) => string, inWindow: (stack: Stack) => boolean): StageTimes {
  const byId = new Map<number, CpuProfile['nodes'][number]>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const stacks = new Map<number, CallFrame[]>();
  const stackOf = (id: number): CallFrame[] => {
    const known = stacks.get(id);
    if (known) return known;
    const up = parent.get(id);
    const s = [...(up === undefined ? [] : stackOf(up)), byId.get(id)!.callFrame];
    stacks.set(id, s);
    return s;
  };
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  // Sample k is taken at t[k]; it stands for the time until the next sample.
  const t: number[] = [];
  let now = p.startTime;
  for (let k = 0; k < samples.length; k++) t.push((now += deltas[k] ?? 0));
  let first = -1;
  let last = -1;
  for (let k = 0; k < samples.length; k++) {
    if (!inWindow(stackOf(samples[k]!))) continue;
    if (first < 0) first = k;
    last = k;
  }
  const out: StageTimes = { windowUs: 0, busyUs: 0, stages: {} };
  if (first < 0) return out;
  out.windowUs = (t[last + 1] ?? p.endTime) - t[first]!;
  for (let k = first; k <= last; k++) {
    const stack = stackOf(samples[k]!);
    const leaf = stack[stack.length - 1]!;
    if (leaf.functionName === '(idle)') continue;
    const us = (t[k + 1] ?? p.endTime) - t[k]!;
    const stage = classify(stack);
    out.busyUs += us;
    out.stages[stage] = (out.stages[stage] ?? 0) + us;
  }
  return out;
}

/** The server's main-thread stages, in the order a message meets them. */
export const SERVER_STAGES = {
  mqtt: 'MQTT client: socket reads, packet parsing',
  message: 'message: JSON.parse, validation, state update',
  validate: 'message: validation (topic, schema, registry, time window)',
  tick: 'tick: domains and alarms',
  frames: 'tick: frames out (Socket.IO)',
  handoff: 'readings to the store thread',
  gc: 'garbage collection',
  http: 'HTTP (the bench’s health polls)',
  other: 'other (timers, Node internals)',
} as const;
export type ServerStage = keyof typeof SERVER_STAGES;

const own = (f: CallFrame, file: RegExp) => file.test(f.url);
const PIPELINE = /\/server\/pipeline\.ts$/;
const APP = /\/server\/app\.ts$/;
const VALIDATION = /\/server\/ingest\/fastPath\.ts$|\/shared\/mqtt\.ts$|\/node_modules\/zod\//;
const FRAMES = /\/server\/realtime\/|\/node_modules\/(socket\.io|socket\.io-adapter|socket\.io-parser|engine\.io|engine\.io-parser|ws)\//;
const HANDOFF = /\/server\/store\/readings\/(writer|sqliteThreaded)\.ts$/;
const STORE = /\/server\/store\//;
const MQTT = /\/node_modules\/(mqtt|mqtt-packet|bl|readable-stream|process-nextick-args)\//;
const HTTP = /\/node_modules\/(express|router|body-parser|helmet|express-session|express-rate-limit|send|serve-static|finalhandler)\/|\/server\/http\//;

/**
 * A main-thread sample's stage: a message's path first, then the hand-off to the store (in the tick, or the
 * writer's pump after it), the tick, the MQTT client, and the rest. JSON.parse is a builtin: the profiler
 * counts it in its caller (the ingest's `handle`), so it stays in `message` (the part times it apart). A
 * socket read with no JavaScript above it is the MQTT client's: during the load no other socket is busy.
 */
export function serverStage(stack: Stack): ServerStage {
  const leaf = stack[stack.length - 1]!;
  if (leaf.functionName === '(garbage collector)') return 'gc';
  const receive = stack.findIndex((f) => f.functionName === 'receive' && own(f, PIPELINE));
  if (receive >= 0) return stack.slice(receive + 1).some((f) => own(f, VALIDATION)) ? 'validate' : 'message';
  if (stack.some((f) => own(f, HANDOFF))) return 'handoff';
  // The app's tick is an arrow function (no name in the profile): the pipeline's tick, then the hub's frames.
  if (stack.some((f) => own(f, APP)) && stack.some((f) => own(f, FRAMES))) return 'frames';
  if (stack.some((f) => (f.functionName === 'tick' && own(f, PIPELINE)) || own(f, STORE))) return 'tick';
  if (stack.some((f) => own(f, MQTT)) || leaf.functionName === 'onStreamRead') return 'mqtt';
  if (stack.some((f) => own(f, HTTP))) return 'http';
  return 'other';
}

/** The store's writer thread, by the frame that was running (SQLite's native work counts in its JavaScript caller). */
export const WRITER_STAGES = {
  raw: 'raw rows: inserts',
  rollups: 'minute and hour rollups',
  commit: 'transaction commit',
  checks: 'checks and ids',
  gc: 'garbage collection',
  other: 'other (messages from the main thread, Node internals)',
} as const;
export type WriterStage = keyof typeof WRITER_STAGES;

const ENGINE = /\/server\/store\/readings\/sqliteEngine\.ts$/;

export function writerStage(stack: Stack): WriterStage {
  const leaf = stack[stack.length - 1]!;
  if (leaf.functionName === '(garbage collector)') return 'gc';
  if (leaf.functionName === 'writeBatch' && own(leaf, ENGINE)) return 'raw';
  const inBatch = stack.some((f) => f.functionName === 'writeBatch' && own(f, ENGINE));
  // The rollups: accumulated in rollup.ts, upserted by an arrow function of writeBatch's.
  if (inBatch && (own(leaf, /\/server\/store\/readings\/rollup\.ts$/) || (leaf.functionName === '' && own(leaf, ENGINE)))) return 'rollups';
  if (inBatch && /^(sensorOf|metricOf)$/.test(leaf.functionName)) return 'checks';
  if (leaf.functionName === 'sqliteTransaction') return 'commit';
  if (own(leaf, /\/server\/store\/readings\/port\.ts$/) || stack.some((f) => f.functionName === 'readingProblem')) return 'checks';
  return inBatch ? 'raw' : 'other';
}

/** The main thread's window: from the first message handled to the last. */
export const handlesMessages = (stack: Stack): boolean => stack.some((f) => f.functionName === 'receive' && own(f, PIPELINE));

/** The writer thread's window: from its first write to its last. */
export const writesReadings = (stack: Stack): boolean => stack.some((f) => own(f, STORE));

/**
 * JSON.parse of payloads as the ingest does it (Buffer → string → object), µs a message: the fastest of
 * `passes` passes over them (the profile cannot split it from its caller).
 */
export function timeJsonParse(payloads: readonly Buffer[], passes = 5): number {
  let best = Infinity;
  let keep = 0;
  for (let k = 0; k < passes; k++) {
    const t0 = performance.now();
    for (const p of payloads) keep += (JSON.parse(p.toString('utf8')) as { ts?: number }).ts === undefined ? 0 : 1;
    best = Math.min(best, ((performance.now() - t0) * 1000) / payloads.length);
  }
  // The count keeps the parses from being optimised away.
  return keep >= 0 ? best : NaN;
}

/** Which thread a profile is: the server's main thread, the store's writer thread, or neither (tsx's loader). */
export function threadOf(p: CpuProfile): 'main' | 'writer' | 'other' {
  const urls = new Set(p.nodes.map((n) => n.callFrame.url));
  const has = (re: RegExp) => [...urls].some((u) => re.test(u));
  if (has(APP)) return 'main';
  if (has(/\/server\/store\/readings\/sqliteWriterThread\.ts$/)) return 'writer';
  return 'other';
}
