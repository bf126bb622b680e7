import type { ReactNode } from 'react';
import { useWallUiStore } from './useWallUi';

/**
 * A station in a panel list: focusing it (Tab) rings the station on the map, Enter or a click opens
 * its detail card. The wall has no mouse, so everything a click does, the keyboard does too.
 */
export function StationButton({ i, className, children, label }: { i: number; className?: string; children: ReactNode; label?: string }) {
  const ui = useWallUiStore();
  return (
    <button
      type="button"
      className={`station-row ${className ?? ''}`}
      data-station={i}
      aria-label={label}
      onFocus={() => ui.focusStation(i)}
      onBlur={() => ui.focusStation(null)}
      onClick={() => ui.select(i)}
    >
      {children}
    </button>
  );
}
