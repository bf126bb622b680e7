/**
 * A station's detail card: its live state (from the store) and 24 h charts (fetched once from the
 * stored readings, in minute buckets, when the card opens). Opened by clicking the station on the map or Enter on it in a
 * panel; closed with Esc or its button. While it is open the kiosk does not rotate.
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { DEVICE_TYPE_LABELS } from '../../shared/devices';
import type { StationDerived } from '../../shared/environment';
import type { BucketedReadingsResponse } from '../../shared/requests';
import { fetchBucketedReadings } from '../net/api';
import { subscribeClock, viewedAt } from '../store/clock';
import { useLive } from '../store/useLive';
import type { LiveStore } from '../store/liveStore';
import { formatTime } from '../ui/format';
import { selectProvince, selectRegistry } from '../ui/selectors';
import { HistoryChart } from './charts/HistoryChart';
import { chartsFor } from './stationCharts';
import { DerivedSummary } from './StationSummary';
import { useWallUi, useWallUiStore } from './useWallUi';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: BucketedReadingsResponse };

export function StationCard({ scale }: { scale: number }) {
  const ui = useWallUiStore();
  const i = useWallUi((u) => u.selected);
  if (i === null) return null;
  return <Card key={i} i={i} scale={scale} onClose={() => ui.select(null)} />;
}

function Card({ i, scale, onClose }: { i: number; scale: number; onClose: () => void }) {
  const registry = useLive(selectRegistry);
  const selectX = useMemo(() => (s: LiveStore): StationDerived | undefined => s.env.derived[i], [i]);
  const x = useLive(selectX);
  const selectOn = useMemo(() => (s: LiveStore) => s.on[i] === 1, [i]);
  const online = useLive(selectOn);
  const dev = registry?.devices[i];
  const province = useLive(selectProvince);
  // The card covers one side of the map: the other side from the station, whose ring stays in sight.
  const side = province && dev && dev.lon > (province.bbox[0] + province.bbox[2]) / 2 ? 'left' : 'right';
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  // In the past (the time machine) the charts end at the instant shown, not now.
  const past = useSyncExternalStore(subscribeClock, viewedAt);

  useEffect(() => {
    if (!dev) return;
    const abort = new AbortController();
    fetchBucketedReadings(dev.id, '1m', abort.signal, past ?? undefined)
      .then((data) => setLoad({ state: 'ok', data }))
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setLoad({ state: 'error', message: String(e) });
      });
    return () => abort.abort();
  }, [dev, past]);

  // Limit lines come from the live state; keep them stable so the charts are not rebuilt every frame.
  const xKey = x
    ? JSON.stringify(x.kind === 'water' ? x.params : x.kind === 'hydro' ? x.bd : x.kind === 'reservoir' ? [x.normalLevel, x.limitNow] : x.kind)
    : '';
  const charts = useMemo(
    () => (dev && load.state === 'ok' ? chartsFor(dev, load.data, x) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- xKey stands for the parts of x the charts use
    [dev, load, xKey],
  );

  if (!dev) return null;
  return (
    <div className={`station-card on-${side}`} role="dialog" aria-modal="false" aria-labelledby="card-title" data-testid="station-card">
      <header>
        <div>
          <div className="card-kicker">{DEVICE_TYPE_LABELS[dev.type]}</div>
          <h2 id="card-title">{dev.name}</h2>
          <div className="card-meta">
            {online ? 'Trực tuyến' : 'Mất kết nối'} · mã {dev.id}
          </div>
        </div>
        <button type="button" className="card-close" onClick={onClose} autoFocus>
          Đóng <kbd>Esc</kbd>
        </button>
      </header>
      <DerivedSummary x={x} online={online} />
      <div className="card-charts">
        {load.state === 'loading' && <p className="empty">Đang tải số liệu 24 giờ…</p>}
        {load.state === 'error' && <p className="empty bad">Không tải được số liệu 24 giờ ({load.message}).</p>}
        {load.state === 'ok' && charts.length === 0 && <p className="empty">Trạm chưa có số liệu trong 24 giờ qua.</p>}
        {load.state === 'ok' &&
          charts.map((c) => <HistoryChart key={c.key} title={c.title} points={c.points} limits={c.limits} bars={c.bars} color={c.color} scale={scale} to={load.data.to} />)}
      </div>
      {load.state === 'ok' && <p className="footnote">Trung bình mỗi phút từ dữ liệu đã lưu, đến {formatTime(load.data.to)}</p>}
    </div>
  );
}
