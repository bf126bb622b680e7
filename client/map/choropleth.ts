/**
 * The commune choropleths, drawn by MapLibre (it already holds the commune polygons): each commune's
 * worst AQI band, 24 h rain class, disaster risk level and forest fire danger level go into its feature
 * state, and one fill layer colours by the one the mode asks for. Communes without a station of that kind
 * (or below risk level 1, or without forest, or before their first fire step) stay uncoloured.
 */
import type { Map as MapLibreMap, ExpressionSpecification } from 'maplibre-gl';
import type { CommuneRisk } from '../../shared/communeRisk';
import { RISK_LEVELS } from '../../shared/disasterRisk';
import type { CommuneEnv } from '../../shared/environment';
import type { CommuneFire } from '../../shared/fireDanger';
import { shownFireLevel } from '../store/fireState';
import { AQI_BANDS } from '../../shared/vnAqi';
import { RAIN_CLASSES, rainClassOf } from './envStyles';
import { FIRE_LEVELS } from './fireStyles';
import { CHOROPLETH_LAYER } from './mapStyle';
import { isChoropleth, type ChoroplethMode, type MapMode } from './modes';

const NONE = 'rgba(0,0,0,0)';

function matchColor(state: string, colours: readonly string[]): ExpressionSpecification {
  const pairs = colours.flatMap((c, k) => [k + 1, c]);
  return ['match', ['coalesce', ['feature-state', state], 0], ...pairs, NONE] as unknown as ExpressionSpecification;
}

/**
 * rainClass is stored +1 so that 0 means "no gauge"; riskLevel 0 (below level 1) is left unfilled, and so is
 * fireLevel 0 (no forest, or no daily step yet).
 */
export const CHOROPLETH_FILL: Readonly<Record<ChoroplethMode, ExpressionSpecification>> = {
  communeAqi: matchColor('aqiBand', AQI_BANDS.map((b) => b.hex)),
  communeRain: matchColor('rainClass', RAIN_CLASSES.map((c) => c.hex)),
  communeRisk: matchColor('riskLevel', RISK_LEVELS.map((l) => l.hex)),
  communeFire: matchColor('fireLevel', FIRE_LEVELS.map((l) => l.hex)),
};

/** What the choropleths read from the live store (client/store/envState.ts, riskState.ts). */
export interface ChoroplethData {
  communes: ReadonlyMap<string, CommuneEnv>;
  communeVersion: number;
  risk: ReadonlyMap<string, CommuneRisk>;
  /** Moves when some commune's risk level changed (RiskState.levelVersion). */
  riskVersion: number;
  fire: ReadonlyMap<string, CommuneFire>;
  /** Moves when some commune's shown fire level changed (FireState.levelVersion). */
  fireVersion: number;
}

/** The part of MapLibre's map the choropleth uses. */
export type ChoroplethMap = Pick<MapLibreMap, 'getLayer' | 'setLayoutProperty' | 'setPaintProperty' | 'setFeatureState'>;

export class Choropleth {
  private mode: MapMode | null = null;
  private communeVersion = -1;
  private riskVersion = -1;
  private fireVersion = -1;
  private readonly written = new Map<string, string>();
  private readonly writtenRisk = new Map<string, number>();
  private readonly writtenFire = new Map<string, number>();

  constructor(private readonly map: ChoroplethMap) {}

  /** Shows the fill for a choropleth mode (hides it otherwise) and writes changed communes' state. */
  update(mode: MapMode, data: ChoroplethData): void {
    if (!this.map.getLayer(CHOROPLETH_LAYER)) return;
    if (mode !== this.mode) {
      this.mode = mode;
      const on = isChoropleth(mode);
      this.map.setLayoutProperty(CHOROPLETH_LAYER, 'visibility', on ? 'visible' : 'none');
      if (on) this.map.setPaintProperty(CHOROPLETH_LAYER, 'fill-color', CHOROPLETH_FILL[mode]);
    }
    if (data.communeVersion !== this.communeVersion) {
      this.communeVersion = data.communeVersion;
      for (const c of data.communes.values()) {
        const state = { aqiBand: c.band ?? 0, rainClass: c.rain24h === null ? 0 : rainClassOf(c.rain24h) + 1 };
        const key = `${state.aqiBand}:${state.rainClass}`;
        if (this.written.get(c.code) === key) continue;
        this.written.set(c.code, key);
        this.map.setFeatureState({ source: 'communes', id: c.code }, state);
      }
    }
    if (data.riskVersion !== this.riskVersion) {
      this.riskVersion = data.riskVersion;
      this.writeLevels('riskLevel', this.writtenRisk, data.risk, (c) => c.level);
    }
    if (data.fireVersion !== this.fireVersion) {
      this.fireVersion = data.fireVersion;
      this.writeLevels('fireLevel', this.writtenFire, data.fire, shownFireLevel);
    }
  }

  /** Writes each commune's level where it changed; a commune the data no longer has goes back to 0 (no fill). */
  private writeLevels<T extends { code: string }>(state: string, written: Map<string, number>, data: ReadonlyMap<string, T>, level: (c: T) => number): void {
    // A commune a new snapshot no longer has (the time machine's past has none) goes back to no fill.
    for (const code of written.keys()) {
      if (data.has(code)) continue;
      written.delete(code);
      this.map.setFeatureState({ source: 'communes', id: code }, { [state]: 0 });
    }
    for (const c of data.values()) {
      const l = level(c);
      if (written.get(c.code) === l) continue;
      written.set(c.code, l);
      this.map.setFeatureState({ source: 'communes', id: c.code }, { [state]: l });
    }
  }
}
