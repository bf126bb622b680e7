/**
 * Basin topology, per province (shared/provinces/<slug>/basins.json): for each river gauge, the gauges
 * upstream of it with the flood wave's approximate travel time, and the rain gauges of its basin. The
 * forecast model (server/domain/forecast/) reads upstream changes at these lags ("mực nước tương ứng")
 * and the basin's rain. Data, validated at load: a typo in an id must stop the start, not silently drop
 * a term from every forecast.
 */
import { z } from 'zod';
import type { Registry } from './devices';

const deviceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const upstreamLinkSchema = z.object({
  id: deviceId,
  /** Hours for a change at that gauge to reach this one; approximate, replace with the station's tables. */
  travelH: z.number().positive().max(48),
  /** Why the link is there: same river ordered by gauge, or a hand-entered confluence. */
  basis: z.string().min(1),
});

export const basinGaugeSchema = z.object({
  gaugeId: deviceId,
  river: z.string().min(1),
  upstream: z.array(upstreamLinkSchema),
  rainGauges: z.array(deviceId),
});
export type BasinGauge = z.infer<typeof basinGaugeSchema>;

export const basinsFileSchema = z
  .object({
    province: z.string().min(1),
    generatedBy: z.string().min(1),
    /** What is approximate in this file; the UI shows it beside the forecast. */
    caveats: z.array(z.string()),
    gauges: z.array(basinGaugeSchema),
  })
  .superRefine((file, ctx) => {
    const ids = file.gauges.map((g) => g.gaugeId);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['gauges', i, 'gaugeId'], message: `duplicate gauge ${id}` });
    });
    const cycle = findCycle(file.gauges);
    if (cycle) ctx.addIssue({ code: 'custom', path: ['gauges'], message: `upstream links form a cycle: ${cycle.join(' → ')}` });
  });
export type BasinsFile = z.infer<typeof basinsFileSchema>;

/** A loop of upstream links (a gauge upstream of itself), or undefined. */
function findCycle(gauges: readonly BasinGauge[]): string[] | undefined {
  const up = new Map(gauges.map((g) => [g.gaugeId, g.upstream.map((u) => u.id)]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const next of up.get(id) ?? []) {
      const c = visit(next);
      if (c) return c;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const g of gauges) {
    const c = visit(g.gaugeId);
    if (c) return c;
  }
  return undefined;
}

/**
 * Parses a basins file and checks it against the province's registry: every gauge and upstream id a river
 * gauge, every rain id a rain gauge. Returns the problems as text, for the loader to throw with the file name.
 */
export function parseBasins(raw: unknown, registry: Registry): { data: BasinsFile } | { error: string } {
  const parsed = basinsFileSchema.safeParse(raw);
  if (!parsed.success) return { error: z.prettifyError(parsed.error) };
  const kind = new Map(registry.devices.map((d) => [d.id, d.kind]));
  const problems: string[] = [];
  if (parsed.data.province !== registry.province) problems.push(`province ${parsed.data.province} is not the registry's ${registry.province}`);
  for (const g of parsed.data.gauges) {
    if (kind.get(g.gaugeId) !== 'river-gauge') problems.push(`${g.gaugeId} is not a river gauge in the registry`);
    for (const u of g.upstream) if (kind.get(u.id) !== 'river-gauge') problems.push(`${g.gaugeId}: upstream ${u.id} is not a river gauge`);
    for (const r of g.rainGauges) if (kind.get(r) !== 'rain-gauge') problems.push(`${g.gaugeId}: ${r} is not a rain gauge`);
  }
  return problems.length > 0 ? { error: problems.join('\n') } : { data: parsed.data };
}
