/**
 * Alarm health (issue 5 item 9): alarms raised per hour over 24 h, the median time to acknowledge, and the
 * alarms standing longer than a shift. Arrives with the console frames about every 5 s.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { AlarmHealth } from '../../shared/alarms';
import { formatDuration, formatAgo } from '../alarms/labels';
import { SeverityBadge } from '../alarms/SeverityBadge';
import { selectEscalated, selectHealth, selectUnacknowledged, useAlarms } from '../alarms/useAlarms';
import { formatHourMinute, formatInt } from '../ui/format';
import { UI_FONT } from '../ui/theme';

echarts.use([BarChart, GridComponent, CanvasRenderer]);

const hourLabel = (t: number): string => formatHourMinute(t).slice(0, 2) + 'h';

function PerHourChart({ perHour }: { perHour: AlarmHealth['perHour'] }) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: UI_FONT },
      grid: { left: 8, right: 8, top: 18, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      xAxis: {
        type: 'category',
        data: [],
        axisLine: { lineStyle: { color: '#3a5068' } },
        axisTick: { show: false },
        axisLabel: { color: '#9fb4c8', fontSize: 12, interval: 2 },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        splitNumber: 3,
        axisLabel: { color: '#9fb4c8', fontSize: 12, formatter: (v: number) => formatInt(v) },
        splitLine: { lineStyle: { color: '#1b2b3c' } },
      },
      series: [
        {
          type: 'bar',
          data: [],
          barCategoryGap: '25%',
          itemStyle: { color: '#7fd0ff' },
          label: { show: true, position: 'top', color: '#c9d6e3', fontSize: 11, formatter: (p: { value: number }) => (p.value > 0 ? formatInt(p.value) : '') },
        },
      ],
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);
  useEffect(() => {
    // Only the changed data: the axes and styles were set once (STYLE.md 13).
    chartRef.current?.setOption({
      xAxis: { data: perHour.map((b) => hourLabel(b.hourStart)) },
      // The current hour is partial: drawn lighter so it is not read as a drop.
      series: [{ data: perHour.map((b, k) => ({ value: b.raised, itemStyle: k === perHour.length - 1 ? { color: '#3f6f8f' } : undefined })) }],
    });
  }, [perHour]);
  return <div className="health-chart" ref={ref} role="img" aria-label="Số cảnh báo phát sinh mỗi giờ, 24 giờ qua" data-testid="health-chart" />;
}

export function HealthPanel({ now }: { now: number }) {
  const h = useAlarms(selectHealth);
  const unacked = useAlarms(selectUnacknowledged);
  const escalated = useAlarms(selectEscalated);
  if (!h) {
    return (
      <section className="health-panel" data-testid="console-health">
        <h2>Sức khỏe cảnh báo · 24 giờ</h2>
        <p className="muted">Đang tải…</p>
      </section>
    );
  }
  const shiftH = Math.round(h.standing.shiftMs / 3_600_000);
  return (
    <section className="health-panel" data-testid="console-health" aria-labelledby="health-title">
      <h2 id="health-title">Sức khỏe cảnh báo · 24 giờ</h2>
      <div className="health-kpis">
        <div className="hk">
          <div className="hk-label">Phát sinh</div>
          <div className="hk-value" data-testid="health-raised">{formatInt(h.raisedTotal)}</div>
        </div>
        <div className="hk">
          <div className="hk-label">Trung vị thời gian xác nhận</div>
          <div className="hk-value" data-testid="health-median-ack">{h.medianAckMs === null ? '—' : formatDuration(h.medianAckMs)}</div>
          <div className="hk-sub">{formatInt(h.acknowledged24h)} đã xác nhận</div>
        </div>
        <div className={`hk ${unacked > 0 ? 'hk-bad' : ''}`}>
          <div className="hk-label">Chưa xác nhận (đang mở)</div>
          <div className="hk-value" data-testid="health-unacked">{formatInt(unacked)}</div>
          <div className="hk-sub" data-testid="health-escalated">{formatInt(escalated)} đã leo thang</div>
        </div>
        <div className={`hk ${h.standing.total > 0 ? 'hk-bad' : ''}`}>
          <div className="hk-label">Tồn quá một ca ({shiftH} giờ)</div>
          <div className="hk-value" data-testid="health-standing">{formatInt(h.standing.total)}</div>
        </div>
      </div>
      <PerHourChart perHour={h.perHour} />
      {h.standing.oldest.length > 0 && (
        <ol className="standing-list" aria-label="Cảnh báo tồn lâu nhất">
          {h.standing.oldest.slice(0, 3).map((a) => (
            <li key={a.id}>
              <SeverityBadge severity={a.severity} compact />
              <span className="standing-title">
                #{a.id} {a.title}
              </span>
              <span className="muted">{formatAgo(now - a.raisedAt)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
