/**
 * The phone's "24 giờ qua": how many alarms were raised and how many are handled, the worst of them, and how
 * high each river got, from the stored history (not the live socket), refreshed every five minutes.
 */
import { useEffect, useState } from 'react';
import { SEVERITY_LABELS } from '../../shared/alarms';
import { fetchAlarms } from '../net/alarmActions';
import { fetchBucketedReadings } from '../net/api';
import { placeOf, useCommunes } from '../alarms/places';
import { SEVERITY_ICONS } from '../alarms/labels';
import { FLOOD_STAGE, STAGE_SHORT } from '../map/envStyles';
import { useLive } from '../store/useLive';
import { formatLevel } from '../ui/envFormat';
import { formatHourMinute, formatInt } from '../ui/format';
import { selectFrameAt, selectRegistry } from '../ui/selectors';
import { ALARM_LIMIT, REFRESH_MS, WINDOW_MS, orderPeaks, riverPeak, summarizeAlarms, yesterdaySuffix, type AlarmDay, type RiverPeak } from './last24h';

interface Day {
  alarms: AlarmDay;
  rivers: RiverPeak[];
  gauges: number;
  at: number;
}

export function Last24hCard() {
  const registry = useLive(selectRegistry);
  const frameAt = useLive(selectFrameAt);
  const communes = useCommunes();
  const [day, setDay] = useState<Day | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One fetch per five minutes of server time (the frames carry it; a rehearsal runs faster).
  const slot = frameAt === null ? null : Math.floor(frameAt / REFRESH_MS);

  useEffect(() => {
    if (slot === null || !registry) return;
    const to = frameAt!;
    const ac = new AbortController();
    const gauges = registry.devices.filter((d) => d.type === 'hydro');
    Promise.all([
      fetchAlarms({ from: to - WINDOW_MS, to, limit: ALARM_LIMIT }, ac.signal),
      // A gauge the account may not read (a commune-scoped leader) or one that fails is left out, not the card.
      Promise.allSettled(gauges.map((g) => fetchBucketedReadings(g.id, '1h', ac.signal).then((h) => riverPeak(g, h)))),
    ]).then(
      ([page, settled]) => {
        const peaks = settled.flatMap((r) => (r.status === 'fulfilled' && r.value !== null ? [r.value] : []));
        setDay({ alarms: summarizeAlarms(page.items, page.total), rivers: orderPeaks(peaks), gauges: gauges.length, at: to });
        setError(null);
      },
      (e: unknown) => {
        if (!ac.signal.aborted) setError(String(e));
      },
    );
    return () => ac.abort();
    // frameAt changes every tick; the slot is what decides a refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [slot, registry]);

  return (
    <section className="m-section" aria-labelledby="m-day-title" data-testid="m-last24h">
      <h2 id="m-day-title">24 giờ qua</h2>
      {!day && !error && <p className="m-empty">Đang đọc lịch sử…</p>}
      {error && !day && <p className="m-empty">Không đọc được lịch sử: {error}</p>}
      {day && (
        <div className="m-env-grid">
          <article className="m-env-card" data-testid="m-day-alarms">
            <header>
              <h3>Cảnh báo phát sinh</h3>
              <span className="m-count-big">
                {day.alarms.atLeast ? '≥ ' : ''}
                {formatInt(day.alarms.total)}
              </span>
            </header>
            {day.alarms.total === 0 ? (
              <p className="m-empty ok">Không có cảnh báo nào trong 24 giờ qua.</p>
            ) : (
              <>
                <p className="m-item-sub">
                  {(['critical', 'major', 'warning'] as const)
                    .filter((s) => day.alarms.bySeverity[s] > 0)
                    .map((s) => `${formatInt(day.alarms.bySeverity[s])} ${SEVERITY_LABELS[s].toLowerCase()}`)
                    .join(' · ')}
                  {' · '}
                  <b>{formatInt(day.alarms.resolved)}</b> đã xử lý xong
                </p>
                <ul className="m-list">
                  {day.alarms.worst.map((a) => (
                    <li key={a.id}>
                      <span className={`m-day-sev m-day-sev-${a.severity}`} aria-label={SEVERITY_LABELS[a.severity]}>
                        {SEVERITY_ICONS[a.severity]}
                      </span>
                      <span className="m-item-main">
                        <span className="m-item-name">{a.title}</span>
                        <span className="m-item-sub">
                          {formatHourMinute(a.raisedAt)}
                          {yesterdaySuffix(a.raisedAt, day.at)} · {placeOf(a, registry?.devices, communes)}
                          {a.resolvedAt !== null ? ' · đã xử lý' : ''}
                        </span>
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </article>
          <article className="m-env-card" data-testid="m-day-rivers">
            <header>
              <h3>Đỉnh mực nước các sông</h3>
            </header>
            {day.rivers.length === 0 ? (
              <p className="m-empty">Chưa có số liệu mực nước trong 24 giờ qua.</p>
            ) : (
              <ul className="m-list">
                {day.rivers.slice(0, 5).map((r) => {
                  const sw = FLOOD_STAGE[r.stage]!;
                  return (
                    <li key={r.deviceId}>
                      <span className="m-stage" style={{ background: sw.hex, color: sw.textHex }}>
                        {r.stage > 0 ? STAGE_SHORT[r.stage] : 'Dưới BĐ I'}
                      </span>
                      <span className="m-item-main">
                        <span className="m-item-name">
                          {r.station}
                          {r.river && <span className="m-muted"> · sông {r.river}</span>}
                        </span>
                        <span className="m-item-sub">
                          đỉnh <b>{formatLevel(r.peak)}</b> trong giờ {formatHourMinute(r.at)}–{formatHourMinute(r.at + 3_600_000)}
                          {yesterdaySuffix(r.at, day.at)}
                          {r.stage === 0 && r.overBd1 !== null && <span className="m-muted"> · dưới BĐ I {formatLevel(-r.overBd1)}</span>}
                          {r.hours < 24 && <span className="m-muted"> · thiếu số liệu {24 - r.hours} giờ</span>}
                        </span>
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
            {day.rivers.length > 5 && <p className="m-muted">và {formatInt(day.rivers.length - 5)} trạm khác, đều thấp hơn</p>}
          </article>
          <p className="m-muted m-day-note">Từ kho lịch sử · đến {formatHourMinute(day.at)}</p>
        </div>
      )}
    </section>
  );
}
