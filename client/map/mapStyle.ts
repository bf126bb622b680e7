/**
 * MapLibre style built from the GeoJSON the server ships: no tile server, no glyph server, no
 * network beyond our own origin. Text is not drawn by MapLibre (it would need glyph PBFs); the
 * commune names are a deck.gl TextLayer (see deviceLayers.ts).
 */
import type { StyleSpecification, LayerSpecification } from 'maplibre-gl';
import { geoUrl, type GeoLayer } from '../net/api';
import { MAP_COLORS as C } from './colors';

export type MapVariant = 'wall' | 'mobile';

function source(layer: GeoLayer) {
  return { type: 'geojson' as const, data: geoUrl(layer), attribution: '' };
}

/** The commune fill coloured by feature state (see choropleth.ts); hidden until a choropleth mode. */
export const CHOROPLETH_LAYER = 'communes-choropleth';

/** `scale` widens the lines on big screens (1 at 1920 px wide). */
export function buildMapStyle(variant: MapVariant, scale = 1): StyleSpecification {
  const wall = variant === 'wall';
  const w = (px: number) => Math.round(px * scale * 10) / 10;
  const layers: LayerSpecification[] = [
    { id: 'sea', type: 'background', paint: { 'background-color': C.sea } },
    { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': C.land } },
    { id: 'neighbours-fill', type: 'fill', source: 'neighbours', paint: { 'fill-color': C.neighbourFill } },
    {
      id: 'neighbours-line',
      type: 'line',
      source: 'neighbours',
      paint: { 'line-color': C.neighbourLine, 'line-width': w(wall ? 1 : 0.7) },
    },
    { id: 'communes-fill', type: 'fill', source: 'communes', paint: { 'fill-color': C.communeFill } },
    {
      id: CHOROPLETH_LAYER,
      type: 'fill',
      source: 'communes',
      layout: { visibility: 'none' },
      paint: { 'fill-color': 'rgba(0,0,0,0)', 'fill-opacity': 0.88 },
    },
    {
      id: 'communes-line',
      type: 'line',
      source: 'communes',
      paint: { 'line-color': C.communeLine, 'line-width': w(wall ? 0.8 : 0.5), 'line-opacity': 0.9 },
    },
  ];
  if (wall) {
    layers.push(
      {
        id: 'rivers',
        type: 'line',
        source: 'rivers',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': C.river, 'line-width': w(1.6) },
      },
      {
        id: 'roads-minor',
        type: 'line',
        source: 'roads',
        filter: ['==', ['get', 'roadClass'], 'Đường thứ cấp'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': C.roadMinor, 'line-width': w(1) },
      },
      {
        id: 'roads-main',
        type: 'line',
        source: 'roads',
        filter: ['==', ['get', 'roadClass'], 'Đường chính'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': C.roadMain, 'line-width': w(1.8) },
      },
      {
        id: 'rail',
        type: 'line',
        source: 'roads',
        filter: ['==', ['get', 'roadClass'], 'Đường sắt'],
        paint: { 'line-color': C.rail, 'line-width': w(1.2), 'line-dasharray': [3, 2] },
      },
    );
  }
  layers.push(
    {
      id: 'province-glow',
      type: 'line',
      source: 'province',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': C.provinceGlow, 'line-width': w(wall ? 7 : 4), 'line-blur': w(wall ? 4 : 2), 'line-opacity': 0.7 },
    },
    {
      id: 'province-line',
      type: 'line',
      source: 'province',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': C.provinceLine, 'line-width': w(wall ? 2.2 : 1.5) },
    },
  );

  const sources: StyleSpecification['sources'] = {
    land: source('context/land'),
    neighbours: source('context/neighbours'),
    // Feature state is keyed by the official commune code.
    communes: { ...source('communes'), promoteId: 'code' },
    province: source('province'),
  };
  if (wall) {
    sources.rivers = source('context/rivers');
    sources.roads = source('context/roads');
  }
  return { version: 8, name: `ioc-${variant}`, sources, layers };
}
