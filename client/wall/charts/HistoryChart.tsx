/** A small 24 h chart of one quantity for the station card (static data fetched once, with limit lines). */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { formatHourMinute } from '../../ui/format';
import { UI_FONT } from '../../ui/theme';
import { axisStyle, chartFont } from './mountChart';

export interface LimitLine {
  y: number;
  label: string;
  color: string;
}

const NO_LIMITS: LimitLine[] = [];
const dec = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

export function HistoryChart({
  title,
  points,
  limits = NO_LIMITS,
  color = '#7fd0ff',
  bars = false,
  scale,
  to,
}: {
  title: string;
  /** [ts, value]; a null value breaks the line (a gap). */
  points: [number, number | null][];
  limits?: LimitLine[];
  color?: string;
  bars?: boolean;
  scale: number;
  /** End of the 24 h window (epoch ms). */
  to: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const font = chartFont(scale) - 1;
    const ax = axisStyle(font);
    let lo = Infinity;
    let hi = -Infinity;
    for (const [, v] of points) {
      if (v === null) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (const l of limits) {
      lo = Math.min(lo, l.y);
      hi = Math.max(hi, l.y);
    }
    const pad = Number.isFinite(hi) ? (hi - lo) * 0.1 || 1 : 1;
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: UI_FONT },
      grid: { left: font * 0.4, right: font * 0.6, top: font * 0.6, bottom: font * 0.2, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      xAxis: {
        type: 'time',
        min: to - 24 * 3_600_000,
        max: to,
        splitNumber: 4,
        ...ax,
        splitLine: { show: false },
        axisLabel: { ...ax.axisLabel, formatter: (v: number) => formatHourMinute(v), hideOverlap: true, showMinLabel: false, showMaxLabel: false },
      },
      yAxis: {
        type: 'value',
        splitNumber: 3,
        min: bars ? 0 : Number.isFinite(lo) ? Math.max(lo >= 0 ? 0 : -Infinity, lo - pad) : undefined,
        max: Number.isFinite(hi) ? hi + pad : undefined,
        ...ax,
        // The range is fitted to the data: its odd ends would crowd the round labels.
        axisLabel: { ...ax.axisLabel, formatter: (v: number) => dec.format(v), showMinLabel: false, showMaxLabel: false },
      },
      series: [
        {
          type: bars ? 'bar' : 'line',
          showSymbol: false,
          barWidth: '90%',
          itemStyle: { color },
          lineStyle: { color, width: Math.max(1.5, 2 * scale) },
          markLine: {
            silent: true,
            symbol: 'none',
            data: limits.map((l) => ({
              yAxis: l.y,
              lineStyle: { color: l.color, type: 'dashed', width: Math.max(1.5, 1.5 * scale) },
              label: { formatter: l.label, position: 'insideStartTop', distance: Math.round(4 * scale), color: l.color, fontSize: font, fontWeight: 700 },
            })),
          },
          data: points,
        },
      ],
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [points, limits, color, bars, scale, to]);
  return (
    <figure className="history-chart">
      <figcaption>{title}</figcaption>
      <div ref={ref} className="history-canvas" data-testid="history-chart" data-points={points.length} />
    </figure>
  );
}
