/**
 * Where a process spent its CPU: a V8 .cpuprofile (node --cpu-prof) summed by self time per
 * function and per area (a package in node_modules, a folder of server/ or shared/, Node's own
 * internals, GC). `npm run bench -- --profile` writes the server's profiles and these summaries.
 */
import { readFileSync } from 'node:fs';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  /** The node of each sample, and the µs since the sample before (the first: since startTime). */
  samples?: number[];
  timeDeltas?: number[];
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

export interface ProfileSummary {
  seconds: number;
  /** Share of samples that were not idle, percent. */
  busyPercent: number;
  areas: { area: string; percent: number }[];
  functions: { fn: string; area: string; percent: number }[];
}

export function areaOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return functionName;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return nm[1]!;
  const own = /\/(server|shared|bench|simulators)\/([^/]+)\//.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (/\/(server|shared)\/[^/]+$/.test(url)) return url.includes('/server/') ? 'server' : 'shared';
  if (url.startsWith('node:') || url === '') return 'node (internals, native)';
  return 'other';
}

export function summarizeProfile(p: CpuProfile, top = 15): ProfileSummary {
  const total = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
  const idle = p.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const byArea = new Map<string, number>();
  const byFn = new Map<string, { fn: string; area: string; hits: number }>();
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0 || n.callFrame.functionName === '(idle)') continue;
    const area = areaOf(n.callFrame.url, n.callFrame.functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    const file = n.callFrame.url.split('/').slice(-2).join('/');
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    const e = byFn.get(fn) ?? { fn, area, hits: 0 };
    e.hits += hits;
    byFn.set(fn, e);
  }
  const busy = total - idle || 1;
  const pct = (h: number) => Math.round((h / busy) * 1000) / 10;
  return {
    seconds: (p.endTime - p.startTime) / 1e6,
    busyPercent: Math.round((busy / total) * 1000) / 10,
    areas: [...byArea.entries()].sort((a, b) => b[1] - a[1]).map(([area, h]) => ({ area, percent: pct(h) })),
    functions: [...byFn.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, top)
      .map((e) => ({ fn: e.fn, area: e.area, percent: pct(e.hits) })),
  };
}

export function summarizeProfileFile(file: string, top = 15): ProfileSummary {
  return summarizeProfile(readProfile(file), top);
}

export function renderProfile(s: ProfileSummary, areas = 10): string {
  const a = s.areas.slice(0, areas).map((x) => `${x.area} ${x.percent} %`).join(', ');
  const f = s.functions.map((x) => `      ${String(x.percent).padStart(5)} %  ${x.fn}`).join('\n');
  return `    ${s.seconds.toFixed(0)} s profiled, ${s.busyPercent} % busy; by area (share of busy): ${a}\n    top functions (self time):\n${f}`;
}

// `tsx bench/profile.ts FILE...` prints the summaries of existing profiles.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  for (const file of process.argv.slice(2)) console.log(`${file}\n${renderProfile(summarizeProfileFile(file))}`);
}
