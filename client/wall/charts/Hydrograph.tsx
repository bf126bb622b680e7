/**
 * One river gauge's last 24 hours (10-minute means, continued live) against its alarm levels: BĐ I, II
 * and III drawn as labelled lines in the stage colours. Redrawn only when this gauge's series changed.
 */
import { useEffect, useRef } from 'react';
import { useLiveStore } from '../../store/useLive';
import { FLOOD_STAGE, STAGE_SHORT } from '../../map/envStyles';
import { formatHourMinute } from '../../ui/format';
import { axisStyle, chartFont, mountChart } from './mountChart';
import { appNow } from '../../store/clock';

const dec1 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const dec2 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 2 });

export function Hydrograph({ i, bd, scale }: { i: number; bd: readonly [number, number, number]; scale: number }) {
  const store = useLiveStore();
  const ref = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLDivElement>(null);
  const [bd1, bd2, bd3] = bd;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const font = chartFont(scale) - 1;
    const ax = axisStyle(font);
    const lines = [bd1, bd2, bd3].map((y, k) => ({
      yAxis: y,
      lineStyle: { color: FLOOD_STAGE[k + 1]!.hex, width: Math.max(1.5, 1.6 * scale), type: k === 2 ? 'solid' : 'dashed' },
      label: {
        formatter: `${STAGE_SHORT[k + 1]} ${dec2.format(y)}`,
        // BĐ II's label mid-line: where the three levels lie close (a high mountain gauge, a short card)
        // three labels stacked at the left edge would overlap; I and III are twice as far apart.
        position: k === 1 ? 'insideMiddleTop' : 'insideStartTop',
        color: FLOOD_STAGE[k + 1]!.hex,
        fontSize: font + 1,
        fontWeight: 700,
        distance: Math.round(4 * scale),
      },
    }));
    return mountChart(el, store, {
      // A few hundred points: SVG costs nothing here, stays sharp on a 4K wall, and puts the alarm-line
      // and axis labels in the DOM, where the wall test checks that nothing covers or clips them.
      renderer: 'svg',
      option: {
        grid: {
          left: font * 0.4,
          right: font * 0.6,
          // Room above the plot for the BĐ III label, which sits above its line when the line is the top of
          // the range; below it, for the descent of the time labels, which ECharts' own bounds leave out.
          top: Math.ceil((font + 1) * 1.2 + 2 * scale),
          bottom: Math.ceil(font * 0.5),
          outerBoundsMode: 'same',
          outerBoundsContain: 'axisLabel',
        },
        xAxis: {
          type: 'time',
          ...ax,
          splitLine: { show: false },
          splitNumber: 4,
          axisLabel: { ...ax.axisLabel, formatter: (v: number) => formatHourMinute(v), hideOverlap: true, showMinLabel: false, showMaxLabel: false },
        },
        yAxis: {
          type: 'value',
          ...ax,
          splitNumber: 3,
          scale: true,
          // The range is fitted to the data and the alarm lines: its odd ends would crowd the round labels.
          axisLabel: { ...ax.axisLabel, formatter: (v: number) => dec1.format(v), showMinLabel: false, showMaxLabel: false },
        },
        series: [
          {
            id: 'level',
            type: 'line',
            showSymbol: false,
            lineStyle: { color: '#e8f4ff', width: Math.max(2, 2.4 * scale) },
            areaStyle: { color: 'rgba(79,195,247,0.18)', origin: 'start' },
            markLine: { silent: true, symbol: 'none', data: lines },
            data: [],
          },
        ],
      },
      version: (s) => s.env.hydro.get(i)?.rev ?? -1,
      update: (chart, s) => {
        const points = s.env.hydro.get(i)?.points() ?? [];
        let lo = bd1;
        let hi = bd3;
        for (const [, v] of points) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        const pad = (hi - lo) * 0.08 || 0.5;
        const now = points.length > 0 ? points[points.length - 1]![0] : appNow();
        chart.setOption({
          xAxis: { min: now - 24 * 3_600_000, max: now },
          yAxis: { min: Math.floor((lo - pad) * 10) / 10, max: Math.ceil((hi + pad) * 10) / 10 },
          series: [{ id: 'level', data: points }],
        });
        el.dataset.points = String(points.length);
        // One point draws no line: say so rather than show an empty chart as if all were well.
        if (noteRef.current) noteRef.current.textContent = points.length < 2 ? 'Chưa có số liệu 24 giờ qua' : '';
      },
    });
  }, [store, i, bd1, bd2, bd3, scale]);

  return (
    <div className="hydrograph-box">
      <div ref={ref} className="hydrograph" data-testid="hydrograph" data-bd={`${bd1},${bd2},${bd3}`} />
      <div ref={noteRef} className="chart-note" aria-live="off" />
    </div>
  );
}
