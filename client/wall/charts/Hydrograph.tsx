/**
 * One river gauge's last 24 hours (10-minute means, continued live) against its alarm levels: BĐ I, II
 * and III drawn as labelled lines in the stage colours, and ahead of now the latest forecast (issue 17) as a
 * dashed line with its prediction band, when it was made and its recent error. Redrawn only when this gauge's
 * series or forecast changed.
 */
import { useEffect, useRef } from 'react';
import { useLiveStore } from '../../store/useLive';
import { FLOOD_STAGE, STAGE_SHORT } from '../../map/envStyles';
import { formatHourMinute } from '../../ui/format';
import { axisStyle, chartFont, mountChart } from './mountChart';
import { appNow } from '../../store/clock';
import { HYDRO_BUCKET_MS } from '../../store/hydroSeries';
import { withGaps } from '../../store/rateRing';
import type { HydroForecast } from '../../../shared/forecast';

const dec1 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const dec2 = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 2 });

export function Hydrograph({ i, bd, scale }: { i: number; bd: readonly [number, number, number]; scale: number }) {
  const store = useLiveStore();
  const ref = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLDivElement>(null);
  const forecastRef = useRef<HTMLDivElement>(null);
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
          // The prediction band: its lower edge (invisible) with the band's height stacked on it.
          { id: 'band-low', type: 'line', stack: 'band', showSymbol: false, silent: true, lineStyle: { opacity: 0 }, data: [] },
          {
            id: 'band',
            type: 'line',
            stack: 'band',
            showSymbol: false,
            silent: true,
            lineStyle: { opacity: 0 },
            areaStyle: { color: 'rgba(255,209,102,0.22)' },
            data: [],
          },
          {
            id: 'forecast',
            type: 'line',
            showSymbol: false,
            silent: true,
            lineStyle: { color: '#ffd166', width: Math.max(2, 2.2 * scale), type: [6 * scale, 4 * scale] },
            data: [],
          },
        ],
      },
      version: (s) => `${s.env.hydro.get(i)?.rev ?? -1}:${s.env.forecastRev.get(i) ?? 0}`,
      update: (chart, s) => {
        const points = s.env.hydro.get(i)?.points() ?? [];
        const f = s.env.forecasts.get(i);
        const fc = forecastSeries(f);
        let lo = bd1;
        let hi = bd3;
        for (const [, v] of points) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        for (const [, v] of fc.line) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        for (const [k, [, v]] of fc.low.entries()) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v + fc.band[k]![1]);
        }
        const pad = (hi - lo) * 0.08 || 0.5;
        const now = points.length > 0 ? points[points.length - 1]![0] : appNow();
        const end = fc.line.length > 0 ? Math.max(now, fc.line[fc.line.length - 1]![0]) : now;
        chart.setOption({
          xAxis: { min: end - 24 * 3_600_000, max: end },
          yAxis: { min: Math.floor((lo - pad) * 10) / 10, max: Math.ceil((hi + pad) * 10) / 10 },
          series: [
            // Two missing 10-minute buckets or more (the gauge or the server was down) break the line.
            { id: 'level', data: withGaps(points, (2 * HYDRO_BUCKET_MS) / 1000) },
            { id: 'band-low', data: fc.low },
            { id: 'band', data: fc.band },
            { id: 'forecast', data: fc.line, lineStyle: { opacity: fc.learning ? 0.45 : 1 } },
          ],
        });
        el.dataset.points = String(points.length);
        el.dataset.forecastPoints = String(fc.line.length);
        el.dataset.bandPoints = String(fc.band.length);
        // One point draws no line: say so rather than show an empty chart as if all were well.
        if (noteRef.current) noteRef.current.textContent = points.length < 2 ? 'Chưa có số liệu 24 giờ qua' : '';
        if (forecastRef.current) forecastRef.current.textContent = forecastNote(f);
      },
    });
  }, [store, i, bd1, bd2, bd3, scale]);

  return (
    <div className="hydrograph-box">
      <div ref={ref} className="hydrograph" data-testid="hydrograph" data-bd={`${bd1},${bd2},${bd3}`} />
      <div ref={noteRef} className="chart-note" aria-live="off" />
      <div ref={forecastRef} className="forecast-note" data-testid="forecast-note" aria-live="off" />
    </div>
  );
}

type Pt = [number, number];

/** The forecast line from the level at issue through each lead, and the band as (low, high − low) pairs. */
export function forecastSeries(f: HydroForecast | undefined): { line: Pt[]; low: Pt[]; band: Pt[]; learning: boolean } {
  if (!f || f.leads.length === 0) return { line: [], low: [], band: [], learning: false };
  const line: Pt[] = [[f.issuedAt, f.level], ...f.leads.map((l): Pt => [l.at, l.level])];
  const low: Pt[] = [];
  const band: Pt[] = [];
  for (const l of f.leads) {
    if (l.low === undefined || l.high === undefined) continue;
    low.push([l.at, l.low]);
    band.push([l.at, Math.max(0, l.high - l.low)]);
  }
  // The band starts at the observed level: no spread at issue time.
  if (band.length > 0) {
    low.unshift([f.issuedAt, f.level]);
    band.unshift([f.issuedAt, 0]);
  }
  return { line, low, band, learning: f.leads.every((l) => l.warmingUp) };
}

/** "Dự báo lúc 14:00 · sai số 6 giờ qua ±12 cm (3 giờ tới)", or why there is none yet. */
export function forecastNote(f: HydroForecast | undefined): string {
  if (!f || f.leads.length === 0) return '';
  const made = `Dự báo lúc ${formatHourMinute(f.issuedAt)}`;
  if (f.leads.every((l) => l.warmingUp)) return `${made} · mô hình đang học, chưa dùng để cảnh báo`;
  const scored = f.skill.filter((k) => k.mae !== null && k.n > 0);
  const pick = scored.find((k) => k.h === 3) ?? scored[scored.length - 1];
  if (!pick) return `${made} · chưa đủ dự báo đã kiểm chứng để tính sai số`;
  return `${made} · sai số 6 giờ qua ±${Math.round(pick.mae! * 100)} cm (${pick.h} giờ tới)`;
}
