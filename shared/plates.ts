/**
 * Vietnamese licence plates: parsing and masking. A plate is personal data (STANDARDS.md §5): everything
 * that leaves the server carries the masked form only.
 *
 * Accepted forms (after trimming, upper-casing and collapsing spaces), as an AI camera reads them:
 * - car, truck, bus: `76A-123.45`, older `76A-1234`, two-letter series `76LD-123.45`, five digits without
 *   the dot `76A-12345`;
 * - motorbike: `76-B1 234.56`, older `76-B1 2345`, two-letter or electric series `29-AA 123.45`, `29-MĐ1 123.45`.
 * The province code is 11–99.
 *
 * Masking keeps the province code and series (a region and a vehicle category: not identifying on their
 * own) and the first and last digit of the serial, so an operator can tell two plates in the feed apart,
 * and masks every other digit: `76A-123.45` → `76A-1**.*5`, `76-B1 234.56` → `76-B1 2**.*6`. Anything that
 * is not one of the forms above becomes `***`: when in doubt, show nothing.
 */

export const FULLY_MASKED_PLATE = '***';

export interface ParsedPlate {
  kind: 'car' | 'motorbike';
  /** Registering province, two digits. */
  province: string;
  series: string;
  /** Digits with their dot, as read: '123.45', '1234'. */
  serial: string;
}

const SERIAL = String.raw`(\d{3}\.\d{2}|\d{4,5})`;
const CAR_RE = new RegExp(String.raw`^([1-9]\d)([A-Z]{1,2})-${SERIAL}$`);
const MOTORBIKE_RE = new RegExp(String.raw`^([1-9]\d)-([A-ZĐ]{1,2}[0-9]?) ${SERIAL}$`);

function normalise(plate: string): string {
  return plate.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** The parts of a plate in one of the accepted forms, or null. */
export function parsePlate(plate: string): ParsedPlate | null {
  if (typeof plate !== 'string' || plate.length > 32) return null;
  const p = normalise(plate);
  const car = CAR_RE.exec(p);
  if (car) return { kind: 'car', province: car[1]!, series: car[2]!, serial: car[3]! };
  const moto = MOTORBIKE_RE.exec(p);
  if (moto) return { kind: 'motorbike', province: moto[1]!, series: moto[2]!, serial: moto[3]! };
  return null;
}

export function isValidVnPlate(plate: string): boolean {
  return parsePlate(plate) !== null;
}

function maskSerial(serial: string): string {
  const digits = serial.replace(/\D/g, '').length;
  let seen = 0;
  let out = '';
  for (const ch of serial) {
    if (ch < '0' || ch > '9') {
      out += ch;
      continue;
    }
    seen += 1;
    out += seen === 1 || seen === digits ? ch : '*';
  }
  return out;
}

/** The plate as it may be shown: see the module comment for the rule. */
export function maskPlate(plate: string): string {
  const p = parsePlate(plate);
  if (!p) return FULLY_MASKED_PLATE;
  const serial = maskSerial(p.serial);
  return p.kind === 'car' ? `${p.province}${p.series}-${serial}` : `${p.province}-${p.series} ${serial}`;
}
