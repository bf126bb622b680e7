/**
 * The pages of the wall and the rotation's state: a bar that fills until the next page (its width set by a
 * timer in half-second steps, so nothing re-renders and the compositor draws twice a second, not every
 * frame), or why it is not moving (pinned, paused, off).
 */
import { useEffect, useRef } from 'react';
import { PAGE_INFO, ROTATION_STEP_MS, rotationFilled } from './wallUi';
import { useWallUi, useWallUiStore } from './useWallUi';

export function PageTabs() {
  const ui = useWallUiStore();
  const page = useWallUi((u) => u.page);
  const pinned = useWallUi((u) => u.pinned);
  const nextAt = useWallUi((u) => u.nextAt);
  const pausedUntil = useWallUi((u) => u.pausedUntil);
  const selected = useWallUi((u) => u.selected);
  const rotateSec = ui.rotateSec;
  const now = Date.now();
  const paused = selected !== null || pausedUntil > now;
  const state = rotateSec === 0 ? 'Không tự chuyển trang' : pinned ? 'Đã ghim trang · P để bỏ ghim' : paused ? 'Tạm dừng tự chuyển' : `Tự chuyển trang mỗi ${rotateSec} giây · P để ghim`;
  return (
    <div className="page-tabs" data-testid="page-tabs" data-page={page}>
      <div className="tabs" role="tablist" aria-label="Trang (← →)">
        {PAGE_INFO.map((p) => (
          <button key={p.page} type="button" role="tab" aria-selected={p.page === page} className={p.page === page ? 'on' : ''} data-page={p.page} onClick={() => ui.setPage(p.page)}>
            {p.labelVi}
          </button>
        ))}
      </div>
      <div className="rotation">
        <span className="rotation-state">{state}</span>
        {rotateSec > 0 && !pinned && !paused && (
          <RotationBar nextAt={nextAt} rotateSec={rotateSec} />
        )}
        <span className="rotation-hint" data-testid="time-hint">
          H: xem lại 24 giờ qua
        </span>
      </div>
    </div>
  );
}

function RotationBar({ nextAt, rotateSec }: { nextAt: number; rotateSec: number }) {
  const fill = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const el = fill.current;
    if (!el) return;
    let shown = '';
    const set = () => {
      const width = `${(rotationFilled(nextAt, Date.now(), rotateSec) * 100).toFixed(2)}%`;
      if (width === shown) return;
      shown = width;
      el.style.width = width;
    };
    set();
    const timer = window.setInterval(set, ROTATION_STEP_MS);
    return () => window.clearInterval(timer);
  }, [nextAt, rotateSec]);
  return (
    <span className="rotation-bar" aria-hidden="true">
      <span ref={fill} />
    </span>
  );
}
