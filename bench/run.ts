/**
 * `npm run bench` (issue 7): each part starts its pieces as separate processes on 127.0.0.1,
 * measures, stops them, and adds figures (median, min and max of the runs) to one table, which is
 * printed and written to bench/results/<ISO timestamp>.json with the machine's facts.
 * A part that cannot run (mosquitto missing) is marked skipped; one that fails is marked failed,
 * the others still run, and the exit code is 1.
 */
import { parseOptions, type BenchOptions, type PartName } from './options';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { renderProfile, summarizeProfileFile, type ProfileSummary } from './profile';
import { RESULTS_DIR, renderTable, writeResults, type PartOutcome } from './report';
import { killAllNow, stopAll } from './lib/procs';
import { SkipError, setProfileRoot, setServerStore } from './lib/rig';
import { loadAvg1, machineInfo } from './lib/system';
import { runThroughput } from './parts/throughput';
import { runLatency } from './parts/latency';
import { runFanout } from './parts/fanout';
import { runMemory } from './parts/memory';
import { runBreakdown } from './parts/breakdown';
import { runFrameRate } from './parts/frameRate';
import { runStore } from './parts/store';
import { runCluster } from './parts/cluster';

const log = (s: string) => console.log(s);

async function part(name: PartName, fn: () => Promise<PartOutcome>): Promise<PartOutcome> {
  const t0 = performance.now();
  log(`\n▶ ${name} (load average ${loadAvg1()})`);
  try {
    return await fn();
  } catch (err) {
    const skipped = err instanceof SkipError;
    log(`  ${name} ${skipped ? 'skipped' : 'FAILED'}: ${(err as Error).message}`);
    return { part: name, status: skipped ? 'skipped' : 'failed', reason: (err as Error).message, seconds: (performance.now() - t0) / 1000, figures: [], details: [] };
  } finally {
    // Nothing of a part outlives it, whatever happened.
    await stopAll();
  }
}

/** Per label (server process), the summary of its longest profile; all of them go to the JSON. */
function summarizeProfiles(root: string): Record<string, ProfileSummary[]> {
  const out: Record<string, ProfileSummary[]> = {};
  for (const label of readdirSync(root).sort()) {
    const dir = path.join(root, label);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    const sums = files.map((f) => summarizeProfileFile(path.join(dir, f)));
    if (sums.length === 0) continue;
    out[label] = sums;
    const longest = sums.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    log(`\nprofile ${label} (${files.length} profile${files.length > 1 ? 's (the loader thread writes one too)' : ''}; the longest):\n${renderProfile(longest)}`);
  }
  log(`profiles: ${root} (open in Chrome DevTools › Performance, or: npx tsx bench/profile.ts FILE)`);
  return out;
}

async function main(): Promise<number> {
  let o: BenchOptions;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const startedAt = new Date();
  const machine = machineInfo();
  log(`bench ${o.quick ? '--quick' : '(full)'}: ${o.parts.join(', ')} · ${machine.cpus} cpus · node ${machine.node} · load average ${machine.loadAvgStart.join(' ')}`);
  if (machine.loadAvgStart[0] > machine.cpus * 0.5) log(`  note: the machine is busy (load ${machine.loadAvgStart[0]} on ${machine.cpus} cpus); figures will be noisy`);

  const profileRoot = o.profile ? path.join(RESULTS_DIR, `profiles-${startedAt.toISOString().replace(/:/g, '-')}`) : undefined;
  if (profileRoot) {
    mkdirSync(profileRoot, { recursive: true });
    setProfileRoot(profileRoot);
  }
  setServerStore(o.store === 'on');
  if (o.store === 'off') log('  --store off: the servers keep no readings (the figures say what storing costs, not what npm start does)');
  const outcomes: PartOutcome[] = [];
  if (o.parts.includes('ceiling') || o.parts.includes('ingest')) {
    const t0 = performance.now();
    log(`\n▶ ${['ceiling', 'ingest'].filter((p) => o.parts.includes(p as PartName)).join(' + ')} (load average ${loadAvg1()})`);
    try {
      outcomes.push(...(await runThroughput(o, log)));
    } catch (err) {
      outcomes.push({ part: 'ingest', status: 'failed', reason: (err as Error).message, seconds: (performance.now() - t0) / 1000, figures: [], details: [] });
    } finally {
      await stopAll();
    }
  }
  if (o.parts.includes('breakdown')) outcomes.push(await part('breakdown', () => runBreakdown(o, log)));
  if (o.parts.includes('latency')) outcomes.push(await part('latency', () => runLatency(o, log)));
  if (o.parts.includes('fanout')) outcomes.push(await part('fanout', () => runFanout(o, log)));
  if (o.parts.includes('memory')) outcomes.push(await part('memory', () => runMemory(o, log)));
  if (o.parts.includes('framerate')) outcomes.push(await part('framerate', () => runFrameRate(o, log)));
  if (o.parts.includes('store')) outcomes.push(await part('store', () => runStore(o, log)));
  if (o.parts.includes('cluster')) outcomes.push(await part('cluster', () => runCluster(o, log)));

  const profiles = profileRoot ? summarizeProfiles(profileRoot) : undefined;
  const table = renderTable(outcomes);
  const loadEnd = loadAvg1();
  const mode = o.quick ? `quick: ${o.runs} run(s) per figure, short windows (${o.stepSec} s search steps, latency ${o.latencySec} s, fan-out ${o.fanoutSec} s, memory ${o.memorySec} s)` : `full: ${o.runs} runs per figure`;
  log(`\n${table}\n\n${mode}; load average ${machine.loadAvgStart[0]} at start, ${loadEnd} at end; ${machine.cpus} cpus, node ${machine.node}`);
  const file = writeResults({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), options: o, machine: { ...machine, loadAvgEnd: loadEnd }, table, outcomes, profiles }, startedAt);
  log(`results: ${file}`);
  return outcomes.some((x) => x.status === 'failed') ? 1 : 0;
}

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${sig}: stopping every bench process`);
    // SIGTERM first, so they clean up (mosquitto's temp config); SIGKILL whatever is left after 5 s.
    const deadline = new Promise((r) => setTimeout(r, 5000).unref());
    void Promise.race([stopAll(), deadline]).finally(() => {
      killAllNow();
      process.exit(130);
    });
  });
}
process.on('exit', killAllNow);
process.on('unhandledRejection', (err) => {
  // A part's stray promise must not take the whole run down; the part itself reports its failure.
  console.error('  (ignored a stray rejection:', err instanceof Error ? err.message : err, ')');
});

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench failed:', err);
    killAllNow();
    process.exit(1);
  },
);
