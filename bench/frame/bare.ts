/// <reference types="vite/client" />
/**
 * The renderer's ceiling for the frame-rate part: the wall's base map (same MapLibre style) and
 * the same device points in one deck.gl ScatterplotLayer, with none of the app around them.
 * Every tick about 1 % of the points change colour (as the wall server's offline flips do), so
 * the colour attribute is rebuilt and the layer redrawn, locally: no network, no parsing.
 * window.__benchSetUpdating(on) starts and stops the updates; each update's own time is given to
 * window.__benchUpdate (the instrumentation in bench/frameBrowser.ts).
 */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { ScatterplotLayer } from '@deck.gl/layers';
import { buildMapStyle } from '../../client/map/mapStyle';
import { OFFLINE_RGB, TYPE_RGB } from '../../client/map/colors';

declare global {
  interface Window {
    __benchSetUpdating?: (on: boolean) => void;
    __benchUpdate?: (ms: number) => void;
  }
}

maplibregl.setWorkerUrl(workerUrl);

const tickMs = Number(new URLSearchParams(location.search).get('tick') ?? 250);
const [devicesRes, provinceRes] = await Promise.all([fetch('/api/devices'), fetch('/api/province')]);
const { devices } = (await devicesRes.json()) as { devices: { lon: number; lat: number; type: keyof typeof TYPE_RGB }[] };
const province = (await provinceRes.json()) as { bbox: [number, number, number, number] };
const n = devices.length;
const idx = Array.from({ length: n }, (_, i) => i);
const on = new Uint8Array(n).fill(1);
const color = devices.map((d) => [...TYPE_RGB[d.type], 255] as [number, number, number, number]);
const offline: [number, number, number, number] = [...OFFLINE_RGB, 255];
let version = 0;

const container = document.getElementById('map')!;
const map = new maplibregl.Map({
  container,
  style: buildMapStyle('wall', 1),
  bounds: province.bbox,
  fitBoundsOptions: { padding: 28 },
  interactive: false,
  attributionControl: false,
  fadeDuration: 0,
});
const overlay = new MapLibreOverlay({ interleaved: false, layers: [] });
map.addControl(overlay);

const layer = () =>
  new ScatterplotLayer<number>({
    id: 'devices',
    data: idx,
    getPosition: (i) => [devices[i]!.lon, devices[i]!.lat],
    getFillColor: (i) => (on[i] === 1 ? color[i]! : offline),
    radiusUnits: 'pixels',
    getRadius: 2.2,
    opacity: 0.85,
    updateTriggers: { getFillColor: version },
  });
overlay.setProps({ layers: [layer()] });
map.on('load', () => {
  container.dataset.mapLoaded = '1';
  container.dataset.devices = String(n);
});

let updating = false;
window.__benchSetUpdating = (v) => {
  updating = v;
};
setInterval(() => {
  if (!updating) return;
  const t0 = performance.now();
  on.fill(1);
  for (let k = 0; k < Math.round(n * 0.01); k++) on[Math.floor(Math.random() * n)] = 0;
  version++;
  overlay.setProps({ layers: [layer()] });
  window.__benchUpdate?.(performance.now() - t0);
}, tickMs);
