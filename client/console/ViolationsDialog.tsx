/**
 * The console's recent violations (masked plates, as the server sends them) and the one audited way to see a
 * raw plate: an operator gives a reason, the server writes the audit row, then answers the plate. The plate
 * lives in this dialog's state only (never a store, never a log) and is forgotten after a minute or on close.
 */
import { useEffect, useState } from 'react';
import { VEHICLE_CLASS_LABEL_VI, VIOLATION_LABEL_VI, type FeedViolation } from '../../shared/traffic';
import { PromptDialog } from '../alarms/PromptDialog';
import { unmaskPlate } from '../net/admin';
import { allowed } from '../net/auth';
import { fetchViolationFeed } from '../net/api';
import { formatTime } from '../ui/format';

/** How long an unmasked plate stays on screen. */
export const UNMASK_SHOWN_MS = 60_000;

type Shown = { id: string; plate: string; auditId: number };

export function ViolationsDialog({ onClose }: { onClose: () => void }) {
  const [feed, setFeed] = useState<FeedViolation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<FeedViolation | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const mayUnmask = allowed('plate.unmask');

  useEffect(() => {
    const ac = new AbortController();
    fetchViolationFeed(ac.signal).then(setFeed, (e: unknown) => {
      if (!ac.signal.aborted) setError(String(e));
    });
    return () => ac.abort();
  }, []);

  useEffect(() => {
    if (!shown) return;
    const t = setTimeout(() => setShown(null), UNMASK_SHOWN_MS);
    return () => clearTimeout(t);
  }, [shown]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !asking) {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [asking, onClose]);

  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog violations-dialog" role="dialog" aria-label="Vi phạm gần đây" data-testid="violations-dialog">
        <h2>Vi phạm gần đây · camera AI</h2>
        {error && <p className="warn">Không tải được: {error}</p>}
        {!feed && !error && <p className="muted">Đang tải…</p>}
        {feed && feed.length === 0 && <p className="muted">Chưa có vi phạm nào.</p>}
        {feed && feed.length > 0 && (
          <div className="violations-scroll">
            <table>
              <tbody>
                {feed.slice(0, 50).map((v) => (
                  <tr key={v.id} data-violation-id={v.id}>
                    <td className="num">{formatTime(v.ts)}</td>
                    <td>{VIOLATION_LABEL_VI[v.violation]}</td>
                    <td>{VEHICLE_CLASS_LABEL_VI[v.vehicleType]}</td>
                    <td className="plate" data-testid="plate">
                      {shown?.id === v.id ? <b className="plate-raw" data-testid="plate-raw">{shown.plate}</b> : v.plate}
                    </td>
                    <td>{v.road ?? '—'}</td>
                    <td>
                      {mayUnmask && shown?.id !== v.id && (
                        <button type="button" onClick={() => setAsking(v)} data-testid="unmask">
                          Xem biển số
                        </button>
                      )}
                      {shown?.id === v.id && <span className="muted">ghi nhật ký #{shown.auditId}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="dialog-hint">
          Biển số được che theo Nghị định 13/2023/NĐ-CP. Xem biển số gốc cần ghi lý do; mỗi lần xem được ghi vào nhật ký kiểm toán. Esc để đóng.
        </p>
        <button type="button" onClick={onClose}>
          Đóng
        </button>
      </div>
      {asking && (
        <PromptDialog
          title={`Xem biển số gốc · ${VIOLATION_LABEL_VI[asking.violation]} lúc ${formatTime(asking.ts)}`}
          label="Lý do xem (bắt buộc, ghi vào nhật ký kiểm toán): ví dụ số văn bản, yêu cầu của cơ quan nào"
          requiredMessage="Cần ghi lý do"
          maxLength={500}
          submitLabel="Xem biển số"
          onSubmit={(reason) => {
            const v = asking;
            setAsking(null);
            void unmaskPlate(v.id, reason).then((out) => {
              if (out.ok) setShown({ id: v.id, plate: out.data.plate, auditId: out.data.auditId });
              else setError(out.message);
            });
          }}
          onCancel={() => setAsking(null)}
        />
      )}
    </div>
  );
}
