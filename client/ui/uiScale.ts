/** 1 at 1920×1080, 2 at 3840×2160: sizes of what is drawn in canvases (map dots, chart text). */
export function wallScale(): number {
  const s = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
  return Math.min(3, Math.max(0.6, Math.round(s * 100) / 100));
}
