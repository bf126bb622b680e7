/**
 * `npm run forecast:backtest -- [--scenario flood|normal-day] [--days N] [--warmup-days N] [--seed N]
 * [--province slug] [--start ISO] [--json FILE]`: the river forecasts replayed over a seeded simulated period
 * and scored as made (server/domain/forecast/backtest.ts). Prints a table per gauge and lead and writes the
 * whole result as JSON. Bad arguments print the usage and exit 2.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_PROVINCE } from '../../shared/provinces';
import { isProvinceSlug } from '../../server/provinces/catalog';
import { isScenarioName, type ScenarioName } from '../../simulators/scenarios';
import { MIN_WARNING_LEAD_H, runBacktest, type BacktestResult } from './backtest';
import { loadProvince } from '../../server/provinces/load';

export const USAGE = `usage: npm run forecast:backtest -- [--scenario flood|normal-day] [--days N] [--warmup-days N] [--seed N]
                                  [--learn rainy-season|ordinary] [--rain-forecast on|off] [--province slug]
                                  [--start ISO-time] [--json FILE]
  replays a seeded simulated period, makes the river forecasts as they would have been made at each step,
  and scores them per gauge and lead time; the JSON has every figure. The learning days carry a rainy
  season's storms (--learn rainy-season, the default) or the ordinary weather alone (--learn ordinary). The model
  reads the hydro-met service's rain forecasts as the simulator issues them (--rain-forecast on, the default) or
  the rain gauges alone (--rain-forecast off)`;

/** A day in the rainy season of central Việt Nam, at midnight: the story starts there unless --start says otherwise. */
export const DEFAULT_START = '2026-10-20T00:00:00+07:00';

const f2 = (x: number | null | undefined): string => (x === null || x === undefined ? '   –' : x.toFixed(2).padStart(5));
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '  –' : `${Math.round(x * 100)}%`.padStart(4));

export function formatTable(r: BacktestResult): string {
  const lines: string[] = [];
  lines.push(
    `forecast backtest · ${r.scenario} · seed ${r.seed} · ${r.days} day(s) scored after ${r.warmupDays} day(s) of learning (${r.learn === 'rainy-season' ? 'a rainy season: storms every 2.5–4.5 days' : 'ordinary weather'}) · ${r.rainForecasts ? 'with' : 'without'} rain forecasts · step ${r.stepMs / 60_000} min`,
  );
  lines.push('gauge              up  persistence index 1h–6h               TT42 within S 1h–6h        RMSE m 1h/3h/6h   BĐII/III crossings: hits/misses, false alarms, warning lead (h)');
  for (const g of r.gauges) {
    const pi = g.leads.map((l) => f2(l.persistenceIndex)).join(' ');
    const within = g.leads.map((l) => pct(l.tt42?.shareWithin)).join(' ');
    const rmse = [1, 3, 6].map((h) => f2(g.leads.find((l) => l.h === h)?.rmse)).join(' ');
    const w = g.warnings;
    const warn = w.crossings === 0 ? `0 crossings, ${w.falseAlarms} false` : `${w.hits}/${w.misses} of ${w.crossings}, ${w.falseAlarms} false, leads ${w.leadsH.map((x) => (x === null ? '–' : x.toFixed(1))).join(' ')}`;
    lines.push(`${g.name.slice(0, 18).padEnd(18)} ${g.hasUpstream ? 'yes' : ' no'}  ${pi}   ${within}   ${rmse}   ${warn}`);
  }
  const up = r.gauges.filter((g) => g.hasUpstream);
  const piOk = (gs: typeof r.gauges, min: number) => gs.every((g) => g.leads.every((l) => l.persistenceIndex !== null && l.persistenceIndex > min));
  const within = r.gauges.every((g) => g.leads.filter((l) => l.h <= 3).every((l) => (l.tt42?.shareWithin ?? 0) >= 0.75));
  const crossings = r.gauges.reduce((s, g) => s + g.warnings.crossings, 0);
  const hits = r.gauges.reduce((s, g) => s + g.warnings.hits, 0);
  const falseMax = Math.max(0, ...r.gauges.map((g) => g.warnings.falseAlarms));
  lines.push('targets:');
  lines.push(`  persistence index > 0.5 at 1–6 h, gauges with an upstream gauge (${up.length}): ${piOk(up, 0.5) ? 'holds' : 'does not hold'}`);
  lines.push(`  persistence index > 0 at 1–6 h, the others (${r.gauges.length - up.length}): ${piOk(r.gauges.filter((g) => !g.hasUpstream), 0) ? 'holds' : 'does not hold'}`);
  lines.push(`  ≥ 75 % within the allowable error at 1–3 h, every gauge: ${within ? 'holds' : 'does not hold'}`);
  lines.push(`  every BĐ II/III crossing warned ≥ ${MIN_WARNING_LEAD_H} h ahead: ${hits}/${crossings}${crossings > 0 && hits === crossings ? ' holds' : crossings === 0 ? ' (no crossing in this period)' : ' does not hold'}`);
  lines.push(`  at most one false alarm per gauge: ${falseMax <= 1 ? 'holds' : `does not hold (up to ${falseMax})`}`);
  return lines.join('\n');
}

export function main(argv: string[]): number {
  let a;
  try {
    a = parseArgs({
      args: argv,
      strict: true,
      options: {
        scenario: { type: 'string', default: 'flood' },
        days: { type: 'string' },
        'warmup-days': { type: 'string', default: '14' },
        learn: { type: 'string', default: 'rainy-season' },
        'rain-forecast': { type: 'string', default: 'on' },
        seed: { type: 'string' },
        province: { type: 'string', default: process.env.PROVINCE ?? DEFAULT_PROVINCE },
        start: { type: 'string', default: DEFAULT_START },
        json: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (a.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const bad = (msg: string) => {
    process.stderr.write(`${msg}\n${USAGE}\n`);
    return 2;
  };
  if (!isScenarioName(a.scenario)) return bad(`unknown scenario '${a.scenario}'`);
  if (!isProvinceSlug(a.province)) return bad(`unknown province '${a.province}'`);
  if (a.learn !== 'rainy-season' && a.learn !== 'ordinary') return bad(`--learn must be rainy-season or ordinary, not '${a.learn}'`);
  const learn = a.learn;
  if (a['rain-forecast'] !== 'on' && a['rain-forecast'] !== 'off') return bad(`--rain-forecast must be on or off, not '${a['rain-forecast']}'`);
  const rainForecasts = a['rain-forecast'] === 'on';
  const scenario: ScenarioName = a.scenario;
  const days = Number(a.days ?? (scenario === 'flood' ? 1 : 2));
  const warmupDays = Number(a['warmup-days']);
  const start = Date.parse(a.start);
  if (!(days > 0 && days <= 30)) return bad('--days must be in (0, 30]');
  if (!(warmupDays >= 0 && warmupDays <= 30)) return bad('--warmup-days must be in [0, 30]');
  if (!Number.isFinite(start)) return bad(`--start '${a.start}' is not a time`);
  const seed = a.seed === undefined ? undefined : Number(a.seed);
  if (seed !== undefined && !Number.isInteger(seed)) return bad('--seed must be an integer');

  const province = loadProvince(a.province);
  if (province.basins.length === 0) return bad(`province '${a.province}' has no river basins to forecast`);
  const t0 = Date.now();
  let shown = -1;
  const result = runBacktest({
    registry: province.registry,
    basins: province.basins,
    scenario,
    seed,
    days,
    warmupDays,
    learn,
    rainForecasts,
    start,
    onProgress: (done, total) => {
      const p = Math.floor((10 * done) / total);
      if (p !== shown) process.stderr.write(`replaying… ${(shown = p) * 10} %\n`);
    },
  });
  process.stderr.write(`replayed ${warmupDays + days} simulated days in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`${formatTable(result)}\n`);
  const file = a.json ?? `forecast-backtest-${a.province}-${scenario}-seed${result.seed}.json`;
  writeFileSync(file, JSON.stringify(result, null, 2));
  process.stdout.write(`JSON: ${file}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = main(process.argv.slice(2));
}
