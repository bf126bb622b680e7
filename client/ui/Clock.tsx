import { useEffect, useState, useSyncExternalStore } from 'react';
import { appNow, clockInfo, subscribeClock, viewedAt } from '../store/clock';
import { screenBeat } from './beat';
import { formatDate, formatTime } from './format';

/**
 * Wall clock in UTC+7, whatever the time zone of the machine driving the screen. In a rehearsal it shows
 * the scenario's simulated time under a DIỄN TẬP badge with the speed, so nobody takes it for real. When
 * the wall's time machine shows the past, it stops and shows that instant, amber, under a XEM LẠI badge.
 */
export function Clock({ showDate = true }: { showDate?: boolean }) {
  const info = useSyncExternalStore(subscribeClock, clockInfo);
  const past = useSyncExternalStore(subscribeClock, viewedAt);
  const [now, setNow] = useState(() => appNow());
  const rehearsal = info.mode === 'rehearsal';
  useEffect(() => {
    // Live: on the screen's beat, once a second with the blinks and the calm panels (client/ui/beat.ts), so
    // the seconds never skip and the wall changes in one frame. A rehearsal's seconds fly: four times a second.
    if (!rehearsal) return screenBeat.subscribe(() => setNow(appNow()));
    const timer = setInterval(() => setNow(appNow()), 250);
    return () => clearInterval(timer);
  }, [rehearsal]);
  if (past !== null) {
    return (
      <div className="clock is-past" data-testid="clock" data-mode="past" data-at={past}>
        <div className="past-badge" title="Xem lại: thời điểm trong quá khứ, không phải bây giờ">
          XEM LẠI
        </div>
        <div className="clock-time">{formatTime(past)}</div>
        {showDate && <div className="clock-date">{formatDate(past)} · GMT+7 · thời điểm xem lại</div>}
      </div>
    );
  }
  return (
    <div className={`clock${rehearsal ? ' is-rehearsal' : ''}`} data-testid="clock" data-mode={info.mode}>
      {rehearsal && (
        <div className="rehearsal-badge" data-testid="rehearsal-badge" title="Diễn tập: thời gian mô phỏng, không phải thời gian thực">
          DIỄN TẬP · {formatSpeed(info.speed)}
          {info.scenario ? ` · ${SCENARIO_VI[info.scenario] ?? info.scenario}` : ''}
        </div>
      )}
      <div className="clock-time">{formatTime(now)}</div>
      {showDate && <div className="clock-date">{formatDate(now)} · GMT+7{rehearsal ? ' · giờ mô phỏng' : ''}</div>}
    </div>
  );
}

const SCENARIO_VI: Record<string, string> = {
  'normal-day': 'ngày thường',
  flood: 'lũ',
  'flash-flood': 'lũ quét, sạt lở',
  'dry-season': 'mùa khô, cháy rừng',
  pollution: 'ô nhiễm',
  'rush-hour-crash': 'tai nạn giờ cao điểm',
  faults: 'sự cố thiết bị',
};

function formatSpeed(speed: number): string {
  return `×${speed.toLocaleString('vi-VN', { maximumFractionDigits: 1 })}`;
}
