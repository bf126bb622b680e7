import { describe, expect, it } from 'vitest';
import { FULLY_MASKED_PLATE, isValidVnPlate, maskPlate, parsePlate } from './plates';
import { createRandom, pick, type RandomSource } from './random';

describe('maskPlate', () => {
  const table: [raw: string, masked: string][] = [
    // cars: 5-digit serial with a dot, older 4-digit, 5 digits without the dot, two-letter series
    ['76A-123.45', '76A-1**.*5'],
    ['82C-987.10', '82C-9**.*0'],
    ['38A-1234', '38A-1**4'],
    ['76A-12345', '76A-1***5'],
    ['51LD-456.78', '51LD-4**.*8'],
    // motorbikes
    ['76-B1 234.56', '76-B1 2**.*6'],
    ['38-X5 1234', '38-X5 1**4'],
    ['29-AA 123.45', '29-AA 1**.*5'],
    ['29-MĐ1 123.45', '29-MĐ1 1**.*5'],
    // read loosely by a camera: case and spaces are normalised
    ['  76a-123.45 ', '76A-1**.*5'],
    ['76-b1   234.56', '76-B1 2**.*6'],
    // anything else shows nothing
    ['', FULLY_MASKED_PLATE],
    ['76A12345', FULLY_MASKED_PLATE],
    ['76A-123.456', FULLY_MASKED_PLATE],
    ['76A-123', FULLY_MASKED_PLATE],
    ['05A-123.45', FULLY_MASKED_PLATE],
    ['7A-123.45', FULLY_MASKED_PLATE],
    ['76ABC-123.45', FULLY_MASKED_PLATE],
    ['76-B1-234.56', FULLY_MASKED_PLATE],
    ['UNKNOWN', FULLY_MASKED_PLATE],
    ['76A-12.345', FULLY_MASKED_PLATE],
  ];
  it.each(table)('%s → %s', (raw, masked) => {
    expect(maskPlate(raw)).toBe(masked);
    expect(isValidVnPlate(raw)).toBe(masked !== FULLY_MASKED_PLATE);
  });

  it('keeps the province code and series', () => {
    expect(parsePlate('76A-123.45')).toEqual({ kind: 'car', province: '76', series: 'A', serial: '123.45' });
    expect(parsePlate('76-B1 234.56')).toEqual({ kind: 'motorbike', province: '76', series: 'B1', serial: '234.56' });
  });

  it('refuses oversized and non-string input', () => {
    expect(maskPlate('7'.repeat(100))).toBe(FULLY_MASKED_PLATE);
    expect(maskPlate(undefined as unknown as string)).toBe(FULLY_MASKED_PLATE);
  });
});

function digits(r: RandomSource, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r.next() * 10));
  return s;
}

/** Plates in every accepted form, with random codes, series and serials. */
function randomPlate(r: RandomSource): string {
  const code = String(11 + Math.floor(r.next() * 89));
  const serial = pick(r, [() => `${digits(r, 3)}.${digits(r, 2)}`, () => digits(r, 4), () => digits(r, 5)])();
  if (r.next() < 0.5) return `${code}${pick(r, ['A', 'C', 'LD', 'KT'])}-${serial}`;
  return `${code}-${pick(r, ['B1', 'X5', 'AA', 'MĐ1', 'K'])} ${serial}`;
}

describe('masking many plates', () => {
  it('never reveals more than the first and last serial digit', () => {
    const r = createRandom(7);
    for (let i = 0; i < 5000; i++) {
      const raw = randomPlate(r);
      expect(isValidVnPlate(raw), raw).toBe(true);
      const masked = maskPlate(raw);
      expect(masked).not.toBe(raw);
      expect(masked.length).toBe(raw.length);
      const serial = parsePlate(raw)!.serial.replace('.', '');
      const shown = masked.slice(masked.length - parsePlate(raw)!.serial.length).replace('.', '');
      expect(shown, raw).toBe(serial[0] + '*'.repeat(serial.length - 2) + serial[serial.length - 1]);
      // The masked form is not itself a valid plate, so it can never be mistaken for (or match) a raw one.
      expect(isValidVnPlate(masked)).toBe(false);
    }
  });
});
