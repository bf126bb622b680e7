/**
 * The wall's alarm panel (issue 5 item 6), rendered by the wall layout at the top of its right column.
 * By severity, then time; severity as colour + shape + word; escalation spelled out; a storm group is one
 * row with its member count. Shows as many rows as fit its region and says how many more there are.
 * Owns the wall's reaction to a new alarm (map focus, sound) through useWallAnnouncer.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { STATE_LABELS, type Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import type { LiveStore } from '../store/liveStore';
import { useLive } from '../store/useLive';
import { useBlink } from '../ui/blink';
import { formatHourMinute, formatInt } from '../ui/format';
import { alarmHeadline, escalationText, formatAgo } from './labels';
import { bySeverityThenTime, isUnacknowledged } from './order';
import { placeOf, useCommunes, type CommuneIndex } from './places';
import { SeverityBadge, SeverityCounts } from './SeverityBadge';
import { wallSound, type AlarmSound } from './sound';
import { sameCounts, selectAlarmList, selectAlarmsReady, selectCounts, selectOpenTotal, selectUnacknowledged, useAlarms } from './useAlarms';
import { FRESH_MS, useWallAnnouncer } from './useWallAnnouncer';

/** A new alarm row's ring blinks for this many beats (seconds: three blinks), then stays lit while the row is fresh. */
const FRESH_BLINK_BEATS = 6;
import { useNow } from './useNow';
import './alarms.css';
import './dialog.css';

const selectDevices = (s: LiveStore) => s.registry?.devices;

export function AlarmPanel({ sound = wallSound }: { sound?: AlarmSound }) {
  const list = useAlarms(selectAlarmList);
  const total = useAlarms(selectOpenTotal);
  const counts = useAlarms(selectCounts, sameCounts);
  const ready = useAlarms(selectAlarmsReady);
  const devices = useLive(selectDevices);
  const communes = useCommunes();
  const now = useNow(15_000);
  const { fresh, lastFocus } = useWallAnnouncer(sound);
  const sorted = useMemo(() => [...list].sort(bySeverityThenTime), [list]);
  const listRef = useRef<HTMLOListElement>(null);
  const fit = useFitRows(listRef);
  const shown = sorted.slice(0, fit);
  const hidden = total - shown.length;
  const unacked = useAlarms(selectUnacknowledged);
  // A new row's ring blinks for a few seconds after it came (one timer for the list: client/ui/blink.ts).
  let newest = -Infinity;
  for (const a of shown) newest = Math.max(newest, fresh.get(a.id) ?? -Infinity);
  useBlink(listRef, now - newest < FRESH_MS, { className: 'fresh-off', forBeats: FRESH_BLINK_BEATS, restartKey: newest });

  return (
    <section
      className="panel alarm-panel"
      aria-labelledby="alarm-panel-title"
      data-testid="alarm-panel"
      data-open-total={total}
      data-last-focus={lastFocus ?? ''}
    >
      <header className="alarm-panel-head">
        <h2 id="alarm-panel-title">
          Cảnh báo đang mở{ready && <span className="alarm-total"> · {formatInt(total)}</span>}
        </h2>
        <SoundControl sound={sound} />
      </header>
      <SeverityCounts counts={counts} className="alarm-panel-counts" />
      <ol className="alarm-list" ref={listRef} aria-live="polite">
        {!ready && <li className="alarm-empty muted">Đang tải cảnh báo…</li>}
        {ready && total === 0 && (
          <li className="alarm-empty alarm-all-clear" data-testid="alarm-all-clear">
            <span aria-hidden="true">✓</span> Không có cảnh báo đang mở
          </li>
        )}
        {shown.map((a) => (
          <WallAlarmRow key={a.id} alarm={a} now={now} devices={devices} communes={communes} fresh={now - (fresh.get(a.id) ?? -Infinity) < FRESH_MS} />
        ))}
      </ol>
      <footer className="alarm-panel-foot">
        {ready && total > 0 && (
          <>
            <span>
              Chưa xác nhận: <b data-testid="alarm-unacked">{formatInt(unacked)}</b>
            </span>
            {hidden > 0 && (
              <span className="alarm-more" data-testid="alarm-more">
                + {formatInt(hidden)} cảnh báo khác · xem tại bàn điều hành
              </span>
            )}
          </>
        )}
      </footer>
    </section>
  );
}

interface RowProps {
  alarm: Alarm;
  now: number;
  devices: readonly Device[] | undefined;
  communes: CommuneIndex | null;
  fresh: boolean;
}

function WallAlarmRow({ alarm: a, now, devices, communes, fresh }: RowProps) {
  const unacked = isUnacknowledged(a);
  return (
    <li
      className={`alarm-row sev-row-${a.severity} ${unacked ? 'is-unacked' : 'is-acked'} ${fresh ? 'is-fresh' : ''}`}
      data-testid="alarm-row"
      data-alarm-id={a.id}
      data-severity={a.severity}
      data-state={a.state}
    >
      <SeverityBadge severity={a.severity} />
      <div className="alarm-title" title={a.title}>
        {alarmHeadline(a)}
      </div>
      <div className="alarm-clock" title={formatAgo(now - a.raisedAt)}>
        {formatHourMinute(a.raisedAt)}
      </div>
      <div className="alarm-sub">
        {fresh && <span className="tag tag-new">MỚI</span>}
        {a.escalationLevel > 0 && (
          <span className="tag tag-escalated" data-testid="alarm-escalated">
            <span aria-hidden="true">↑ </span>
            {escalationText(a.escalationLevel)}
          </span>
        )}
        <span className="alarm-place">{placeOf(a, devices, communes)}</span>
      </div>
      <div className={`alarm-state state-${a.state}`}>{a.assignee ? `Giao: ${a.assignee}` : STATE_LABELS[a.state]}</div>
    </li>
  );
}

/** How many uniform rows fit the list's height; re-measured when the region resizes. */
function useFitRows(ref: React.RefObject<HTMLElement | null>): number {
  const [fit, setFit] = useState(6);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = (): void => {
      const row = el.querySelector<HTMLElement>('.alarm-row');
      const h = el.clientHeight;
      if (!row || h === 0) return;
      const gap = parseFloat(getComputedStyle(el).rowGap) || 0;
      setFit(Math.max(1, Math.floor((h + gap) / (row.offsetHeight + gap))));
    };
    // Measured only from ResizeObserver callbacks, which run after layout (reading sizes there is
    // free), watching the list and its first row. Measuring on each DOM change (a MutationObserver
    // runs before layout) forced a layout of the whole wall on every delta of an alarm storm.
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    let firstRow: Element | null = null;
    const watchFirstRow = (): void => {
      const row = el.querySelector('.alarm-row');
      if (row === firstRow) return;
      if (firstRow) ro.unobserve(firstRow);
      firstRow = row;
      if (row) ro.observe(row);
    };
    const mo = new MutationObserver(watchFirstRow);
    mo.observe(el, { childList: true });
    watchFirstRow();
    return () => {
      ro.disconnect();
      mo.disconnect();
    };
  }, [ref]);
  return fit;
}

/**
 * "Bấm để bật âm thanh cảnh báo" until the browser lets the page play sound; afterwards a small on/off
 * switch. Any click or key press anywhere on the wall also unlocks it.
 *
 * The prompt and the switch are one button, and its click is judged by what it was when it was pressed.
 * The press itself unlocks the audio: in Chromium the context created in a gesture runs at once, and React
 * re-renders before the press reaches the button, so by the time the pointer is released the prompt is
 * already the (smaller, right-aligned) switch under it. Judged by what it had become, the click that asked
 * for sound turned it off.
 */
function SoundControl({ sound }: { sound: AlarmSound }) {
  useSyncExternalStore(
    (fn) => sound.subscribe(fn),
    () => `${sound.enabled ? 1 : 0}${sound.unlocked ? 1 : 0}${sound.played.critical}:${sound.played.major}`,
  );
  const button = useRef<HTMLButtonElement>(null);
  /** For the press that will end in this button's next click: whether it began on the prompt (null: not pressed here). */
  const pressedPrompt = useRef<boolean | null>(null);
  useEffect(() => {
    // Capture phase on the window: runs before the press changes anything, whoever else listens.
    const onPress = (e: Event): void => {
      const locked = sound.enabled && !sound.unlocked;
      const onButton = e.target instanceof Node && button.current?.contains(e.target) === true;
      pressedPrompt.current = onButton ? locked : null;
      if (locked) void sound.unlock();
    };
    window.addEventListener('pointerdown', onPress, { capture: true });
    window.addEventListener('keydown', onPress, { capture: true });
    return () => {
      window.removeEventListener('pointerdown', onPress, { capture: true });
      window.removeEventListener('keydown', onPress, { capture: true });
    };
  }, [sound]);
  const prompt = sound.enabled && !sound.unlocked;
  useBlink(button, prompt);
  const onClick = (): void => {
    const wasPrompt = pressedPrompt.current ?? prompt;
    pressedPrompt.current = null;
    sound.setEnabled(wasPrompt ? true : !sound.enabled);
  };
  return (
    <button
      type="button"
      className={prompt ? 'sound-prompt' : `sound-toggle ${sound.enabled ? 'is-on' : 'is-off'}`}
      ref={button}
      onClick={onClick}
      aria-pressed={prompt ? undefined : sound.enabled}
      data-testid="alarm-sound"
      data-enabled={sound.enabled ? '1' : '0'}
      data-unlocked={sound.unlocked ? '1' : '0'}
      data-played-critical={sound.played.critical}
      data-played-major={sound.played.major}
    >
      {prompt ? (
        <>
          <span aria-hidden="true">♪ </span>Bấm để bật âm thanh cảnh báo
        </>
      ) : (
        <>
          <span aria-hidden="true">{sound.enabled ? '♪ ' : '✕ '}</span>
          Âm thanh: {sound.enabled ? 'bật' : 'tắt'}
        </>
      )}
    </button>
  );
}
