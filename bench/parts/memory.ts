/**
 * Part 6: memory. The server at a fixed load (20,000 msg/s) with a wall and a phone attached,
 * its RSS sampled every second from /proc: the value after a warm-up, at the end, and the
 * least-squares slope in between (MB/min). What the server accepted says whether it kept up:
 * a server that falls behind grows because of the backlog, not because of a leak.
 */
import type { BenchOptions } from '../options';
import { figure, type PartOutcome } from '../report';
import { slope, summarize } from '../stats';
import type { BenchChild, ChildMessage } from '../lib/procs';
import { sleep } from '../lib/rig';
import { rssBytes } from '../lib/system';
import { brokerNote, startClients, startLive, type LiveRig } from './live';

const MB = 1024 * 1024;

export async function runMemory(o: BenchOptions, log: (s: string) => void): Promise<PartOutcome> {
  const t0 = performance.now();
  const warmupSec = Math.min(30, Math.round(o.memorySec / 6));
  const start: number[] = [];
  const end: number[] = [];
  const slopes: number[] = [];
  const accepted: number[] = [];
  const brokerSlopes: number[] = [];
  const heapSlopes: number[] = [];
  const details: unknown[] = [];
  for (let run = 0; run < o.runs; run++) {
    let rig: LiveRig | undefined;
    const clients: BenchChild[] = [];
    try {
      rig = await startLive(o, `memory-run${run + 1}`);
      clients.push(await startClients(rig.server, 'wall', 1));
      clients.push(await startClients(rig.server, 'mobile', 1));
      const done = rig.pub.run(o.memoryRate, o.memorySec * 1000 + 500);
      const s0 = performance.now();
      const samples: { t: number; rss: number; brokerRss: number; accepted: number }[] = [];
      const heap: { t: number; heapUsed: number; external: number }[] = [];
      for (let k = 1; k <= o.memorySec; k++) {
        await sleep(s0 + k * 1000 - performance.now());
        let acc = NaN;
        try {
          acc = await rig.server.count();
        } catch {
          // Too busy to answer: the RSS sample still counts.
        }
        samples.push({ t: k, rss: rssBytes(rig.server.pid), brokerRss: rig.broker ? rssBytes(rig.broker.pid) : NaN, accepted: acc });
        if (k % 5 === 0) {
          const m = rig.server.child.waitFor<ChildMessage & { heapUsed: number; external: number }>('mem', 5000);
          rig.server.child.send({ cmd: 'mem' });
          const mem = await m.catch(() => undefined);
          if (mem) heap.push({ t: k, heapUsed: mem.heapUsed, external: mem.external });
        }
        if (k % 60 === 0) log(`    ${k} s: RSS ${(samples.at(-1)!.rss / MB).toFixed(0)} MB, JS heap ${((heap.at(-1)?.heapUsed ?? NaN) / MB).toFixed(0)} MB, external ${((heap.at(-1)?.external ?? NaN) / MB).toFixed(0)} MB`);
      }
      const pubDone = await done;
      const w = samples.filter((s) => s.t >= warmupSec);
      const head = summarize(w.slice(0, 3).map((s) => s.rss)).median;
      const tail = summarize(w.slice(-3).map((s) => s.rss)).median;
      const mbPerMin = (slope(w.map((s) => s.t), w.map((s) => s.rss)) / MB) * 60;
      const withAcc = w.filter((s) => Number.isFinite(s.accepted));
      const accRate = withAcc.length >= 2 ? (withAcc.at(-1)!.accepted - withAcc[0]!.accepted) / (withAcc.at(-1)!.t - withAcc[0]!.t) : NaN;
      start.push(head / MB);
      end.push(tail / MB);
      slopes.push(mbPerMin);
      accepted.push(accRate);
      if (rig.broker) brokerSlopes.push((slope(w.map((s) => s.t), w.map((s) => s.brokerRss)) / MB) * 60);
      // The used heap is a sawtooth between collections; its floor (the least in each 30 s) is
      // what a leak raises.
      const floors = new Map<number, number>();
      for (const h of heap) {
        if (h.t < warmupSec) continue;
        const b = Math.floor(h.t / 30) * 30 + 15;
        floors.set(b, Math.min(floors.get(b) ?? Infinity, h.heapUsed));
      }
      heapSlopes.push((slope([...floors.keys()], [...floors.values()]) / MB) * 60);
      log(`  run ${run + 1}/${o.runs}: RSS ${(head / MB).toFixed(0)} → ${(tail / MB).toFixed(0)} MB, ${mbPerMin.toFixed(1)} MB/min; published ${Math.round(pubDone.achievedRate)}/s, accepted ${Math.round(accRate)}/s`);
      details.push({ run, warmupSec, achievedRate: pubDone.achievedRate, acceptedRate: accRate, heap: heap.map((h) => [h.t, Math.round(h.heapUsed / 1024), Math.round(h.external / 1024)]), samples: samples.map((s) => [s.t, Math.round(s.rss / 1024), Math.round(s.brokerRss / 1024) || null, s.accepted]) });
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await rig?.stop();
    }
  }
  const note = `${o.memoryRate} msg/s for ${o.memorySec} s, ${brokerNote(o)}, 1 wall + 1 phone; start = after ${warmupSec} s`;
  const figures = [
    figure('memory', 'server RSS at start', 'MB', start, note),
    figure('memory', 'server RSS at end', 'MB', end),
    figure('memory', 'server RSS slope', 'MB/min', slopes, 'target: flat'),
    figure('memory', 'server JS heap floor slope', 'MB/min', heapSlopes, 'least used heap per 30 s (after collections), sampled every 5 s'),
    figure('memory', 'server accepted', 'msg/s', accepted),
  ];
  if (brokerSlopes.length > 0) figures.push(figure('memory', 'broker RSS slope', 'MB/min', brokerSlopes));
  return { part: 'memory', status: 'ok', seconds: (performance.now() - t0) / 1000, figures, details };
}
