/**
 * Vietnamese licence plates, as an AI camera reads them: cars `76A-123.45` (older plates `76A-1234`),
 * motorbikes `76-B1 234.56`. The first two digits are the registering province.
 */
import type { VehicleClass } from '../../shared/mqtt';
import { pick, type RandomSource } from '../../shared/random';

/** Plate codes of provinces whose vehicles commonly pass through the central coast and the north-central region. */
const VISITOR_CODES = ['29', '30', '43', '92', '77', '78', '79', '51', '37', '38', '73', '74', '75', '47', '49', '36'];
const CAR_SERIES = ['A', 'A', 'A', 'A', 'E', 'F', 'G', 'H', 'K'];
const MOTORBIKE_LETTERS = ['B', 'C', 'D', 'E', 'F', 'G', 'H', 'K', 'L', 'M', 'N', 'P', 'S', 'T', 'U', 'V', 'X', 'Y', 'Z'];

/** Plate patterns, for tests and for anyone validating simulated data. */
export const CAR_PLATE_RE = /^\d{2}[A-Z]{1,2}-(\d{3}\.\d{2}|\d{4})$/;
export const MOTORBIKE_PLATE_RE = /^\d{2}-[A-Z][1-9] \d{3}\.\d{2}$/;

/** Share of vehicles registered in another province. */
export const VISITOR_SHARE = 0.15;

function digits(r: RandomSource, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r.next() * 10));
  return s;
}

export function provinceCodeFor(r: RandomSource, homeCodes: readonly string[]): string {
  if (homeCodes.length > 0 && r.next() >= VISITOR_SHARE) return pick(r, homeCodes);
  const visitors = VISITOR_CODES.filter((c) => !homeCodes.includes(c));
  return pick(r, visitors);
}

export function makePlate(r: RandomSource, vehicle: VehicleClass, homeCodes: readonly string[]): string {
  const code = provinceCodeFor(r, homeCodes);
  if (vehicle === 'motorbike') {
    return `${code}-${pick(r, MOTORBIKE_LETTERS)}${1 + Math.floor(r.next() * 9)} ${digits(r, 3)}.${digits(r, 2)}`;
  }
  // Series letters by use: C trucks, B coaches; private cars mostly A.
  const series = vehicle === 'truck' ? 'C' : vehicle === 'bus' ? 'B' : pick(r, CAR_SERIES);
  const serial = r.next() < 0.12 ? digits(r, 4) : `${digits(r, 3)}.${digits(r, 2)}`;
  return `${code}${series}-${serial}`;
}
