/**
 * Part 4: fan-out. With the server under a steady load, 1, 100, 500 and 1,000 Socket.IO clients of one
 * view: the server's CPU (from /proc/<pid>/stat over the window, one core = 100 %) and the bytes
 * each client receives per second (engine.io packet payloads counted at the clients). The same
 * load with no client gives the server's own share, reported beside.
 */
import type { BenchOptions } from '../options';
import { figure, type Figure, type PartOutcome } from '../report';
import { sleep } from '../lib/rig';
import { cpuMeter } from '../lib/system';
import { brokerNote, clientsReport, rateOf, startClients, startLive, type LiveRig } from './live';

const SETTLE_MS = 2000;

export async function runFanout(o: BenchOptions, log: (s: string) => void): Promise<PartOutcome> {
  const t0 = performance.now();
  const rate = rateOf(o.fanoutRate);
  const figures: Figure[] = [];
  const details: unknown[] = [];
  for (const view of o.fanoutViews) {
    const base: number[] = [];
    const cpu = new Map<number, number[]>();
    const clientCpu = new Map<number, number[]>();
    const bps = new Map<number, number[]>();
    for (let run = 0; run < o.runs; run++) {
      let rig: LiveRig | undefined;
      try {
        rig = await startLive(o, `fanout-${view}-run${run + 1}`);
        void rig.pub.run(rate, 3_600_000).catch(() => {});
        await sleep(SETTLE_MS);
        const m0 = cpuMeter({ server: rig.server.pid });
        await sleep(o.fanoutSec * 1000);
        const c0 = m0.stop().server!;
        base.push(c0);
        log(`  ${view}, run ${run + 1}/${o.runs}: ${rate} msg/s, no clients: server ${c0.toFixed(1)} % CPU`);
        for (const n of o.fanoutClients) {
          const clients = await startClients(rig.server, view, n);
          await sleep(SETTLE_MS);
          clients.send({ cmd: 'mark' });
          const m = cpuMeter({ server: rig.server.pid, clients: clients.pid });
          await sleep(o.fanoutSec * 1000);
          const c = m.stop();
          const rep = await clientsReport(clients);
          await clients.stop();
          const perClient = rep.bytes / rep.clients / rep.seconds;
          log(`    ${n} clients: server ${c.server!.toFixed(1)} % CPU, ${(perClient / 1024).toFixed(2)} KB/s per client, ${(rep.frames / rep.clients / rep.seconds).toFixed(2)} frames/s, clients' process ${c.clients!.toFixed(0)} % CPU, ${rep.connected}/${rep.clients} connected, ${rep.gaps} gaps`);
          if (rep.connected < rep.clients) throw new Error(`${rep.clients - rep.connected} of ${rep.clients} ${view} clients lost their connection`);
          (cpu.get(n) ?? cpu.set(n, []).get(n)!).push(c.server!);
          (clientCpu.get(n) ?? clientCpu.set(n, []).get(n)!).push(c.clients!);
          (bps.get(n) ?? bps.set(n, []).get(n)!).push(perClient / 1024);
          details.push({ view, run, clients: n, rate, serverCpu: c.server, clientsCpu: c.clients, bytesPerClientPerSec: perClient, frames: rep.frames, gaps: rep.gaps, baselineCpu: c0 });
        }
      } finally {
        await rig?.stop();
      }
    }
    const note = `${rate} msg/s ${o.fanoutRate === 'demo' ? '(demo fleet)' : ''}, ${o.fanoutSec} s, ${brokerNote(o)}`;
    figures.push(figure('fanout', `${view}: server CPU, no clients`, '%', base, note));
    for (const n of o.fanoutClients) {
      figures.push(figure('fanout', `${view}: server CPU, ${n} clients`, '%', cpu.get(n) ?? [], `clients' own process ${Math.round(Math.max(...(clientCpu.get(n) ?? [0])))} % at most`));
      figures.push(figure('fanout', `${view}: per client, ${n} clients`, 'KB/s', bps.get(n) ?? [], view === 'mobile' ? 'target ≤ 20 KB/s' : undefined));
    }
  }
  return { part: 'fanout', status: 'ok', seconds: (performance.now() - t0) / 1000, figures, details };
}
