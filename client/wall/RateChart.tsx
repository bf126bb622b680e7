/**
 * Ingest rate over the last ten minutes. The chart is set up once; afterwards only the series
 * data is replaced, and only when the store's rate history changed (STYLE.md 13).
 */
import { useContext, useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { RATE_HISTORY_SEC } from '../../shared/protocol';
import { withGaps } from '../store/rateRing';
import { CalmLiveContext, useLiveStore } from '../store/useLive';
import { formatHourMinute, formatInt } from '../ui/format';
import { robustAxisMax } from './chartScale';
import { UI_FONT } from '../ui/theme';

echarts.use([LineChart, GridComponent, CanvasRenderer]);

export function RateChart({ scale }: { scale: number }) {
  const store = useLiveStore();
  // On the wall, redrawn with the other figures at most once a second (client/store/calmView.ts).
  const calm = useContext(CalmLiveContext);
  const ref = useRef<HTMLDivElement>(null);
  const peakRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    const font = Math.round(13 * scale);
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: UI_FONT },
      grid: { left: font * 0.6, right: font * 1.4, top: font * 1.2, bottom: font * 0.4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      xAxis: {
        type: 'time',
        // A fixed ten-minute window ending at the newest sample, so the line grows from the right
        // after a restart; as functions, they follow the data without ever touching the axis again.
        min: (extent: { max: number }) => extent.max - RATE_HISTORY_SEC * 1000,
        max: (extent: { max: number }) => extent.max,
        splitNumber: 5,
        axisLine: { lineStyle: { color: '#3a5068' } },
        axisTick: { show: false },
        axisLabel: {
          color: '#9fb4c8',
          fontSize: font,
          margin: Math.round(font * 0.7),
          formatter: (v: number) => formatHourMinute(v),
          hideOverlap: true,
          // The window's edges fall on odd seconds: label only the round minutes between them.
          showMinLabel: false,
          showMaxLabel: false,
        },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        min: 0,
        // Two steps: the chart shares its page with two panels and is only a few lines of text tall.
        splitNumber: 2,
        axisLabel: { color: '#9fb4c8', fontSize: font, formatter: (v: number) => formatInt(v) },
        splitLine: { lineStyle: { color: '#1b2b3c' } },
      },
      series: [
        {
          id: 'rate',
          type: 'line',
          showSymbol: false,
          sampling: 'lttb',
          lineStyle: { color: '#4fc3f7', width: Math.max(1.5, 2 * scale) },
          areaStyle: {
            color: new echarts.graphic.LinearGradient(0, 0, 0, 1, [
              { offset: 0, color: 'rgba(79,195,247,0.45)' },
              { offset: 1, color: 'rgba(79,195,247,0.02)' },
            ]),
          },
          data: [],
        },
      ],
    });

    let shownVersion = -1;
    let shownTop: number | null = null;
    const update = () => {
      if (store.rateVersion === shownVersion) return;
      shownVersion = store.rateVersion;
      const points = store.rate.toPoints();
      const values = points.map((p) => p[1]);
      const top = robustAxisMax(values);
      // Missing seconds (a restart) stay a gap in the line.
      const data = withGaps(points);
      if (top === shownTop) {
        chart.setOption({ series: [{ id: 'rate', data }] });
      } else {
        shownTop = top;
        chart.setOption({ yAxis: { max: top ?? null }, series: [{ id: 'rate', data }] });
      }
      el.dataset.points = String(points.length);
      const peakEl = peakRef.current;
      if (peakEl) {
        let peak: [number, number] | undefined;
        for (const p of points) if (!peak || p[1] > peak[1]) peak = p;
        // Only worth a line when the burst is clipped off the chart.
        peakEl.textContent = top !== null && peak ? `Đỉnh ${formatInt(peak[1])} tin/giây lúc ${formatHourMinute(peak[0])}` : '';
      }
    };
    const unsubscribe = (calm ?? store).subscribe(update);
    update();

    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      unsubscribe();
      chart.dispose();
    };
  }, [store, calm, scale]);

  return (
    <div className="rate-chart-box">
      <div ref={ref} className="rate-chart" data-testid="rate-chart" />
      <div ref={peakRef} className="rate-peak" aria-live="off" />
    </div>
  );
}
