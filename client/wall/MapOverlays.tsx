/** Over the map: the mode's title, the layer switcher (number keys, then Shift+0) and the legend. */
import { MAP_MODE_INFO, keyShortcut, modeInfo } from '../map/modes';
import { MapLegend } from './MapLegend';
import { useWallUi, useWallUiStore } from './useWallUi';

export function MapOverlays() {
  const ui = useWallUiStore();
  const mode = useWallUi((u) => u.mode);
  return (
    <>
      <div className="map-caption" data-map-obstacle="" data-testid="map-caption">
        {modeInfo(mode).titleVi}
      </div>
      <nav className="layer-switcher" aria-label="Lớp bản đồ (phím số, Shift+0)" data-map-obstacle="" data-testid="layer-switcher">
        {MAP_MODE_INFO.map((m) => (
          <button
            key={m.mode}
            type="button"
            className={m.mode === mode ? 'on' : ''}
            aria-pressed={m.mode === mode}
            aria-keyshortcuts={keyShortcut(m)}
            data-mode={m.mode}
            onClick={() => ui.setMode(m.mode)}
          >
            <kbd>{m.key}</kbd>
            {m.labelVi}
          </button>
        ))}
      </nav>
      <div className="map-legend" data-map-obstacle="" data-testid="map-legend" data-mode={mode}>
        <MapLegend mode={mode} />
      </div>
    </>
  );
}
