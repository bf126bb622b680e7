/** The figures of a run, their table and the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { summarize, type Summary } from './stats';

export interface Figure {
  part: string;
  name: string;
  unit: string;
  /** One value per run. */
  values: number[];
  summary: Summary;
  note?: string;
}

export interface PartOutcome {
  part: string;
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  seconds: number;
  figures: Figure[];
  /** Raw per-run details (steps, verdicts, samples) for the JSON file. */
  details: unknown[];
}

export function figure(part: string, name: string, unit: string, values: number[], note?: string): Figure {
  return { part, name, unit, values, summary: summarize(values), ...(note ? { note } : {}) };
}

export function fmt(x: number, unit = ''): string {
  if (Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  const a = Math.abs(x);
  const digits = unit === '%' || unit === 'ratio' ? (a < 10 ? 2 : 1) : a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A plain-text table (also valid Markdown) of every figure and every skipped or failed part. */
export function renderTable(outcomes: readonly PartOutcome[]): string {
  const rows: string[][] = [['part', 'figure', 'median', 'min', 'max', 'runs', 'unit', 'note']];
  for (const o of outcomes) {
    if (o.status !== 'ok') rows.push([o.part, `(${o.status})`, '', '', '', '', '', o.reason ?? '']);
    for (const f of o.figures) {
      const s = f.summary;
      const ratio = f.unit === 'ratio';
      const show = (x: number) => (ratio ? `${fmt(x * 100, '%')} %` : fmt(x, f.unit));
      rows.push([f.part, f.name, show(s.median), show(s.min), show(s.max), String(s.runs), ratio ? '' : f.unit, f.note ?? '']);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c >= 2 && c <= 5 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, c) => (c >= 2 && c <= 5 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n');
}

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export function writeResults(doc: object, startedAt: Date): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${startedAt.toISOString().replace(/:/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(doc, null, 1)}\n`);
  return file;
}
