import { describe, expect, it } from 'vitest';
import { formatDuration, formatFine, formatLevel, formatMm, formatRise, formatValue } from './envFormat';

describe('Vietnamese formatting', () => {
  it('writes fines as ranges of millions of đồng', () => {
    expect(formatFine([4_000_000, 6_000_000])).toBe('4–6 triệu đ');
    expect(formatFine([400_000, 600_000])).toBe('0,4–0,6 triệu đ');
    expect(formatFine([18_000_000, 20_000_000])).toBe('18–20 triệu đ');
    expect(formatFine([600_000, 3_000_000])).toBe('0,6–3 triệu đ');
    expect(formatFine(null)).toBe('Không áp dụng');
  });

  it('uses the decimal comma and Vietnamese units', () => {
    expect(formatLevel(3.6)).toBe('3,60 m');
    expect(formatMm(72.4)).toBe('72 mm');
    expect(formatMm(4.56)).toBe('4,6 mm');
    expect(formatValue(7.091)).toBe('7,09');
    expect(formatValue(175.5)).toBe('176');
    expect(formatRise(12.4)).toBe('+12 cm/h');
    expect(formatRise(-3)).toBe('−3 cm/h');
  });

  it('writes durations in minutes, hours and days', () => {
    expect(formatDuration(45 * 60_000)).toBe('45 phút');
    expect(formatDuration(200 * 60_000)).toBe('3 giờ 20 phút');
    expect(formatDuration(120 * 60_000)).toBe('2 giờ');
    expect(formatDuration(52 * 3_600_000)).toBe('2 ngày 4 giờ');
  });
});
