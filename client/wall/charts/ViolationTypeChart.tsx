/** Today's violations by type, as horizontal bars with their counts, largest first. */
import { useEffect, useRef } from 'react';
import { VIOLATION_TYPES } from '../../../shared/mqtt';
import { VIOLATION_LABEL_VI } from '../../../shared/traffic';
import { useLiveStore } from '../../store/useLive';
import { formatInt } from '../../ui/format';
import { axisStyle, chartFont, mountChart } from './mountChart';

export function ViolationTypeChart({ scale }: { scale: number }) {
  const store = useLiveStore();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const font = chartFont(scale) + 1;
    const ax = axisStyle(font);
    return mountChart(el, store, {
      option: {
        grid: { left: font * 0.3, right: font * 3, top: 0, bottom: 0, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        xAxis: { type: 'value', show: false, min: 0 },
        yAxis: {
          type: 'category',
          inverse: true,
          ...ax,
          axisLine: { show: false },
          axisLabel: { ...ax.axisLabel, color: '#e8eef5', fontSize: font },
          data: [],
        },
        series: [
          {
            id: 'byType',
            type: 'bar',
            barWidth: '62%',
            itemStyle: { color: '#ff40c8', borderRadius: [0, 3, 3, 0] },
            label: { show: true, position: 'right', color: '#e8eef5', fontSize: font, fontWeight: 700, formatter: (p: { value: number }) => formatInt(p.value) },
            data: [],
          },
        ],
      },
      version: (s) => s.traffic.feedVersion,
      update: (chart, s) => {
        const byType = s.traffic.summary?.byType;
        const rows = VIOLATION_TYPES.map((t) => ({ t, n: byType?.[t] ?? 0 })).sort((a, b) => b.n - a.n);
        chart.setOption({ yAxis: { data: rows.map((r) => VIOLATION_LABEL_VI[r.t]) }, series: [{ id: 'byType', data: rows.map((r) => r.n) }] });
        el.dataset.total = String(s.traffic.summary?.total ?? 0);
      },
    });
  }, [store, scale]);
  return <div ref={ref} className="chart-box" data-testid="violation-type-chart" role="img" aria-label="Vi phạm hôm nay theo loại" />;
}
