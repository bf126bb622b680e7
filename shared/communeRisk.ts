/**
 * The disaster risk level of each commune (cấp độ rủi ro thiên tai, QĐ 18/2021/QĐ-TTg) as the server computes
 * it and the views receive it, and the province's susceptibility file that feeds it
 * (shared/provinces/<slug>/susceptibility.json). The rule itself is ./disasterRisk.ts.
 */
import { z } from 'zod';
import { SUSCEPTIBILITIES, type Susceptibility } from './disasterRiskTable';

/** One commune's levels now. */
export interface CommuneRisk {
  code: string;
  /** The commune's level: the highest of its hazards' (Điều 46 khoản 4), 0 when none applies. */
  level: 0 | 1 | 2 | 3 | 4 | 5;
  /** Điều 46: flash floods and landslides from rain. */
  flashFlood: 0 | 1 | 2 | 3;
  /** Điều 45: floods from the river gauges that warn for the commune (the highest of theirs). */
  flood: 0 | 1 | 2 | 3 | 4 | 5;
  /** The clause that gave `flood` ("2c": khoản 2, điểm c); null at 0. */
  floodClause: string | null;
  /** The gauge whose level gave `flood`; null at 0. */
  floodStation: string | null;
  /** The 24 h rain the level was read with (mm); null when no rain gauge is in reach. */
  rain24h: number | null;
  /** Days of rain before the last 24 h (0 when the gauges' memory holds none); null with no gauge. */
  antecedentRainDays: number | null;
  /** Where the rain came from: the commune's own gauges, the nearest gauge around it, or none. */
  rainFrom: 'commune' | 'nearby' | null;
  susceptibility: Susceptibility;
  /** Khu vực of Phụ lục XII, Bảng 5. */
  zone: 1 | 2 | 3 | 4;
}

/** What the wall receives once: every commune's level and how far the inputs are to be trusted. */
export interface RiskSnapshot {
  communes: CommuneRisk[];
  /** True while the susceptibility classes are this product's stand-in, not the province's official zoning. */
  provisional: boolean;
  /** Where the susceptibility classes come from (shown in the legend). */
  susceptibilitySource: string;
  /** Flood levels (Điều 45): the river gauges that feed them and how far their inputs are checked; null: none. */
  flood: { verified: boolean; source: string; gauges: FloodGaugeInfo[] } | null;
}

/**
 * What Điều 45 needs of a river gauge beyond its levels (sent once: the views compute each gauge's own level with
 * the same rule, `floodRiskLevels`, from the levels they already have).
 */
export interface FloodGaugeInfo {
  /** Registry index. */
  i: number;
  /** Khu vực (Phụ lục XIII, or the stand-in). */
  zone: 1 | 2 | 3 | 4;
  /** Gauges with the same key are on one river basin. */
  basin: string;
  historic: number | null;
}

/** The hazards of a commune's level, for the views: "lũ quét, sạt lở đất" and/or "lũ, ngập lụt". */
export function riskHazards(c: Pick<CommuneRisk, 'flashFlood' | 'flood' | 'level'>): ('flashFlood' | 'flood')[] {
  const out: ('flashFlood' | 'flood')[] = [];
  if (c.level > 0 && c.flashFlood === c.level) out.push('flashFlood');
  if (c.level > 0 && c.flood === c.level) out.push('flood');
  return out;
}

export const RISK_HAZARD_VI = { flashFlood: 'lũ quét, sạt lở đất', flood: 'lũ, ngập lụt' } as const;

/** The phone lists communes from this level up (the issue asks for level 3+). */
export const MOBILE_RISK_MIN_LEVEL = 3;
/** A commune at or above this level raises an alarm. */
export const RISK_ALARM_MIN_LEVEL = 2;

const susceptibility = z.enum(SUSCEPTIBILITIES as unknown as [Susceptibility, ...Susceptibility[]]);

/**
 * shared/provinces/<slug>/susceptibility.json: the landslide and flash-flood susceptibility class (thấp, trung
 * bình, cao, rất cao) of every commune. The product ships a provisional file per province (`provisional: true`,
 * made by simulators/registry/susceptibility.ts); a province replaces it with its official zoning.
 */
export const susceptibilityFileSchema = z.strictObject({
  $comment: z.string().optional(),
  provisional: z.boolean(),
  /** Where the classes come from: shown in the legend and the README. */
  source: z.string().min(1),
  /** How the classes were made (a provisional file says its rule). */
  method: z.string().min(1).optional(),
  /** Commune code (5 digits) → class. */
  classes: z.record(z.string().regex(/^\d{5}$/), susceptibility),
});
export type SusceptibilityFile = z.infer<typeof susceptibilityFileSchema>;

/** Validates a susceptibility.json; a bad one throws naming the file and the first fields at fault. */
export function parseSusceptibilityFile(raw: unknown, file: string): SusceptibilityFile {
  const parsed = susceptibilityFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
