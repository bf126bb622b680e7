/**
 * One place that sets up an ECharts instance bound to the live store: the option is set once, then
 * `update` runs only when `version` moves (STYLE.md 13: only the changed series), and the chart follows
 * its box's size. Returns the teardown for a useEffect.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import type { LiveStore } from '../../store/liveStore';
import { UI_FONT } from '../../ui/theme';

echarts.use([LineChart, BarChart, GridComponent, MarkLineComponent, MarkAreaComponent, CanvasRenderer, SVGRenderer]);

export type Chart = echarts.ECharts;

export interface ChartSpec {
  option: Record<string, unknown>;
  /** What the chart shows depends on; a change runs `update`. */
  version: (store: LiveStore) => string | number;
  update: (chart: Chart, store: LiveStore) => void;
  /**
   * 'svg' for a small chart whose text must be laid out where a test (or a person's browser tools) can
   * see it: its labels are DOM text with boxes. Canvas by default.
   */
  renderer?: 'canvas' | 'svg';
}

export function mountChart(el: HTMLElement, store: LiveStore, spec: ChartSpec): () => void {
  const chart = echarts.init(el, null, { renderer: spec.renderer ?? 'canvas' });
  chart.setOption({ animation: false, textStyle: { fontFamily: UI_FONT }, ...spec.option });
  let shown: string | number | null = null;
  const refresh = () => {
    const v = spec.version(store);
    if (v === shown) return;
    shown = v;
    spec.update(chart, store);
  };
  const unsubscribe = store.subscribe(refresh);
  refresh();
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  return () => {
    resize.disconnect();
    unsubscribe();
    chart.dispose();
  };
}

/** Axis colours and sizes shared by the wall's charts; `font` in px. */
export function axisStyle(font: number) {
  return {
    axisLine: { lineStyle: { color: '#3a5068' } },
    axisTick: { show: false },
    axisLabel: { color: '#a9bccf', fontSize: font, margin: Math.round(font * 0.6) },
    splitLine: { lineStyle: { color: '#1b2b3c' } },
  };
}

/** The wall's chart text size: a little under the panel text, scaled with the screen. */
export function chartFont(scale: number): number {
  return Math.round(14 * scale);
}
