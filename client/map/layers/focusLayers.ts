/** A ring round the station being looked at (focused in a list, or open in its card), and an alarm's place. */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { chipLayer } from './chips';
import { INK, chipBox, positionOf, type BuildContext } from './types';

export function focusLayers(ctx: BuildContext): Layer[] {
  const { view, devices, scale: s } = ctx;
  const layers: Layer[] = [];
  const rings: { position: [number, number]; color: [number, number, number, number] }[] = [];
  if (view.highlight !== null && devices[view.highlight]) rings.push({ position: positionOf(devices, view.highlight), color: [255, 255, 255, 255] });
  const fp = view.focusPoint;
  if (fp) rings.push({ position: [fp.lon, fp.lat], color: [255, 70, 70, 255] });
  if (rings.length === 0) return layers;
  layers.push(
    new ScatterplotLayer<(typeof rings)[number]>({
      id: 'focus-rings',
      data: rings,
      getPosition: (r) => r.position,
      getRadius: 24 * s,
      radiusUnits: 'pixels',
      filled: false,
      stroked: true,
      getLineColor: (r) => r.color,
      getLineWidth: 4 * s,
      lineWidthUnits: 'pixels',
    }),
  );
  if (fp?.label) {
    const px = 17 * s;
    const text = fp.label;
    layers.push(chipLayer('focus-label', [{ position: [fp.lon, fp.lat], text, ...chipBox(ctx, text, px, 26 * s), fill: [255, 70, 70, 245], ink: INK }], px, 26 * s, s, true));
  }
  return layers;
}
