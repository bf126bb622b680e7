/**
 * The commune choropleths, drawn by MapLibre (it already holds the commune polygons): each commune's
 * worst AQI band and 24 h rain class go into its feature state, and one fill layer colours by the one
 * the mode asks for. Communes without a station of that kind stay uncoloured.
 */
import type { Map as MapLibreMap, ExpressionSpecification } from 'maplibre-gl';
import type { CommuneEnv } from '../../shared/environment';
import { AQI_BANDS } from '../../shared/vnAqi';
import { RAIN_CLASSES, rainClassOf } from './envStyles';
import { CHOROPLETH_LAYER } from './mapStyle';
import type { MapMode } from './modes';

const NONE = 'rgba(0,0,0,0)';

function matchColor(state: string, colours: readonly string[]): ExpressionSpecification {
  const pairs = colours.flatMap((c, k) => [k + 1, c]);
  return ['match', ['coalesce', ['feature-state', state], 0], ...pairs, NONE] as unknown as ExpressionSpecification;
}

const AQI_FILL = matchColor('aqiBand', AQI_BANDS.map((b) => b.hex));
/** rainClass is stored +1 so that 0 means "no gauge". */
const RAIN_FILL = matchColor('rainClass', RAIN_CLASSES.map((c) => c.hex));

export class Choropleth {
  private mode: MapMode | null = null;
  private communeVersion = -1;
  private readonly written = new Map<string, string>();

  constructor(private readonly map: MapLibreMap) {}

  /** Shows the fill for a choropleth mode (hides it otherwise) and writes changed communes' state. */
  update(mode: MapMode, communes: ReadonlyMap<string, CommuneEnv>, communeVersion: number): void {
    if (!this.map.getLayer(CHOROPLETH_LAYER)) return;
    if (mode !== this.mode) {
      this.mode = mode;
      const on = mode === 'communeAqi' || mode === 'communeRain';
      this.map.setLayoutProperty(CHOROPLETH_LAYER, 'visibility', on ? 'visible' : 'none');
      if (on) this.map.setPaintProperty(CHOROPLETH_LAYER, 'fill-color', mode === 'communeAqi' ? AQI_FILL : RAIN_FILL);
    }
    if (communeVersion === this.communeVersion) return;
    this.communeVersion = communeVersion;
    for (const c of communes.values()) {
      const state = { aqiBand: c.band ?? 0, rainClass: c.rain24h === null ? 0 : rainClassOf(c.rain24h) + 1 };
      const key = `${state.aqiBand}:${state.rainClass}`;
      if (this.written.get(c.code) === key) continue;
      this.written.set(c.code, key);
      this.map.setFeatureState({ source: 'communes', id: c.code }, state);
    }
  }
}
