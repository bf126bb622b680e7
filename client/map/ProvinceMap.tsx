/// <reference types="vite/client" />
/**
 * The province map: MapLibre for the base map (created once per mount, never re-created on data
 * changes), a deck.gl overlay for the devices and commune names. Live data reaches the overlay
 * straight from the store's subscription, not through React renders.
 */
import { useEffect, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type { ProvinceInfo } from '../../shared/events';
import { fetchCommuneLabels, type CommuneLabel } from '../net/api';
import { useLiveStore } from '../store/useLive';
import { UI_FONT } from '../ui/theme';
import { DeckLayers, LABEL_FONT_WEIGHT } from './deckLayers';
import { declutter, type LabelBox } from './declutter';
import { buildMapStyle, type MapVariant } from './mapStyle';

maplibregl.setWorkerUrl(workerUrl);

export interface ProvinceMapProps {
  province: ProvinceInfo;
  variant: MapVariant;
  /** UI scale factor (1 at 1920 px wide), for line widths, dot and label sizes. */
  scale: number;
  className?: string;
}

const GESTURE_TEXT = {
  'CooperativeGesturesHandler.WindowsHelpText': 'Giữ Ctrl và cuộn để phóng to, thu nhỏ bản đồ',
  'CooperativeGesturesHandler.MacHelpText': 'Giữ ⌘ và cuộn để phóng to, thu nhỏ bản đồ',
  'CooperativeGesturesHandler.MobileHelpText': 'Dùng hai ngón tay để di chuyển bản đồ',
};

export function ProvinceMap({ province, variant, scale, className }: ProvinceMapProps) {
  const store = useLiveStore();
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const wall = variant === 'wall';
    const bounds = province.bbox;
    const padding = Math.round((wall ? 28 : 12) * scale);

    const map = new maplibregl.Map({
      container,
      style: buildMapStyle(variant, scale),
      bounds,
      fitBoundsOptions: { padding },
      // The wall has no mouse and must not drift; the phone may pan and zoom with two fingers.
      interactive: !wall,
      cooperativeGestures: !wall,
      dragRotate: false,
      pitchWithRotate: false,
      attributionControl: false,
      fadeDuration: 0,
      locale: GESTURE_TEXT,
    });
    map.touchZoomRotate?.disableRotation();

    const deck = new DeckLayers(store, variant, scale);
    const overlay = new MapLibreOverlay({ interleaved: false, layers: [] });
    map.addControl(overlay);

    let shown: unknown = null;
    const update = () => {
      const layers = deck.layers();
      if (layers === shown) return;
      shown = layers;
      overlay.setProps({ layers });
      container.dataset.devices = String(deck.drawnDevices());
    };
    const unsubscribe = store.subscribe(update);
    update();

    let allLabels: CommuneLabel[] = [];
    const measure = document.createElement('canvas').getContext('2d');
    const placeLabels = () => {
      if (allLabels.length === 0 || !measure) return;
      const size = deck.labelFontPx;
      measure.font = `${LABEL_FONT_WEIGHT} ${size}px ${UI_FONT}`;
      const boxes: LabelBox[] = allLabels.map((l) => {
        const p = map.project(l.position);
        return { x: p.x, y: p.y, width: measure.measureText(l.name).width + size * 0.4, height: size * 1.25 };
      });
      const canvas = map.getCanvas();
      const keep = declutter(boxes, { width: canvas.clientWidth, height: canvas.clientHeight }, Math.round(size * 0.3));
      deck.setLabels(keep.map((k) => allLabels[k]!));
      container.dataset.labels = String(keep.length);
      update();
    };

    const abort = new AbortController();
    if (wall) {
      fetchCommuneLabels(abort.signal)
        .then((labels) => {
          allLabels = labels;
          if (map.loaded()) placeLabels();
        })
        .catch((e: unknown) => {
          if (!abort.signal.aborted) console.warn('commune labels unavailable', e);
        });
    }

    map.on('load', () => {
      container.dataset.mapLoaded = '1';
      placeLabels();
    });
    map.on('resize', () => {
      // Keep the whole province in view whatever the screen: a wall never gets panned by hand.
      if (wall) map.fitBounds(bounds, { padding, animate: false });
    });
    map.on('moveend', placeLabels);

    return () => {
      abort.abort();
      unsubscribe();
      map.remove();
    };
  }, [store, province, variant, scale]);

  return <div ref={containerRef} className={className} data-testid="province-map" />;
}
