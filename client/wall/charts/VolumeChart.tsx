/** Vehicles per hour on the province's highways over the last 24 hours (the server's 5-minute samples). */
import { useEffect, useRef } from 'react';
import { useLiveStore } from '../../store/useLive';
import { formatHourMinute, formatInt } from '../../ui/format';
import { axisStyle, chartFont, mountChart } from './mountChart';
import { appNow } from '../../store/clock';

const compact = new Intl.NumberFormat('vi-VN', { notation: 'compact', maximumFractionDigits: 1 });

export function VolumeChart({ scale }: { scale: number }) {
  const store = useLiveStore();
  const ref = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const font = chartFont(scale);
    const ax = axisStyle(font);
    return mountChart(el, store, {
      option: {
        grid: { left: font * 0.4, right: font * 1.2, top: font * 0.8, bottom: font * 0.2, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        xAxis: {
          type: 'time',
          ...ax,
          splitLine: { show: false },
          splitNumber: 6,
          axisLabel: { ...ax.axisLabel, formatter: (v: number) => formatHourMinute(v), hideOverlap: true },
        },
        yAxis: { type: 'value', min: 0, splitNumber: 3, ...ax, axisLabel: { ...ax.axisLabel, formatter: (v: number) => compact.format(v) } },
        series: [
          {
            id: 'volume',
            type: 'line',
            showSymbol: false,
            lineStyle: { color: '#f0a014', width: Math.max(2, 2.2 * scale) },
            areaStyle: { color: 'rgba(240,160,20,0.18)' },
            data: [],
          },
        ],
      },
      version: (s) => s.traffic.volumeVersion,
      update: (chart, s) => {
        const points = s.traffic.volume;
        const last = points[points.length - 1];
        const end = last ? last[0] : appNow();
        chart.setOption({ xAxis: { min: end - 24 * 3_600_000, max: end }, series: [{ id: 'volume', data: points }] });
        el.dataset.points = String(points.length);
        el.setAttribute('aria-label', last ? `Hiện tại ${formatInt(last[1])} xe/giờ` : 'Chưa có dữ liệu');
        if (noteRef.current) noteRef.current.textContent = points.length < 2 ? 'Đang chờ số liệu: mỗi 5 phút một mẫu lưu lượng' : '';
      },
    });
  }, [store, scale]);
  return (
    <div className="chart-box-wrap">
      <div ref={ref} className="chart-box" data-testid="volume-chart" role="img" />
      <div ref={noteRef} className="chart-note" aria-live="off" />
    </div>
  );
}
