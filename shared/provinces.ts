/**
 * Provinces are data, not code: each one is a folder shared/provinces/<slug>/ whose province.json says what
 * no map file does (name, codes, hand-placed gauges and plants, river confluences, where the scenarios
 * happen, its disaster-risk zone). This module is the file's contract; server/ and simulators/ each read the
 * folders (shared/ does no I/O), so a new province is a new folder and nothing else.
 */
import { z } from 'zod';

/** A province's folder name under shared/provinces/. */
export type ProvinceSlug = string;
export const DEFAULT_PROVINCE: ProvinceSlug = 'quang-ngai';
export const PROVINCE_FILE = 'province.json';
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,40}$/;

export const DATA_ATTRIBUTION_VI =
  'Ranh giới hành chính: vietnamese-provinces-database (MIT), từ Bản đồ tham chiếu ĐVHC (NXB Tài nguyên Môi trường và Bản đồ Việt Nam) · Made with Natural Earth · Giao thông: LegoCity/CTU-SematX, CC BY-SA 4.0';

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);

const gaugeSchema = z.strictObject({
  station: z.string().min(1),
  river: z.string().min(1),
  lon,
  lat,
  /** Báo động I, II, III (m), rising. */
  levels: z.tuple([z.number(), z.number(), z.number()]).refine(([a, b, c]) => a < b && b < c, 'levels must rise: I < II < III'),
  /** True for the real gauges of STANDARDS.md §3, whose levels come from bulletins. */
  bulletin: z.boolean(),
  /** Upper-basin gauge: rises first, gives the downstream gauges their lead time. */
  upstream: z.boolean(),
  /**
   * Its khu vực for flood risk levels (QĐ 18/2021/QĐ-TTg, Điều 45 khoản 6: Phụ lục XIII lists the stations).
   * Absent: the zone of its commune in `riskZones` (Điều 46's, by province), a stand-in `floodRisk` says.
   */
  floodZone: z.number().int().min(1).max(4).optional(),
  /**
   * The river system ("lưu vực sông", Điều 45) when basins.json's upstream links do not join it to the others
   * of its system (tributaries with no gauge at the confluence). Absent: the gauges those links join.
   */
  floodBasin: z.string().min(1).optional(),
  /** The historic flood (m), or the design flood where flood-control works exist (Điều 45 khoản 8). */
  historicFlood: z.number().optional(),
  /** The communes its flood warnings are for (5-digit codes). Absent: its own and those within `floodRisk.reachKm`. */
  floodCommunes: z.array(z.string().regex(/^\d{5}$/)).min(1).optional(),
});

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD');

/** A hydropower reservoir of the province (shared/reservoir.ts reads what the generator copies into its device). */
const reservoirSiteSchema = z.strictObject({
  /** The plant's name as the notices give it ('Sơn La'): "Thủy điện Sơn La". */
  name: z.string().min(1),
  river: z.string().min(1),
  /** The dam (approximate public location). */
  lon,
  lat,
  /** Mực nước dâng bình thường and mực nước chết (m). */
  normalLevel: z.number(),
  deadLevel: z.number(),
  /** Mực nước cao nhất trước lũ in the flood season (m), and the season ('MM-DD' to 'MM-DD'). */
  floodSeason: z.strictObject({ from: monthDay, to: monthDay, maxLevel: z.number() }).optional(),
  /** Spillway gates (xả mặt and xả đáy together). */
  spillwayGates: z.number().int().positive().max(64),
  /** The simulators' lake: mean inflow and the turbines' full discharge (m³/s). */
  meanInflow: z.number().positive(),
  turbineFlow: z.number().positive(),
  /** Communes below the dam that a release notice must reach (5-digit codes), nearest first. */
  downstream: z.array(z.string().regex(/^\d{5}$/)).min(1),
  /** ⚠ false until the levels and the communes are checked against the operating procedure and the dam's plan. */
  verified: z.boolean(),
  source: z.string().min(1),
});

const industrySchema = z.strictObject({
  /** Used in station names; omitted for a city, where the commune name is used instead. */
  label: z.string().min(1).optional(),
  lon,
  lat,
  /** Standard deviation of station positions around the centre, degrees. */
  spreadDeg: z.number().positive().max(0.5),
  count: z.number().int().positive().max(100),
  /** QCVN 40:2011 column: A where the receiving water supplies drinking water, B otherwise. */
  column: z.enum(['A', 'B']),
  /** Kq of the receiving water (STANDARDS.md §2): 1.3 coastal, 0.9–1.1 by river flow. */
  kq: z.number().positive(),
  /** Kf candidates by plant size (discharge flow). */
  kf: z.array(z.number().positive()).min(1),
});

const stormCellSchema = z.strictObject({
  lon,
  lat,
  /** Gaussian radius (1 σ), km. */
  radiusKm: z.number().positive(),
  /** Peak rain rate at the centre, mm/h. */
  peakMmH: z.number().positive(),
});

const zonePartSchema = z.strictObject({
  /** The pre-2025 province whose entry in Phụ lục XII, Bảng 5 gives the zone. */
  formerProvince: z.string().min(1),
  zone: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  /** Commune codes (5 digits) of this part start with one of these ('' for all). */
  communeCodePrefixes: z.array(z.string().regex(/^\d{0,5}$/)).min(1),
});

export const provinceFileSchema = z.strictObject({
  $comment: z.string().optional(),
  /** Why a value is what it is, by field name (JSON has no comments). */
  notes: z.record(z.string(), z.string()).optional(),
  /** GSO province code (2 digits). */
  code: z.string().regex(/^\d{2}$/),
  name: z.string().min(1),
  /** Vehicle plate prefixes registered in the province (the simulated cameras' plates). */
  plateCodes: z.array(z.string().regex(/^\d{2}$/)).min(1),
  /** Device id prefix: qng-air-0001. */
  idPrefix: z.string().regex(/^[a-z]{2,5}$/),
  /** Hand-placed river gauges (approximate public locations; see ATTRIBUTION.md). */
  gauges: z.array(gaugeSchema),
  /** Industrial zones and cities whose wastewater stations the generator places. */
  industry: z.array(industrySchema),
  /** Hydropower reservoirs whose reports and release notices the IOC takes (absent: none). */
  reservoirs: z.array(reservoirSiteSchema).optional(),
  /** Tributary confluences by station name: [tributary's gauge, first gauge below the confluence]. */
  confluences: z.array(z.tuple([z.string(), z.string()])),
  /** Where the scenarios happen. */
  scenarios: z.strictObject({
    /** The flood's storm cells, over the upper basins of `floodRivers`. */
    storm: z.array(stormCellSchema).min(1),
    floodRivers: z.array(z.string().min(1)),
    /** The provincial capital's centre: the crash happens on the national road nearest to it. */
    cityCentre: z.strictObject({ lon, lat }),
  }),
  /** Roads by their short names as on a sign ('QL1A', 'QL6'), as the roads dataset names them. */
  roads: z.strictObject({
    /** The province's main road: the largest share of the cameras, and the rush-hour crash. */
    main: z.string().min(1),
    /** Roads divided for long stretches: higher speed limits and free-flow speeds than two-lane highways. */
    divided: z.array(z.string().min(1)),
  }),
  /** The simulators' climate: when the rainy season peaks (the central coast in Oct–Nov, the north-west in Jul). */
  climate: z.strictObject({
    /** Day of the year (1–366) of the wettest week. */
    rainPeakDayOfYear: z.number().int().min(1).max(366),
    /** Half-width of the season's bump, days. */
    rainSeasonHalfWidthDays: z.number().positive().max(180),
    /** Added to the lowland temperature (°C): a plateau is cooler (Sơn La's towns stand at 600–1,000 m). */
    tempOffsetC: z.number().min(-15).max(5).optional(),
    /** Valley fog at dawn in the cool season: relative humidity added around 06:00, peaking in January (%). */
    dawnFogRhPct: z.number().min(0).max(40).optional(),
    /** Hot, dry afternoons of the dry season (the north-west's foehn wind, gió Lào): when, and how much. */
    dryAfternoons: z
      .strictObject({
        peakDayOfYear: z.number().int().min(1).max(366),
        halfWidthDays: z.number().positive().max(180),
        tempRiseC: z.number().min(0).max(10),
        rhDropPct: z.number().min(0).max(40),
      })
      .optional(),
  }),
  /** Forest fire danger (QĐ 127/2000/QĐ-BNN-KL, bands set by each province since NĐ 156/2018). */
  fireDanger: z.strictObject({
    /** Upper bounds of levels I–IV of the Nesterov index P, rising. */
    bands: z
      .tuple([z.number().positive(), z.number().positive(), z.number().positive(), z.number().positive()])
      .refine(([a, b, c, d]) => a < b && b < c && c < d, 'bands must rise: I < II < III < IV'),
    /** Rain (mm in the 24 h to 13:00) that sets the index back to 0. */
    resetRainMm: z.number().positive(),
    /** ⚠ false until checked against the province's own decision. */
    verified: z.boolean(),
    source: z.string().min(1),
  }),
  /** Khu vực of QĐ 18/2021/QĐ-TTg Phụ lục XII, Bảng 5, per pre-2025 part of the province. */
  /** Flood risk levels from the river gauges (Điều 45): where its inputs come from and how far to trust them. */
  floodRisk: z.strictObject({
    /** A gauge without `floodCommunes` warns for its own commune and those whose centre is this close to it. */
    reachKm: z.number().positive().max(50),
    /** ⚠ false while any gauge's khu vực, historic flood or communes are stand-ins. */
    verified: z.boolean(),
    /** Where the gauges' khu vực and communes come from (shown in the legend and the README). */
    source: z.string().min(1),
  }),
  riskZones: z.strictObject({
    parts: z.array(zonePartSchema).min(1),
    /** ⚠ false until checked against the annex itself (STANDARDS.md §7). */
    verified: z.boolean(),
    source: z.string().min(1),
  }),
});
export type ProvinceFile = z.infer<typeof provinceFileSchema>;
export type GaugeSite = ProvinceFile['gauges'][number];
export type ReservoirSite = z.infer<typeof reservoirSiteSchema>;
export type IndustrialSite = ProvinceFile['industry'][number];
export type StormCell = ProvinceFile['scenarios']['storm'][number];
export type ProvinceScenarioPlaces = ProvinceFile['scenarios'];
export type ProvinceRiskZones = ProvinceFile['riskZones'];
export type ProvinceFloodRisk = ProvinceFile['floodRisk'];
export type ProvinceClimate = ProvinceFile['climate'];
export type ProvinceRoads = ProvinceFile['roads'];

/** A province as the readers see it: its file plus its folder name. */
export interface ProvinceMeta extends ProvinceFile {
  slug: ProvinceSlug;
}

/** Validates a province.json; a bad one throws naming the file and the first fields at fault. */
export function parseProvinceFile(slug: string, raw: unknown, file: string): ProvinceMeta {
  if (!SLUG_PATTERN.test(slug)) throw new Error(`${file}: the folder name '${slug}' is not a province slug (${SLUG_PATTERN})`);
  const parsed = provinceFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const stations = new Set(parsed.data.gauges.map((g) => g.station));
  for (const [from, to] of parsed.data.confluences) {
    for (const s of [from, to]) if (!stations.has(s)) throw new Error(`${file}: confluence names '${s}', which is not one of its gauges`);
  }
  for (const r of parsed.data.reservoirs ?? []) {
    if (r.deadLevel >= r.normalLevel) throw new Error(`${file}: reservoir ${r.name}: the dead level must be below the normal level`);
    const max = r.floodSeason?.maxLevel;
    if (max !== undefined && (max <= r.deadLevel || max > r.normalLevel)) {
      throw new Error(`${file}: reservoir ${r.name}: the flood-season limit must lie above the dead level and not above the normal level`);
    }
  }
  return { slug, ...parsed.data };
}

/** The file reads a catalogue needs; server/ and simulators/ pass node:fs (shared/ does no I/O). */
export interface CatalogIo {
  /** Folder names in dir. */
  folders(dir: string): readonly string[];
  /** The file's text, or undefined when it does not exist. */
  read(file: string): string | undefined;
}

export type ProvinceCatalog = Readonly<Record<ProvinceSlug, ProvinceMeta>>;

/**
 * Every folder of dir with a province.json, validated, by slug (sorted). A folder without the file is not a
 * province (LICENSES/); a bad file throws with its path, so a broken province stops the start, not a shift.
 */
export function readProvinceCatalog(dir: string, io: CatalogIo): ProvinceCatalog {
  const out: Record<string, ProvinceMeta> = {};
  for (const slug of [...io.folders(dir)].sort()) {
    const file = `${dir.replace(/\/+$/, '')}/${slug}/${PROVINCE_FILE}`;
    const text = io.read(file);
    if (text === undefined) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    out[slug] = parseProvinceFile(slug, raw, file);
  }
  return Object.freeze(out);
}
