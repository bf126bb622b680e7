/**
 * The pages of the wall and the rotation's state: a bar that fills until the next page (a CSS
 * animation in half-second steps, so nothing re-renders and the compositor draws twice a second,
 * not every frame), or why it is not moving (pinned, paused, off).
 */
import { PAGE_INFO, rotationSteps } from './wallUi';
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
  const remaining = Math.max(0, nextAt - now);
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
          <span className="rotation-bar" aria-hidden="true">
            <span key={nextAt} style={{ animationDuration: `${remaining}ms`, animationTimingFunction: `steps(${rotationSteps(remaining)}, end)`, width: `${(1 - remaining / (rotateSec * 1000)) * 100}%` }} />
          </span>
        )}
        <span className="rotation-hint" data-testid="time-hint">
          H: xem lại 24 giờ qua
        </span>
      </div>
    </div>
  );
}
