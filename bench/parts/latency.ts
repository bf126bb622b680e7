/**
 * Part 3: publish → socket client latency at a fixed load. The publisher stamps `ts` with the
 * send time and remembers the telemetry ts of probe devices; one wall client records when each
 * probe device's patch arrives with its `ts`. A reading counts as delivered by the first delta
 * that holds that device at that ts or newer (a newer reading of the same tick supersedes it:
 * coalescing), so the figure includes the wait for the tick. Readings never delivered within
 * the grace period count as infinitely late.
 */
import type { BenchOptions } from '../options';
import { figure, type Figure, type PartOutcome } from '../report';
import { Histogram, joinLatencies, percentile } from '../stats';
import type { BenchChild } from '../lib/procs';
import { sleep } from '../lib/rig';
import { cpuMeter } from '../lib/system';
import { brokerNote, clientsReport, rateOf, startClients, startLive, type LiveRig } from './live';

const WARMUP_MS = 3000;

interface LatencyRun {
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  matched: number;
  undelivered: number;
  transitP50: number;
  transitP99: number;
  achievedRate: number;
  acceptedRate: number;
  cpu: Record<string, number>;
  gaps: number;
}

async function once(o: BenchOptions, rate: number, run: number): Promise<LatencyRun> {
  // At high rates every tenth device is a probe: plenty of readings, bounded memory.
  const probeEvery = rate > 2000 ? 10 : 1;
  let rig: LiveRig | undefined;
  let clients: BenchChild | undefined;
  try {
    rig = await startLive(o, `latency-${rate}-run${run + 1}`, { probeEvery });
    clients = await startClients(rig.server, 'wall', 1, probeEvery);
    const done = rig.pub.run(rate, WARMUP_MS + o.latencySec * 1000);
    await sleep(WARMUP_MS);
    const markAt = Date.now();
    clients.send({ cmd: 'mark' });
    const acc0 = await rig.server.count();
    const meter = cpuMeter({ ...rig.pids, client: clients.pid });
    const t0 = performance.now();
    const pubDone = await done;
    const acc1 = await rig.server.count();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = meter.stop();
    // Grace: the last readings need a tick to be sent, and a slow server more.
    await sleep(rig.server.tickMs + 2000);
    const rep = await clientsReport(clients);
    const published = new Map<number, number[]>();
    for (const [dev, tss] of pubDone.probes) published.set(dev, tss.filter((ts) => ts >= markAt));
    const hist = new Histogram(60_000);
    const { matched, undelivered } = joinLatencies(published, new Map(rep.patches), hist);
    for (let k = 0; k < undelivered; k++) hist.add(Infinity);
    return {
      rate,
      p50: hist.percentile(50),
      p95: hist.percentile(95),
      p99: hist.percentile(99),
      max: hist.max,
      matched,
      undelivered,
      transitP50: percentile(rep.transit, 50),
      transitP99: percentile(rep.transit, 99),
      achievedRate: Math.round(pubDone.achievedRate),
      acceptedRate: Math.round((acc1 - acc0) / seconds),
      cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(v)])),
      gaps: rep.gaps,
    };
  } finally {
    await clients?.stop();
    await rig?.stop();
  }
}

export async function runLatency(o: BenchOptions, log: (s: string) => void): Promise<PartOutcome> {
  const t0 = performance.now();
  const figures: Figure[] = [];
  const details: unknown[] = [];
  for (const r of o.latencyRates) {
    const rate = rateOf(r);
    const runs: LatencyRun[] = [];
    for (let k = 0; k < o.runs; k++) {
      log(`  ${rate} msg/s (${r === 'demo' ? 'demo fleet' : 'fixed'}), run ${k + 1}/${o.runs}`);
      const run = await once(o, rate, k);
      log(`    p50 ${run.p50} p95 ${run.p95} p99 ${run.p99} ms (${run.matched} readings, ${run.undelivered} undelivered); server→client p50 ${run.transitP50} ms; published ${run.achievedRate}/s, accepted ${run.acceptedRate}/s; cpu ${JSON.stringify(run.cpu)}`);
      runs.push(run);
      details.push(run);
    }
    const label = `${rate.toLocaleString('en-US')} msg/s${r === 'demo' ? ' (demo)' : ''}`;
    const undeliv = runs.reduce((s, x) => s + x.undelivered, 0);
    const total = runs.reduce((s, x) => s + x.matched + x.undelivered, 0);
    const note = `${o.latencySec} s, ${brokerNote(o)}, ${total} readings${undeliv > 0 ? `, ${((undeliv / total) * 100).toFixed(1)} % undelivered` : ''}`;
    figures.push(figure('latency', `publish → wall p50, ${label}`, 'ms', runs.map((x) => x.p50), note));
    figures.push(figure('latency', `publish → wall p95, ${label}`, 'ms', runs.map((x) => x.p95)));
    figures.push(figure('latency', `publish → wall p99, ${label}`, 'ms', runs.map((x) => x.p99), rate >= 20_000 ? 'target ≤ tick + 100 ms' : undefined));
    figures.push(figure('latency', `server accepted, ${label}`, 'msg/s', runs.map((x) => x.acceptedRate), `published ${runs.map((x) => x.achievedRate).join(', ')}`));
  }
  return { part: 'latency', status: 'ok', seconds: (performance.now() - t0) / 1000, figures, details };
}
