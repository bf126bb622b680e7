import { useEffect, useState } from 'react';

/**
 * 1 at 1920×1080, 2 at 3840×2160: sizes of what is drawn in canvases (map dots and lines, chart
 * text), which CSS cannot scale. Quantised to quarter steps so that only a real change of screen
 * (a kiosk that starts small, then goes full screen) rebuilds the map and the chart.
 */
export function wallScale(width = window.innerWidth, height = window.innerHeight): number {
  const s = Math.min(width / 1920, height / 1080);
  return Math.min(3, Math.max(0.5, Math.round(s * 4) / 4));
}

export function useWallScale(): number {
  const [scale, setScale] = useState(() => wallScale());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onResize = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setScale(wallScale()), 500);
    };
    window.addEventListener('resize', onResize);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('resize', onResize);
    };
  }, []);
  return scale;
}
