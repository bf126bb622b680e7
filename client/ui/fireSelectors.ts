/**
 * What the wall says about forest fire danger (the map legend and the "Cháy rừng" page): communes per level,
 * the day of the levels, the communes at level III or more. Computed once per version of the fire state and
 * the same object until it moves, so `useLive` re-renders only on news (once a day, after 13:00).
 */
import type { CommuneFire, FireDangerRule, FireLevel } from '../../shared/fireDanger';
import { shownFireLevel } from '../store/fireState';
import type { LiveStore } from '../store/liveStore';

/** The page lists the communes from this level (III, cao). */
export const FIRE_LIST_MIN_LEVEL: FireLevel = 3;

export interface FireSummary {
  /** Whether the server sent fire danger at all (not a server without it, not the time machine's past). */
  available: boolean;
  rule: FireDangerRule | null;
  source: string | null;
  verified: boolean;
  /** Forest communes (every xã and đặc khu while there is no forest map). */
  total: number;
  /** Communes per shown level: index 0 not yet stepped (no 13:00 observation), then I to V. */
  byLevel: readonly [number, number, number, number, number, number];
  /** The newest day any commune was stepped for ('YYYY-MM-DD'), null before the first step. */
  day: string | null;
  /** Communes at level III or more, highest level first, then highest P. */
  high: readonly (CommuneFire & { level: FireLevel })[];
}

function summarise(s: LiveStore): FireSummary {
  const fire = s.fire;
  let day: string | null = null;
  const high: (CommuneFire & { level: FireLevel })[] = [];
  for (const c of fire.communes.values()) {
    if (c.day !== null && (day === null || c.day > day)) day = c.day;
    if (shownFireLevel(c) >= FIRE_LIST_MIN_LEVEL) high.push(c);
  }
  high.sort((a, b) => b.level - a.level || b.p - a.p || a.code.localeCompare(b.code));
  return {
    available: fire.available,
    rule: fire.rule,
    source: fire.source,
    verified: fire.verified,
    total: fire.communes.size,
    byLevel: fire.countByLevel(),
    day,
    high,
  };
}

const cache = new WeakMap<LiveStore, { version: number; summary: FireSummary }>();

export function selectFireSummary(s: LiveStore): FireSummary {
  const held = cache.get(s);
  if (held?.version === s.fire.version) return held.summary;
  const summary = summarise(s);
  cache.set(s, { version: s.fire.version, summary });
  return summary;
}

/** '2026-03-10' → "10/03/2026". */
export function formatFireDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}
