import { describe, expect, it } from 'vitest';
import { readingsQuerySchema, resolveReadingsRange } from './requests';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const H = 3_600_000;
const DAY = 24 * H;

function resolve(query: Record<string, string>) {
  const q = readingsQuerySchema.safeParse(query);
  if (!q.success) return { issues: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  return resolveReadingsRange(q.data, NOW);
}

describe('readings query', () => {
  it('defaults to the last 24 hours, raw', () => {
    expect(resolve({})).toEqual({ from: NOW - DAY, to: NOW, bucket: 'raw' });
  });

  it('takes ISO-8601 with a zone and epoch milliseconds', () => {
    expect(resolve({ from: '2026-12-04T17:00+07:00', to: String(NOW), bucket: '1m' })).toEqual({ from: NOW - 2 * H, to: NOW, bucket: '1m' });
    expect(resolve({ from: '2026-12-04', to: '2026-12-04T06:00:00.000Z' })).toEqual({ from: NOW - 12 * H, to: NOW - 6 * H, bucket: 'raw' });
  });

  it('refuses instants without a zone, in seconds, or backwards, with a message', () => {
    expect(resolve({ from: '2026-12-04T10:00:00' })).toEqual({ issues: [expect.stringMatching(/^from: must be ISO-8601 with a zone/)] });
    expect(resolve({ to: String(Math.floor(NOW / 1000)) })).toEqual({ issues: ['to: must be between 2000 and 2100 (epoch milliseconds, not seconds)'] });
    expect(resolve({ bucket: '5m' })).toMatchObject({ issues: [expect.stringMatching(/^bucket: /)] });
    expect(resolve({ from: String(NOW), to: String(NOW - H) })).toEqual({ error: expect.stringMatching(/^from must be before to/) });
  });

  it('limits the range per bucket: raw 7 days, 1m 31 days, 1h any', () => {
    const span = (days: number, bucket: string) => resolve({ from: String(NOW - days * DAY), to: String(NOW), bucket });
    expect(span(7, 'raw')).toEqual({ from: NOW - 7 * DAY, to: NOW, bucket: 'raw' });
    expect(span(7.5, 'raw')).toEqual({ error: 'bucket raw: the range may be at most 7 days; use a coarser bucket' });
    expect(span(31, '1m')).toMatchObject({ bucket: '1m' });
    expect(span(32, '1m')).toEqual({ error: 'bucket 1m: the range may be at most 31 days; use a coarser bucket' });
    expect(span(3650, '1h')).toMatchObject({ bucket: '1h', from: NOW - 3650 * DAY });
  });
});
