/**
 * What the wall map shows: one mode at a time, each switchable with its key: 1–9, then 0, in the keyboard's
 * order, then Shift+0 once the digits ran out. A mode is a set of deck.gl layers (and, for the commune
 * choropleths, a MapLibre fill coloured by feature state).
 */
export const MAP_MODES = ['air', 'water', 'hydro', 'rain24', 'rain1', 'communeAqi', 'communeRain', 'communeRisk', 'communeFire', 'traffic', 'devices'] as const;
export type MapMode = (typeof MAP_MODES)[number];

export interface MapModeInfo {
  mode: MapMode;
  /** The key that switches to it, as the switcher shows it: a digit, or ⇧ and a digit for Shift with it. */
  key: string;
  labelVi: string;
  /** The map caption while it is shown. */
  titleVi: string;
}

export const MAP_MODE_INFO: readonly MapModeInfo[] = [
  { mode: 'air', key: '1', labelVi: 'Không khí', titleVi: 'Chỉ số chất lượng không khí VN_AQI theo giờ' },
  { mode: 'water', key: '2', labelVi: 'Nước thải', titleVi: 'Trạm quan trắc nước thải theo QCVN 40:2011/BTNMT' },
  { mode: 'hydro', key: '3', labelVi: 'Mực nước', titleVi: 'Mực nước sông so với mức báo động' },
  { mode: 'rain24', key: '4', labelVi: 'Mưa 24 giờ', titleVi: 'Lượng mưa 24 giờ qua' },
  { mode: 'rain1', key: '5', labelVi: 'Mưa 1 giờ', titleVi: 'Lượng mưa 1 giờ qua' },
  { mode: 'communeAqi', key: '6', labelVi: 'Xã: AQI', titleVi: 'AQI cao nhất theo xã, phường' },
  { mode: 'communeRain', key: '7', labelVi: 'Xã: mưa', titleVi: 'Lượng mưa 24 giờ lớn nhất theo xã, phường' },
  { mode: 'traffic', key: '8', labelVi: 'Giao thông', titleVi: 'Mức phục vụ trên quốc lộ và vi phạm giao thông' },
  { mode: 'devices', key: '9', labelVi: 'Thiết bị', titleVi: 'Bản đồ thiết bị' },
  // Key 0, after 9 as on the keyboard: the keys of the modes before it stay what operators learned.
  { mode: 'communeRisk', key: '0', labelVi: 'Xã: rủi ro thiên tai', titleVi: 'Cấp độ rủi ro thiên tai theo xã, phường' },
  // Shift+0, under the risk map on 0: every digit is taken, and a key of its own keeps all the others.
  { mode: 'communeFire', key: '⇧0', labelVi: 'Xã: cháy rừng', titleVi: 'Cấp dự báo cháy rừng theo xã (QĐ 127/2000)' },
];

export const MODE_BY_KEY: ReadonlyMap<string, MapMode> = new Map(MAP_MODE_INFO.map((m) => [m.key, m.mode]));

/**
 * The mode a key press switches to. A digit by its character (any layout that types digits unshifted, and
 * the numpad); with Shift, by the physical key, since the character Shift+0 types depends on the layout
 * (")" on the US one). Where Shift types the digits themselves (AZERTY) they keep their plain meaning.
 */
export function modeForKey(e: { key: string; code: string; shiftKey: boolean }): MapMode | undefined {
  if (e.shiftKey && !/^\d$/.test(e.key)) {
    const digit = /^Digit(\d)$/.exec(e.code)?.[1];
    return digit === undefined ? undefined : MODE_BY_KEY.get(`⇧${digit}`);
  }
  return MODE_BY_KEY.get(e.key);
}

/** The key as ARIA names it ("1", "Shift+0"). */
export function keyShortcut(m: MapModeInfo): string {
  return m.key.replace('⇧', 'Shift+');
}

export function modeInfo(mode: MapMode): MapModeInfo {
  return MAP_MODE_INFO.find((m) => m.mode === mode)!;
}

export type ChoroplethMode = 'communeAqi' | 'communeRain' | 'communeRisk' | 'communeFire';

export function isChoropleth(mode: MapMode): mode is ChoroplethMode {
  return mode === 'communeAqi' || mode === 'communeRain' || mode === 'communeRisk' || mode === 'communeFire';
}

/**
 * What the map shows besides its data, owned by the view (the wall's kiosk state): the mode, a
 * station to ring (focused in a list or opened in its card), and a place to point at (an alarm).
 */
export interface MapFocusPoint {
  lon: number;
  lat: number;
  label?: string;
}

export interface MapView {
  readonly mode: MapMode;
  /** Registry index of the station to ring, or null. */
  readonly highlight: number | null;
  readonly focusPoint: MapFocusPoint | null;
  /** Moves whenever any of the above changes. */
  readonly viewVersion: number;
  subscribe(listener: () => void): () => void;
}

/** The phone's map: always the devices, nothing highlighted. */
export const STATIC_DEVICES_VIEW: MapView = {
  mode: 'devices',
  highlight: null,
  focusPoint: null,
  viewVersion: 0,
  subscribe: () => () => {},
};
