import { describe, expect, it } from 'vitest';
import { wallScale } from './uiScale';

describe('wallScale', () => {
  it('is 1 at 1920×1080 and 2 at 3840×2160, in quarter steps', () => {
    expect(wallScale(1920, 1080)).toBe(1);
    expect(wallScale(3840, 2160)).toBe(2);
    expect(wallScale(2560, 1440)).toBe(1.25);
    expect(wallScale(1930, 1090)).toBe(1);
  });

  it('follows the tighter side on odd aspect ratios, within bounds', () => {
    expect(wallScale(3840, 1080)).toBe(1);
    expect(wallScale(400, 300)).toBe(0.5);
    expect(wallScale(20000, 20000)).toBe(3);
  });
});
