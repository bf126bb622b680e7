/** Labels drawn as chips: text on a coloured, rounded box, to the right of their point. */
import { TextLayer } from '@deck.gl/layers';
import { UI_FONT } from '../../ui/theme';
import { CHIP_FONT_WEIGHT, type Rgba, type TextCandidate } from './types';

export interface Chip extends TextCandidate {
  fill: Rgba;
  ink: Rgba;
}

/** `above`: centred over the point instead of to its right (a label that must not hide the point's own chip). */
export function chipLayer(id: string, chips: readonly Chip[], px: number, gap: number, scale: number, above = false): TextLayer<Chip> {
  return new TextLayer<Chip>({
    id,
    data: chips,
    getPosition: (c) => c.position,
    getText: (c) => c.text,
    getColor: (c) => c.ink,
    getSize: px,
    sizeUnits: 'pixels',
    fontFamily: UI_FONT,
    fontWeight: CHIP_FONT_WEIGHT,
    characterSet: 'auto',
    getTextAnchor: above ? 'middle' : 'start',
    getAlignmentBaseline: 'center',
    getPixelOffset: above ? [0, -gap - px] : [gap + px * 0.4, 0],
    background: true,
    getBackgroundColor: (c) => c.fill,
    getBorderColor: [6, 12, 20, 200],
    getBorderWidth: Math.max(1, scale),
    backgroundBorderRadius: px * 0.3,
    backgroundPadding: [px * 0.4, px * 0.22],
  });
}
