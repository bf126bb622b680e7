/**
 * The rows the console lists: the live open alarms filtered here, or a page of history from the server.
 * History pages are refetched on a change of filter or page, after an action, and every 15 s.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Alarm } from '../../shared/alarms';
import type { Device } from '../../shared/devices';
import { placeOf, type CommuneIndex } from '../alarms/places';
import { selectAlarmList, selectOpenTotal, useAlarms } from '../alarms/useAlarms';
import { fetchAlarms } from '../net/alarmActions';
import { historyQuery, isLive, matchesLive, matchesText, type ConsoleFilters } from './filters';
import { appNow } from '../store/clock';

const HISTORY_REFRESH_MS = 15_000;

export interface ConsoleRows {
  live: boolean;
  rows: readonly Alarm[];
  /** All matches (history: the server's total; live: the filtered count). */
  total: number;
  /** Live: open alarms the server has beyond those held (the snapshot's cap). */
  notHeld: number;
  loading: boolean;
  error: string | null;
  /** Replace one row with an action's answer (history), and refetch. */
  patch: (a: Alarm) => void;
}

export function useConsoleRows(
  filters: ConsoleFilters,
  page: number,
  now: number,
  devices: readonly Device[] | undefined,
  communes: CommuneIndex | null,
): ConsoleRows {
  const live = isLive(filters);
  const all = useAlarms(selectAlarmList);
  const openTotal = useAlarms(selectOpenTotal);
  // The time filter moves with the clock only once a minute: the list does not reshuffle every tick.
  const minute = Math.floor(now / 60_000) * 60_000;
  const liveRows = useMemo(
    () => (live ? all.filter((a) => matchesLive(a, filters, minute, (x) => placeOf(x, devices, communes))) : []),
    [live, all, filters, minute, devices, communes],
  );

  const [history, setHistory] = useState<{ key: string; rows: Alarm[]; total: number; error: string | null } | null>(null);
  const [refresh, setRefresh] = useState(0);
  const key = live ? '' : JSON.stringify({ ...filters, text: '', page, minute: filters.range ? minute : 0 });
  useEffect(() => {
    if (live) return;
    const ctl = new AbortController();
    const load = (): void => {
      fetchAlarms(historyQuery(filters, page, appNow()), ctl.signal).then(
        (p) => setHistory({ key, rows: p.items, total: p.total, error: null }),
        (e: unknown) => {
          if (!ctl.signal.aborted) setHistory((h) => ({ key, rows: h?.key === key ? h.rows : [], total: h?.total ?? 0, error: String(e) }));
        },
      );
    };
    load();
    const timer = setInterval(load, HISTORY_REFRESH_MS);
    return () => {
      ctl.abort();
      clearInterval(timer);
    };
    // `key` covers filters and page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live, key, refresh]);

  const patch = useCallback((a: Alarm) => {
    setHistory((h) => (h ? { ...h, rows: h.rows.map((r) => (r.id === a.id ? a : r)) } : h));
    setRefresh((n) => n + 1);
  }, []);

  if (live) {
    return { live, rows: liveRows, total: liveRows.length, notHeld: Math.max(0, openTotal - all.length), loading: false, error: null, patch };
  }
  const current = history?.key === key ? history : null;
  const text = filters.text;
  const rows = current ? (text.trim() ? current.rows.filter((a) => matchesText(a, text, (x) => placeOf(x, devices, communes))) : current.rows) : [];
  return {
    live,
    rows,
    total: current?.total ?? 0,
    notHeld: 0,
    loading: current === null,
    error: current?.error ?? null,
    patch,
  };
}
