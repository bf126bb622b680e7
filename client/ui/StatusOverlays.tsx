import { useLive } from '../store/useLive';
import { selectConnection, selectLoadError, selectProvince } from './selectors';

/**
 * Full-screen notices that replace the view: a server that refuses this build (reload needed),
 * or a server that cannot be reached at start-up.
 */
export function StatusOverlays() {
  const connection = useLive(selectConnection);
  const loadError = useLive(selectLoadError);
  const province = useLive(selectProvince);
  if (connection.status === 'mismatch') {
    return (
      <div className="overlay" role="alertdialog" aria-labelledby="mismatch-title" data-testid="protocol-mismatch">
        <div className="overlay-box">
          <h2 id="mismatch-title">Phiên bản đã cũ — hãy tải lại trang</h2>
          <p>Máy chủ đã được cập nhật, trang này cần tải lại để tiếp tục nhận dữ liệu.</p>
          <button type="button" onClick={() => window.location.reload()}>
            Tải lại trang
          </button>
        </div>
      </div>
    );
  }
  if (!province) {
    return (
      <div className="overlay" role="status">
        <div className="overlay-box">
          <h2>{loadError ? 'Chưa kết nối được máy chủ' : 'Đang tải…'}</h2>
          {loadError && <p>Đang thử lại tự động. ({loadError})</p>}
        </div>
      </div>
    );
  }
  return null;
}
