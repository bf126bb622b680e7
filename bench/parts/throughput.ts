/**
 * Parts 1 and 2: the ceiling (bare mqtt.js subscriber) and the ingest (the real server) through
 * the same broker, at the same QoS, with the same load, found the same way: the highest rate
 * the consumer sustains over a window (stats.judgeSustained). Ceiling and ingest alternate run
 * by run, so each ingest figure has a ceiling measured minutes apart to be divided by.
 *
 * Ingest uses the server with an external broker (MQTT_URL), in its own process, so that the
 * broker is the same program in the same kind of process as in the ceiling; the default
 * one-machine setup (embedded aedes inside the server, the ingest on its bus) is measured too,
 * beside the aedes rows, and is what latency and memory run on.
 */
import type { BenchOptions } from '../options';
import type { PublisherShortfall } from '../publisher';
import { figure, type PartOutcome } from '../report';
import { DEFAULT_SUSTAIN, nextRate, roundRate, type RateSearch } from '../stats';
import { Publisher, SkipError, loadStep, startBroker, startServer, startSubscriber, type Broker, type BrokerKind, type Consumer, type Qos, type StepResult } from '../lib/rig';
import { cpuMeter, loadAvg1 } from '../lib/system';

/** 'embedded': the server with its own aedes in-process, the publisher connected to it (the default setup). */
type ConsumerKind = 'ceiling' | 'ingest' | 'embedded';

interface Rig {
  broker: Broker;
  consumer: Consumer;
  pub: Publisher;
}

async function up(broker: BrokerKind, qos: Qos, kind: ConsumerKind, label: string): Promise<Rig> {
  if (kind === 'embedded') {
    const server = await startServer(undefined, label);
    try {
      const pub = await Publisher.start(server.mqttUrl, qos, { credentials: server.gateway });
      // The broker is the server process itself.
      return { broker: { kind: 'aedes', url: server.mqttUrl, pid: server.pid, child: server.child }, consumer: server, pub };
    } catch (err) {
      await server.stop();
      throw err;
    }
  }
  const b = await startBroker(broker);
  try {
    const [consumer, pub] = await Promise.all([kind === 'ceiling' ? startSubscriber(b.url) : startServer(b.url, label), Publisher.start(b.url, qos)]);
    return { broker: b, consumer, pub };
  } catch (err) {
    await b.child.stop();
    throw err;
  }
}

async function down(rig: Rig | undefined): Promise<void> {
  if (!rig) return;
  await Promise.all([rig.pub.stop(), rig.consumer.stop(), rig.broker.child === rig.consumer.child ? undefined : rig.broker.child.stop()]);
}

export interface SearchResult {
  rate: number;
  confirmed: boolean;
  probeRate: number;
  publisherLimited: boolean;
  /** The search stopped below a rate the publisher itself could not reach: the consumer may do more. */
  publisherBound: boolean;
  /** Every step passed: the search ran out of steps before finding the limit. */
  open: boolean;
  /** CPU of broker, consumer and publisher (percent of one core) during the best passing step. */
  cpuAtBest: Record<string, number> | null;
  steps: { target: number; passed: boolean; achieved: number; consumed: number; reasons: string[]; cpu: Record<string, number>; loopP99Ms: number | null }[];
}

function stepRecord(r: StepResult, cpu: Record<string, number>, loopP99Ms: number | null) {
  return {
    target: r.target,
    passed: r.verdict.sustained,
    achieved: Math.round(r.verdict.achievedRate),
    consumed: Math.round(r.verdict.consumedRate),
    reasons: r.verdict.reasons,
    cpu,
    loopP99Ms,
    publisher: r.publisher.short,
  };
}

/**
 * Why a step failed, in the terms of issue 15: a stall (the server below 90 % of a core while it fell behind)
 * or out of CPU, its event-loop delay, a publisher that could not send the rate.
 */
export function failureShape(cpu: Record<string, number>, loopP99Ms: number | null, publisherLimited: boolean, short?: PublisherShortfall): string {
  const parts: string[] = [];
  const server = cpu.server ?? cpu.subscriber;
  if (server !== undefined) parts.push(server >= 90 ? `consumer out of CPU (${server} %)` : `stall: consumer at ${server} % CPU`);
  // A cluster's instances, each by its name.
  for (const [name, v] of Object.entries(cpu)) if (name.startsWith('ioc-')) parts.push(`${name} ${v} %`);
  if (loopP99Ms !== null) parts.push(`event-loop p99 ${loopP99Ms} ms`);
  if (cpu.broker !== undefined) parts.push(`broker ${cpu.broker} %`);
  if (publisherLimited) parts.push(short ? `publisher short of the rate (${shortfallText(short)})` : 'publisher short of the rate');
  return parts.join(', ');
}

/** What held the publisher back, from its own account (bench/publisher.ts). */
export function shortfallText(s: PublisherShortfall): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const parts = [`waited ${sec(s.socketFullMs)} on a full socket (the broker not reading)`];
  if (s.windowFullMs > 0) parts.push(`${sec(s.windowFullMs)} on the QoS 1 window (the broker not acknowledging)`);
  parts.push(`its own timer late by up to ${s.maxTimerGapMs} ms (${s.lateTimers} times over 50 ms)`, `${s.skipped} messages skipped 200 ms behind`);
  return parts.join(', ');
}

/** What a rate search drives: a publisher, what consumes (its count), and the processes whose CPU is metered. */
export interface SearchRig {
  pub: Publisher;
  consumer: Consumer & { health?: () => Promise<{ eventLoop?: { p99Ms: number } | null }> };
  /** Name → pid (or a group of pids) of every process whose CPU a step reports (broker, consumer(s), publisher). */
  pids: Record<string, number | readonly number[]>;
}

export interface SearchSpec {
  up(): Promise<SearchRig>;
  down(rig: SearchRig | undefined): Promise<void>;
  /** Confirm the rate found over `confirmSec` (the ingest; the ceiling is the best passing step). */
  confirm: boolean;
}

/**
 * The highest sustained rate of one consumer on one broker at one QoS. The first run seeds its
 * search with an as-fast-as-it-goes probe; later runs start from the rate an earlier run found
 * (`seed`), with fewer steps. Only the ingest is confirmed over the long window: the issue asks
 * for the rate the server sustains for 60 s; the ceiling is the best rate a step passed.
 */
export function searchMax(o: BenchOptions, broker: BrokerKind, qos: Qos, kind: ConsumerKind, run: number, log: (s: string) => void, seed = 0): Promise<SearchResult> {
  const label = `${kind === 'embedded' ? 'embedded' : `ingest-${broker}`}-qos${qos}-run${run + 1}`;
  const toSearch = (rig: Rig): SearchRig & { rig: Rig } => ({
    rig,
    pub: rig.pub,
    consumer: rig.consumer,
    pids: {
      ...(kind === 'embedded' ? { server: rig.consumer.pid } : { broker: rig.broker.pid, [kind === 'ceiling' ? 'subscriber' : 'server']: rig.consumer.pid }),
      publisher: rig.pub.child.pid,
    },
  });
  return searchRate(
    o,
    {
      up: async () => toSearch(await up(broker, qos, kind, label)),
      down: (r) => down((r as (SearchRig & { rig: Rig }) | undefined)?.rig),
      confirm: kind !== 'ceiling',
    },
    log,
    seed,
  );
}

/** The search itself, on any rig (the cluster part drives two instances through it). */
export async function searchRate(o: BenchOptions, spec: SearchSpec, log: (s: string) => void, seed = 0): Promise<SearchResult> {
  let rig: SearchRig | undefined;
  const out: SearchResult = { rate: 0, confirmed: false, probeRate: 0, publisherLimited: false, publisherBound: false, open: false, cpuAtBest: null, steps: [] };
  let hiByPublisher = false;
  const measured = async (rate: number, seconds: number) => {
    const meter = cpuMeter(rig!.pids);
    const r = await loadStep(rig!.pub, rig!.consumer, rate, seconds, { ...DEFAULT_SUSTAIN, warmupSec: Math.min(DEFAULT_SUSTAIN.warmupSec, seconds / 4) });
    const cpu = meter.stop();
    for (const k of Object.keys(cpu)) cpu[k] = Math.round(cpu[k]!);
    // The server's event-loop delay over its last 5 s window (the ceiling's bare subscriber has none).
    const consumer = rig!.consumer;
    const loopP99Ms = consumer.health ? await consumer.health().then((h) => h.eventLoop?.p99Ms ?? null, () => null) : null;
    return { r, cpu, loopP99Ms };
  };
  const restart = async () => {
    await spec.down(rig);
    rig = undefined;
    rig = await spec.up();
  };
  try {
    rig = await spec.up();
    let start: number;
    if (seed > 0) {
      start = seed;
      log(`    seeded by an earlier run: ${seed} msg/s`);
    } else {
      // As fast as it goes, to seed the search near the answer.
      const probe = await measured(0, o.probeSec);
      out.probeRate = Math.round(probe.r.verdict.consumedRate) || 0;
      log(`    probe: ${out.probeRate} msg/s taken (publisher ${Math.round(probe.r.verdict.achievedRate)})`);
      await restart();
      // A probe that saw nothing (the consumer too busy to even report) says nothing: start mid-range.
      start = out.probeRate > 0 ? 0.8 * out.probeRate : 10_000;
    }
    let s: RateSearch = { lo: 0, hi: null, next: roundRate(Math.max(1000, start)) };
    const maxSteps = seed > 0 ? Math.max(1, o.maxSteps - 2) : o.maxSteps;
    // Until a step fails: while every step passes the search goes on past maxSteps (up to twice as many), so the
    // ceiling found is a limit, not the last rate tried.
    for (let step = 0; (step < maxSteps || (s.hi === null && step < 2 * maxSteps)) && s.next !== null; step++) {
      const rate = s.next;
      const { r, cpu, loopP99Ms } = await measured(rate, o.stepSec);
      const passed = r.verdict.sustained && r.drained;
      out.steps.push(stepRecord(r, cpu, loopP99Ms));
      log(
        `    ${rate} msg/s: ${passed ? 'sustained' : `no (${r.verdict.reasons.join('; ') || 'did not drain'}; ${failureShape(cpu, loopP99Ms, r.verdict.publisherLimited, r.publisher.short)})`}; cpu % ${JSON.stringify(cpu)}` +
          (loopP99Ms !== null ? `; loop p99 ${loopP99Ms} ms` : ''),
      );
      if (passed && rate >= out.rate) out.cpuAtBest = cpu;
      if (r.verdict.publisherLimited) out.publisherLimited = true;
      if (!passed && (s.hi === null || rate < s.hi)) hiByPublisher = r.verdict.publisherLimited && r.verdict.consumedRate >= 0.97 * r.verdict.achievedRate;
      if (!passed) await restart();
      // Grow fast while every step passes: the probe may have been taken in a noisy moment. From a
      // seed, move by ±10 %: the answer is near.
      s = seed > 0 ? nextRate(s, rate, passed, 1.1, 0.9) : nextRate(s, rate, passed, 1.4);
    }
    out.rate = s.lo;
    out.publisherBound = hiByPublisher;
    out.open = s.hi === null && s.lo > 0;
    if (o.confirmSec > 0 && s.lo > 0 && spec.confirm) {
      let candidate = s.lo;
      for (let k = 0; k < 5 && candidate >= 500; k++) {
        const { r, cpu, loopP99Ms } = await measured(candidate, o.confirmSec);
        const passed = r.verdict.sustained && r.drained;
        out.steps.push(stepRecord(r, cpu, loopP99Ms));
        log(`    confirm ${candidate} msg/s for ${o.confirmSec} s: ${passed ? 'sustained' : `no (${r.verdict.reasons.join('; ')}; ${failureShape(cpu, loopP99Ms, r.verdict.publisherLimited, r.publisher.short)})`}`);
        if (passed) {
          out.rate = candidate;
          out.confirmed = true;
          out.cpuAtBest = cpu;
          break;
        }
        await restart();
        candidate = roundRate(candidate * 0.85);
        out.rate = 0;
      }
    }
    return out;
  } finally {
    await spec.down(rig);
  }
}

/** The rates one consumer reached over the runs, their ratios to the ceiling, and what qualifies them. */
interface Series {
  rates: number[];
  ratio: number[];
  bound: boolean;
  open: boolean;
}

function series(): Series {
  return { rates: [], ratio: [], bound: false, open: false };
}

/** Median of the rates found so far (0 when none): the seed of the next run's search. */
function median(xs: readonly number[]): number {
  const ok = xs.filter((x) => x > 0).sort((a, b) => a - b);
  return ok.length === 0 ? 0 : ok[Math.floor(ok.length / 2)]!;
}

export async function runThroughput(o: BenchOptions, log: (s: string) => void): Promise<PartOutcome[]> {
  const wantCeiling = o.parts.includes('ceiling');
  const wantIngest = o.parts.includes('ingest');
  const t0 = performance.now();
  const ceiling: PartOutcome = { part: 'ceiling', status: 'ok', seconds: 0, figures: [], details: [] };
  const ingest: PartOutcome = { part: 'ingest', status: 'ok', seconds: 0, figures: [], details: [] };
  const skipped: string[] = [];
  const failed: string[] = [];
  const windowNote = (kind: ConsumerKind) => (o.confirmSec > 0 && kind !== 'ceiling' ? `${o.confirmSec} s confirmed` : `best passing ${o.stepSec} s step`);

  for (const broker of o.brokers) {
    for (const qos of o.qos) {
      const label = `${broker} QoS ${qos}`;
      // aedes only: the server with its own embedded aedes, against the same ceiling.
      const wantEmbedded = wantIngest && broker === 'aedes';
      const c = series();
      const g = series();
      const e = series();
      /** One search of `kind`, its rate added to `into`, and its ratio to this run's ceiling. */
      const searchInto = async (kind: ConsumerKind, into: Series, heading: string, run: number, ceilingRate: number | undefined) => {
        log(`  ${heading}, run ${run + 1}/${o.runs} (load ${loadAvg1()})`);
        const r = await searchMax(o, broker, qos, kind, run, log, median(into.rates));
        into.rates.push(r.rate);
        into.bound ||= r.publisherBound;
        into.open ||= r.open;
        if (ceilingRate !== undefined && ceilingRate > 0) into.ratio.push(r.rate / ceilingRate);
        (kind === 'ceiling' ? ceiling : ingest).details.push({ broker: kind === 'embedded' ? 'embedded' : broker, qos, run, ...r });
        return r;
      };
      try {
        for (let run = 0; run < o.runs; run++) {
          const cr = wantCeiling ? await searchInto('ceiling', c, `ceiling ${label}`, run, undefined) : undefined;
          if (wantIngest) await searchInto('ingest', g, `ingest ${label}`, run, cr?.rate);
          if (wantEmbedded) await searchInto('embedded', e, `ingest, server's embedded aedes, QoS ${qos}`, run, cr?.rate);
        }
      } catch (err) {
        if (err instanceof SkipError) {
          skipped.push(`${label}: ${err.message}`);
          log(`  ${label} skipped: ${err.message}`);
          continue;
        }
        failed.push(`${label}: ${(err as Error).message}`);
        log(`  ${label} FAILED: ${(err as Error).message}`);
        continue;
      }
      const note = (kind: ConsumerKind, x: Series) =>
        [windowNote(kind), x.bound ? 'publisher-bound in a run (the consumer took all it got)' : '', x.open ? `no failing step within ${o.maxSteps} steps in a run (the limit is higher)` : '']
          .filter(Boolean)
          .join('; ');
      if (wantCeiling) ceiling.figures.push(figure('ceiling', `bare subscriber, ${label}`, 'msg/s', c.rates, note('ceiling', c)));
      if (wantIngest) {
        ingest.figures.push(figure('ingest', `server (external broker), ${label}`, 'msg/s', g.rates, note('ingest', g)));
        if (g.ratio.length > 0) ingest.figures.push(figure('ingest', `ingest / ceiling, ${label}`, 'ratio', g.ratio, 'target ≥ 80 %'));
      }
      if (wantEmbedded) {
        ingest.figures.push(figure('ingest', `server with its embedded aedes (npm start), QoS ${qos}`, 'msg/s', e.rates, note('embedded', e)));
        if (e.ratio.length > 0) ingest.figures.push(figure('ingest', `embedded ingest / aedes ceiling, QoS ${qos}`, 'ratio', e.ratio, 'broker and ingest share one process'));
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const out: PartOutcome[] = [];
  for (const [want, part] of [
    [wantCeiling, ceiling],
    [wantIngest, ingest],
  ] as const) {
    if (!want) continue;
    part.seconds = seconds;
    if (failed.length > 0) {
      part.status = 'failed';
      part.reason = failed.join('; ');
    } else if (part.figures.length === 0 && skipped.length > 0) {
      part.status = 'skipped';
    }
    if (skipped.length > 0) part.reason = [part.reason, `skipped ${skipped.join('; ')}`].filter(Boolean).join('; ');
    out.push(part);
  }
  return out;
}
