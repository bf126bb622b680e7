import { useEffect, useState } from 'react';
import { formatDate, formatTime } from './format';

/** Wall clock in UTC+7, whatever the time zone of the machine driving the screen. */
export function Clock({ showDate = true }: { showDate?: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    // Tick on the second boundary so the seconds never visibly skip.
    const tick = () => {
      const t = Date.now();
      setNow(t);
      timer = setTimeout(tick, 1000 - (t % 1000) + 5);
    };
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="clock" data-testid="clock">
      <div className="clock-time">{formatTime(now)}</div>
      {showDate && <div className="clock-date">{formatDate(now)} · GMT+7</div>}
    </div>
  );
}
