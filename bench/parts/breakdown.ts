/**
 * Part: what one message costs, and where (issue 15, point 1). The same load at a fixed rate (below both
 * ceilings, so that nothing backs up) goes first to the bare subscriber and then to the real server, through
 * the same broker at the same QoS. For each, the CPU of the publisher, the broker and the consumer over the
 * window, per message taken; the server's main thread and its store's writer thread are profiled (node
 * --cpu-prof) and their time split into stages (bench/lib/breakdown.ts).
 *
 * From the costs: what each of the server's threads could take alone on a core, and what the whole chain
 * (publisher, broker, consumer: all on this machine) can take on its cores, for the server and for the bare
 * subscriber. Their quotient is the ingest / ceiling ratio the CPU alone allows, which the ingest part's
 * search then measures.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchOptions } from '../options';
import { RESULTS_DIR, figure, type Figure, type PartOutcome } from '../report';
import { Publisher, drain, sleep, startBroker, startServer, startSubscriber, type Broker, type BrokerKind, type Consumer, type Qos } from '../lib/rig';
import { cpuMeter, loadAvg1, threadSeconds, threadTicks } from '../lib/system';
import { SERVER_STAGES, WRITER_STAGES, writerStage, type WriterStage, handlesMessages, serverStage, stageTimes, threadOf, timeJsonParse, writesReadings, type ServerStage, type StageTimes } from '../lib/breakdown';
import { TS_PLACEHOLDER } from '../mqttWire';
import { readProfile } from '../profile';
import { buildMix, realDevices } from '../payloads';

/** A consumer's window: CPU per message of each process (µs), and the messages taken. */
interface Window {
  taken: number;
  seconds: number;
  achievedRate: number;
  usPerMsg: { publisher: number; broker: number; consumer: number };
  /**
   * The consumer's threads from /proc, µs a message: its main thread, its busiest other thread (the server's
   * store writer), and the rest (V8's GC helpers, libuv, tsx's loader).
   */
  threads: { main: number; busiestOther: number; others: number; each: number[] };
}

/** Publishes `rate` for `seconds` to a consumer that is up, and measures the CPU per message taken. */
async function measure(pub: Publisher, broker: Broker, consumer: Consumer, rate: number, seconds: number): Promise<Window> {
  const c0 = await consumer.count();
  const sent0 = pub.sent;
  const t0 = performance.now();
  const threads0 = threadTicks(consumer.pid);
  const cpu = cpuMeter({ publisher: pub.child.pid, broker: broker.pid, consumer: consumer.pid });
  const done = await pub.run(rate, seconds * 1000);
  await drain(consumer, c0 + (pub.sent - sent0), 15_000);
  const pct = cpu.stop();
  const threads = threadSeconds(consumer.pid, threads0);
  const elapsed = (performance.now() - t0) / 1000;
  const taken = (await consumer.count()) - c0;
  const us = (p: number) => (taken > 0 ? ((p / 100) * elapsed * 1e6) / taken : NaN);
  const main = threads.find((t) => t.main);
  const rest = threads.filter((t) => !t.main);
  return {
    taken,
    seconds: elapsed,
    achievedRate: done.achievedRate,
    usPerMsg: { publisher: us(pct.publisher!), broker: us(pct.broker!), consumer: us(pct.consumer!) },
    threads: {
      main: main ? (main.seconds * 1e6) / taken : NaN,
      busiestOther: rest[0] ? (rest[0].seconds * 1e6) / taken : NaN,
      others: (rest.slice(1).reduce((a, t) => a + t.seconds, 0) * 1e6) / taken,
      // For the JSON: every thread that worked, busiest first (µs a message).
      each: threads.filter((t) => t.seconds > 0).map((t) => Math.round((t.seconds * 1e7) / taken) / 10),
    },
  };
}

interface ServerRun extends Window {
  lost: number;
  /** µs per message per main-thread stage, and the writer thread's. */
  stages: Partial<Record<ServerStage, number>>;
  writer: number;
  writerStages: Partial<Record<WriterStage, number>>;
  /** The profiles' busy share of their windows, per thread (a check against the process's CPU). */
  busy: { main: number; writer: number };
  /** The profiles' busy time per message (µs), before scaling to /proc's CPU time: more when threads wait for a core. */
  profiled: { main: number; writer: number };
  /** The highest of the server's 5 s event-loop delay p99s during the load (ms). */
  loopP99Ms: number;
}

/** `keepIn`: the profiles stay in that folder (--profile); otherwise they go to a temporary one, removed after. */
async function serverRun(kind: BrokerKind, qos: Qos, rate: number, seconds: number, label: string, keepIn?: string): Promise<ServerRun> {
  const dir = keepIn ? path.join(keepIn, label) : mkdtempSync(path.join(tmpdir(), 'ioc-bench-breakdown-'));
  const broker = await startBroker(kind);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let pub: Publisher | undefined;
  try {
    server = await startServer(broker.url, label, { profileDir: dir });
    pub = await Publisher.start(broker.url, qos);
    // The start's own work (the registry, the store's warm start) is over before the load.
    await sleep(3000);
    // The event loop's delay, per 5 s window of the server's (the first ones that end inside the load are skipped).
    const loopP99: number[] = [];
    let polling = true;
    const s = server;
    const poll = (async () => {
      await sleep(6000);
      while (polling) {
        const h = (await s.health().catch(() => null)) as { eventLoop?: { p99Ms: number } | null } | null;
        if (typeof h?.eventLoop?.p99Ms === 'number') loopP99.push(h.eventLoop.p99Ms);
        await sleep(2500);
      }
    })();
    const w = await measure(pub, broker, server, rate, seconds);
    polling = false;
    await poll;
    const lost = await server.lost!();
    await pub.stop();
    pub = undefined;
    // The profiles are written as the threads exit.
    await server.stop();
    server = undefined;
    let stages: Partial<Record<ServerStage, number>> = {};
    let writer = NaN;
    let writerStages: Partial<Record<WriterStage, number>> = {};
    const busy = { main: NaN, writer: NaN };
    const profiled = { main: NaN, writer: NaN };
    // The profiler samples on the clock, also while its thread waits for a core: each stage gets its share of
    // the profile's busy time, of the CPU time /proc gave the thread.
    const scaled = (t: StageTimes, cpuUs: number) => Object.fromEntries(Object.entries(t.stages).map(([stage, us]) => [stage, (us / t.busyUs) * cpuUs]));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
      const p = readProfile(path.join(dir, file));
      const thread = threadOf(p);
      if (thread === 'other') continue;
      const t = thread === 'main' ? stageTimes(p, serverStage, handlesMessages) : stageTimes(p, writerStage, writesReadings);
      busy[thread] = t.busyUs / t.windowUs;
      profiled[thread] = t.busyUs / w.taken;
      if (thread === 'main') {
        stages = scaled(t, w.threads.main);
      } else {
        writer = w.threads.busiestOther;
        writerStages = scaled(t, writer);
      }
    }
    return { ...w, lost, stages, writer, writerStages, busy, profiled, loopP99Ms: loopP99.length > 0 ? Math.max(...loopP99) : NaN };
  } finally {
    await pub?.stop();
    await server?.stop();
    await broker.child.stop();
    if (!keepIn) rmSync(dir, { recursive: true, force: true });
  }
}

async function subscriberRun(kind: BrokerKind, qos: Qos, rate: number, seconds: number): Promise<Window> {
  const broker = await startBroker(kind);
  let sub: Consumer | undefined;
  let pub: Publisher | undefined;
  try {
    sub = await startSubscriber(broker.url);
    pub = await Publisher.start(broker.url, qos);
    await sleep(1000);
    return await measure(pub, broker, sub, rate, seconds);
  } finally {
    await pub?.stop();
    await sub?.stop();
    await broker.child.stop();
  }
}


export async function runBreakdown(o: BenchOptions, log: (s: string) => void): Promise<PartOutcome> {
  const t0 = performance.now();
  const figures: Figure[] = [];
  const details: unknown[] = [];
  const cores = cpus().length;
  const rate = o.breakdownRate;
  const mix = buildMix(realDevices(), 1);
  const jsonUs = timeJsonParse(Array.from(mix.schedule, (k) => Buffer.from(mix.specs[k]!.payload.replace(TS_PLACEHOLDER, String(Date.now())))));
  log(`  JSON.parse of the load's payloads: ${jsonUs.toFixed(2)} µs a message (fastest of 5 passes over ${mix.schedule.length.toLocaleString('en-US')})`);
  const keepIn = o.profile ? path.join(RESULTS_DIR, `breakdown-profiles-${new Date().toISOString().replace(/:/g, '-')}`) : undefined;
  if (keepIn) log(`  profiles: ${keepIn}`);
  for (const kind of o.brokers) {
    for (const qos of o.qos) {
      const key = `${kind} QoS ${qos}`;
      const runs: { sub: Window; srv: ServerRun }[] = [];
      for (let run = 0; run < o.runs; run++) {
        log(`  ${key}, run ${run + 1}/${o.runs}: ${rate.toLocaleString('en-US')} msg/s for ${o.breakdownSec} s to the bare subscriber, then to the server (load ${loadAvg1()})`);
        const sub = await subscriberRun(kind, qos, rate, o.breakdownSec);
        const srv = await serverRun(kind, qos, rate, o.breakdownSec, `${kind}-qos${qos}-run${run + 1}`, keepIn);
        runs.push({ sub, srv });
        const main = srv.threads.main;
        log(
          `    subscriber ${sub.usPerMsg.consumer.toFixed(1)} µs/msg; server ${srv.usPerMsg.consumer.toFixed(1)} µs/msg (main ${main.toFixed(1)}, writer ${srv.writer.toFixed(1)}, other threads ${srv.threads.others.toFixed(1)} [${srv.threads.each.join(', ')}]; profiled main ${srv.profiled.main.toFixed(1)}, writer ${srv.profiled.writer.toFixed(1)}); ` +
            `broker ${sub.usPerMsg.broker.toFixed(1)} / ${srv.usPerMsg.broker.toFixed(1)}, publisher ${sub.usPerMsg.publisher.toFixed(1)} / ${srv.usPerMsg.publisher.toFixed(1)} µs/msg; ` +
            `taken ${sub.taken} / ${srv.taken} of ${Math.round(sub.achievedRate)} / ${Math.round(srv.achievedRate)} msg/s published; ${srv.lost} dropped by the store; loop p99 ${srv.loopP99Ms} ms`,
        );
        details.push({ broker: kind, qos, run, rate, subscriber: sub, server: srv });
      }
      const per = (f: (r: { sub: Window; srv: ServerRun }) => number) => runs.map(f);
      const add = (name: string, unit: string, values: number[], note?: string) => figures.push(figure('breakdown', `${key}: ${name}`, unit, values, note));
      add('publisher, CPU per message', 'µs', per((r) => r.srv.usPerMsg.publisher), 'in the server run');
      add('broker, CPU per message', 'µs', per((r) => r.srv.usPerMsg.broker), 'in the server run');
      add('bare subscriber, CPU per message', 'µs', per((r) => r.sub.usPerMsg.consumer));
      add('server process, CPU per message', 'µs', per((r) => r.srv.usPerMsg.consumer), 'both threads, from /proc');
      for (const stage of Object.keys(SERVER_STAGES) as ServerStage[]) {
        if (stage !== 'message') {
          add(`server main thread: ${SERVER_STAGES[stage]}`, 'µs', per((r) => r.srv.stages[stage] ?? 0), 'share of the main thread’s CPU in its profile');
          continue;
        }
        add('server main thread: message: JSON.parse', 'µs', per(() => jsonUs), 'timed apart on the load’s payloads (the profile counts it in its caller)');
        add('server main thread: message: state update (device table, stations, store buffer)', 'µs', per((r) => Math.max(0, (r.srv.stages.message ?? 0) - jsonUs)), 'share of the main thread’s CPU in its profile, less JSON.parse');
      }
      add('server event-loop delay p99', 'ms', per((r) => r.srv.loopP99Ms), 'the highest 5 s window during the load; target ≤ 50 ms at 80 % of the ceiling');
      add('server main thread, all stages', 'µs', per((r) => r.srv.threads.main), 'from /proc; the stages split it by the profile’s shares');
      add('server store writer thread', 'µs', per((r) => r.srv.writer), 'the process’s busiest thread after the main one, from /proc');
      add('server other threads', 'µs', per((r) => r.srv.threads.others), 'GC helpers, libuv, the loader');
      for (const stage of Object.keys(WRITER_STAGES) as WriterStage[]) {
        add(`server store writer thread: ${WRITER_STAGES[stage]}`, 'µs', per((r) => r.srv.writerStages[stage] ?? 0), 'by the frame that ran');
      }
      add('main thread alone on a core', 'msg/s', per((r) => 1e6 / r.srv.threads.main), 'what the main thread could take with a core to itself');
      add('writer thread alone on a core', 'msg/s', per((r) => 1e6 / r.srv.writer));
      const chain = (r: { sub: Window; srv: ServerRun }, consumer: number) => r.srv.usPerMsg.publisher + r.srv.usPerMsg.broker + consumer;
      add(`publisher + broker + server on ${cores} cores`, 'msg/s', per((r) => (cores * 1e6) / chain(r, r.srv.usPerMsg.consumer)), 'the CPU bound of this machine for the ingest');
      add(`publisher + broker + bare subscriber on ${cores} cores`, 'msg/s', per((r) => (cores * 1e6) / chain(r, r.sub.usPerMsg.consumer)), 'the same for the ceiling');
      add('ingest / ceiling the CPU allows', 'ratio', per((r) => chain(r, r.sub.usPerMsg.consumer) / chain(r, r.srv.usPerMsg.consumer)), 'target of the ingest part ≥ 80 %');
    }
  }
  return { part: 'breakdown', status: 'ok', seconds: (performance.now() - t0) / 1000, figures, details };
}
