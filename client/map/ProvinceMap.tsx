/// <reference types="vite/client" />
/**
 * The province map: MapLibre for the base map (created once per mount, never re-created on data
 * changes), a deck.gl overlay for the live layers of the current mode. Live data and the view's mode
 * reach the overlay straight from their subscriptions, not through React renders; a redraw happens
 * only when the layers changed, and per animation frame only while a violation pulse runs.
 */
import { useEffect, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
import { mapErrorText } from './mapErrors';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type { ProvinceInfo } from '../../shared/events';
import { fetchCommuneLabels } from '../net/api';
import { useLiveStore } from '../store/useLive';
import { UI_FONT } from '../ui/theme';
import { Choropleth } from './choropleth';
import { DeckLayers, STATION_LAYER_IDS, type Projector } from './deckLayers';
import type { LabelBox } from './declutter';
import { buildMapStyle, type MapVariant } from './mapStyle';
import { STATIC_DEVICES_VIEW, type MapFocusPoint, type MapView } from './modes';
import { appNow } from '../store/clock';
import { phases } from '../perf/phases';

maplibregl.setWorkerUrl(workerUrl);

export interface ProvinceMapProps {
  province: ProvinceInfo;
  variant: MapVariant;
  /** UI scale factor (1 at 1920 px wide), for line widths, dot and label sizes. */
  scale: number;
  className?: string;
  /** What to show (the wall's mode, highlight and alarm focus); the phone shows the devices. */
  view?: MapView;
  /** A station (registry index) was clicked. */
  onPick?: (i: number) => void;
}

const GESTURE_TEXT = {
  'CooperativeGesturesHandler.WindowsHelpText': 'Giữ Ctrl và cuộn để phóng to, thu nhỏ bản đồ',
  'CooperativeGesturesHandler.MacHelpText': 'Giữ ⌘ và cuộn để phóng to, thu nhỏ bản đồ',
  'CooperativeGesturesHandler.MobileHelpText': 'Dùng hai ngón tay để di chuyển bản đồ',
};

/** How close an alarm's place is shown (a district, with its communes). */
const FOCUS_ZOOM = 10.5;

export function ProvinceMap({ province, variant, scale, className, view = STATIC_DEVICES_VIEW, onPick }: ProvinceMapProps) {
  const store = useLiveStore();
  const containerRef = useRef<HTMLDivElement>(null);
  const onPickRef = useRef(onPick);
  useEffect(() => {
    onPickRef.current = onPick;
  }, [onPick]);

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
    // MapLibre's own report of an error nobody listens for is an opaque object in the console (mapErrors.ts).
    map.on('error', (e) => {
      const text = mapErrorText(e.error);
      if (text) console.error(text);
    });

    const deck = new DeckLayers(store, variant, scale, view);
    // For the bench's breakdown (client/perf/phases.ts): deck.gl asks for the cursor first thing in each frame,
    // then updates its layers (their attributes), then draws between onBeforeRender and onAfterRender.
    let deckFrameAt = -1;
    let drawAt = -1;
    const overlay = new MapLibreOverlay({
      interleaved: false,
      layers: [],
      getCursor: ({ isDragging }) => {
        deckFrameAt = performance.now();
        return isDragging ? 'grabbing' : 'grab';
      },
      onBeforeRender: () => {
        drawAt = performance.now();
        if (deckFrameAt >= 0) phases.add('layers', drawAt - deckFrameAt);
        deckFrameAt = -1;
      },
      onAfterRender: () => phases.add('draw', performance.now() - drawAt),
    });
    map.addControl(overlay);
    const choropleth = wall ? new Choropleth(map) : null;
    let loaded = false;

    let shown: unknown = null;
    let raf = 0;
    const update = () => phases.time('layers', updateNow);
    const updateNow = () => {
      if (loaded) {
        const { env, risk, fire } = store;
        choropleth?.update(view.mode, {
          communes: env.communes,
          communeVersion: env.communeVersion,
          risk: risk.communes,
          riskVersion: risk.levelVersion,
          fire: fire.communes,
          fireVersion: fire.levelVersion,
        });
      }
      const layers = deck.layers(appNow());
      if (layers !== shown) {
        shown = layers;
        overlay.setProps({ layers });
        // Written only when they differ: an attribute set, even to its own value, is a DOM change the browser
        // answers with a new composite of the whole screen (issue 18).
        setData(container, 'mode', wall ? view.mode : 'devices');
        setData(container, 'drawn', String(deck.drawn()));
        setData(container, 'devices', !wall || view.mode === 'devices' ? String(deck.drawnDevices()) : undefined);
        setData(container, 'labels', String(deck.placedLabels()));
      }
      // Pulses animate only while one lives; afterwards nothing is redrawn until data changes.
      if (deck.animating && raf === 0) {
        raf = requestAnimationFrame(() => {
          raf = 0;
          update();
        });
      }
    };

    const measureCtx = document.createElement('canvas').getContext('2d');
    const measure = (text: string, px: number, weight: number) => {
      if (!measureCtx) return text.length * px * 0.6;
      measureCtx.font = `${weight} ${px}px ${UI_FONT}`;
      return measureCtx.measureText(text).width;
    };
    const obstacles = (): LabelBox[] => {
      const frame = container.getBoundingClientRect();
      const panel = container.parentElement;
      if (!panel) return [];
      return [...panel.querySelectorAll<HTMLElement>('[data-map-obstacle]')].map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left - frame.left + r.width / 2, y: r.top - frame.top + r.height / 2, width: r.width, height: r.height };
      });
    };
    const project = () => {
      if (!loaded) return;
      const canvas = map.getCanvas();
      const projector: Projector = {
        project: (p) => {
          const pt = map.project(p);
          return [pt.x, pt.y];
        },
        width: canvas.clientWidth,
        height: canvas.clientHeight,
        measure,
        zoom: map.getZoom(),
        obstacles: obstacles(),
      };
      deck.setProjector(projector);
      update();
    };

    const unsubscribeStore = store.subscribe(update);
    let focus: MapFocusPoint | null = null;
    const unsubscribeView = view.subscribe(() => {
      if (view.focusPoint !== focus) {
        focus = view.focusPoint;
        if (focus) map.flyTo({ center: [focus.lon, focus.lat], zoom: Math.max(map.getZoom(), FOCUS_ZOOM), duration: 2500, essential: true });
        else map.fitBounds(bounds, { padding, duration: 2000 });
      }
      update();
    });
    update();

    const abort = new AbortController();
    if (wall) {
      fetchCommuneLabels(abort.signal)
        .then((labels) => {
          deck.setLabels(labels);
          update();
        })
        .catch((e: unknown) => {
          if (!abort.signal.aborted) console.warn('commune labels unavailable', e);
        });
    }

    map.on('load', () => {
      loaded = true;
      container.dataset.mapLoaded = '1';
      project();
    });
    map.on('resize', () => {
      // Keep the whole province in view whatever the screen: a wall never gets panned by hand.
      if (wall && !focus) map.fitBounds(bounds, { padding, animate: false });
    });
    map.on('moveend', project);
    // Panels over the map may change size (a legend for another mode): keep labels out from under them.
    const panelObserver = new ResizeObserver(() => project());
    for (const el of container.parentElement?.querySelectorAll('[data-map-obstacle]') ?? []) panelObserver.observe(el);

    const onClick = (e: MouseEvent) => {
      const r = container.getBoundingClientRect();
      const picked = overlay.pickObject({ x: e.clientX - r.left, y: e.clientY - r.top, radius: Math.round(10 * scale) });
      if (picked?.layer && STATION_LAYER_IDS.has(picked.layer.id) && typeof picked.object === 'number') onPickRef.current?.(picked.object);
    };
    if (wall) container.addEventListener('click', onClick);

    return () => {
      abort.abort();
      cancelAnimationFrame(raf);
      panelObserver.disconnect();
      container.removeEventListener('click', onClick);
      unsubscribeStore();
      unsubscribeView();
      map.remove();
    };
  }, [store, province, variant, scale, view]);

  return <div ref={containerRef} className={className} data-testid="province-map" />;
}

/** Sets (or, for undefined, removes) a data attribute, leaving the element alone when it already says that. */
function setData(el: HTMLElement, key: string, value: string | undefined): void {
  if (el.dataset[key] === value) return;
  if (value === undefined) delete el.dataset[key];
  else el.dataset[key] = value;
}
