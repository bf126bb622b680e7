/**
 * The wall's time machine on screen: a strip under the header, across the whole width so that it covers no
 * part of the map. In the past an amber banner says, in words, that the wall shows the past and which
 * instant; the bar under it is the slider over the last 24 h (server time), the speeds and the keys.
 * It only reads the time machine and the stores, and calls the time machine's methods.
 */
import { useEffect, useState, type ChangeEvent } from 'react';
import { serverNow } from '../store/clock';
import { TIME_RANGE_MS, TIME_SPEEDS, type TimeTravel } from '../store/timeTravel';
import { useLive } from '../store/useLive';
import { useTimeTravel, useTimeTravelStore } from '../store/useTimeTravel';
import { formatHourMinute, formatInstant } from '../ui/format';
import { TIME_KEY_HELP } from './timeKeys';

const HOUR_MS = 3_600_000;

/** Hour marks along the slider: every `everyH` hours of UTC+7 inside [from, to], as fractions of the range. */
export function hourTicks(from: number, to: number, everyH = 3): { at: number; x: number }[] {
  const out: { at: number; x: number }[] = [];
  const step = everyH * HOUR_MS;
  // UTC+7 has whole hours: a mark on a multiple of `everyH` local hours.
  const offset = 7 * HOUR_MS;
  let t = Math.ceil((from + offset) / step) * step - offset;
  for (; t <= to; t += step) out.push({ at: t, x: (t - from) / (to - from) });
  return out;
}

export const speedLabel = (s: number): string => `×${s.toLocaleString('vi-VN')}`;

const selectHistoricAt = (s: { historicAt: number | null }) => s.historicAt;
const selectHistoricAlarms = (s: { historicAlarms: boolean }) => s.historicAlarms;

/** Re-renders every second (the range's end follows the server's clock). */
function useTick(ms = 1_000): void {
  const [, set] = useState(0);
  useEffect(() => {
    const t = setInterval(() => set((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}

function PastBanner({ tt }: { tt: TimeTravel }) {
  const live = useTimeTravel((t) => t.live);
  const shownAt = useTimeTravel((t) => t.shownAt);
  const target = useTimeTravel((t) => t.target);
  const playing = useTimeTravel((t) => t.playing);
  const speed = useTimeTravel((t) => t.speed);
  const loading = useTimeTravel((t) => t.loading);
  const error = useTimeTravel((t) => t.error);
  const historicAt = useLive(selectHistoricAt);
  if (live) {
    // The store still holds the past until the live snapshot answers the resubscribe.
    if (historicAt === null) return null;
    return (
      <div className="past-banner is-returning" role="status" data-testid="past-banner" data-state="returning">
        ĐANG VỀ TRỰC TIẾP…
      </div>
    );
  }
  const at = shownAt ?? historicAt;
  return (
    <div className="past-banner" role="alert" data-testid="past-banner" data-state={playing ? 'playing' : 'paused'} data-at={at ?? ''}>
      <span className="past-title">ĐANG XEM LẠI</span>
      <span className="past-sep"> · </span>
      <span className="past-at" data-testid="past-at">
        {at !== null ? formatInstant(at) : `${formatInstant(target ?? 0)} (đang tải…)`}
      </span>
      <span className="past-sep"> · </span>
      <span className="past-play">{playing ? `▶ ${speedLabel(speed)}` : '❚❚ tạm dừng'}</span>
      {loading && at !== null && <span className="past-loading"> · đang tải {formatHourMinute(target ?? at)}…</span>}
      <span className="past-hint">
        {' '}
        — nhấn <kbd>L</kbd> để về trực tiếp
      </span>
      {error && (
        <span className="past-error" data-testid="past-error">
          {' '}
          · Lỗi tải dữ liệu: {error}
        </span>
      )}
      <button type="button" className="past-live" onClick={() => tt.goLive()}>
        Về trực tiếp
      </button>
    </div>
  );
}

function TimeBar({ tt }: { tt: TimeTravel }) {
  useTick();
  const live = useTimeTravel((t) => t.live);
  const target = useTimeTravel((t) => t.target);
  const playing = useTimeTravel((t) => t.playing);
  const speedIndex = useTimeTravel((t) => t.speedIndex);
  const historicAlarms = useLive(selectHistoricAlarms);
  const to = serverNow();
  const from = to - TIME_RANGE_MS;
  const value = target ?? to;
  const onSlide = (e: ChangeEvent<HTMLInputElement>) => tt.seek(Number(e.target.value));
  return (
    <div className="time-bar" data-testid="time-bar" data-live={live ? '1' : '0'}>
      <div className="time-controls">
        <button type="button" className="time-play" disabled={live} onClick={() => tt.togglePlay()} aria-label={playing ? 'Tạm dừng' : 'Phát'}>
          {playing ? '❚❚' : '▶'}
        </button>
        <div className="time-speeds" role="group" aria-label="Tốc độ (+ −)">
          {TIME_SPEEDS.map((s, k) => (
            <span key={s} className={k === speedIndex ? 'on' : ''} data-speed={s}>
              {speedLabel(s)}
            </span>
          ))}
        </div>
      </div>
      <div className="time-track">
        <input
          type="range"
          className="time-slider"
          data-testid="time-slider"
          min={from}
          max={to}
          // No step grid: the range's ends move with the server's clock, and a grid moving with them would
          // snap the thumb (and re-seek) on every render.
          step="any"
          value={value}
          onChange={onSlide}
          aria-label="Thời điểm xem lại"
          aria-valuetext={live ? 'Trực tiếp' : formatInstant(value)}
        />
        <div className="time-ticks" aria-hidden="true">
          {hourTicks(from, to)
            // Clear of the "Bây giờ" mark at the end and of the slider's start.
            .filter((t) => t.x > 0.03 && t.x < 0.88)
            .map((t) => (
              <span key={t.at} style={{ left: `${t.x * 100}%` }}>
                {formatHourMinute(t.at)}
              </span>
            ))}
          <span className="time-now" style={{ left: '100%' }}>
            Bây giờ
          </span>
        </div>
      </div>
      <div className="time-help">
        {TIME_KEY_HELP.map((h) => (
          <span key={h.labelVi}>
            {h.keys.map((k) => (
              <kbd key={k}>{k}</kbd>
            ))}{' '}
            {h.labelVi}
          </span>
        ))}
        {!live && (
          <span className="time-note" data-testid="time-note">
            {historicAlarms ? 'Cảnh báo: những cảnh báo đang mở lúc đó.' : 'Bản ghi không có cảnh báo: danh sách cảnh báo không phải của lúc đó.'} Giao thông, vi phạm, lưu lượng tin: không lưu nên không xem lại.
          </span>
        )}
      </div>
    </div>
  );
}

export function TimeMachineStrip() {
  const tt = useTimeTravelStore();
  const barOpen = useTimeTravel((t) => t.barOpen);
  const live = useTimeTravel((t) => t.live);
  const historicAt = useLive(selectHistoricAt);
  if (!barOpen && live && historicAt === null) return null;
  return (
    <div className={`time-machine${live ? '' : ' is-past'}`} data-testid="time-machine">
      <PastBanner tt={tt} />
      {(barOpen || !live) && <TimeBar tt={tt} />}
    </div>
  );
}
