import { BROKER_REFUSALS, REJECT_REASONS } from '../../shared/mqtt';
import type { IngestStats } from '../../shared/events';
import { useCalmLive, useLive } from '../store/useLive';
import { formatInt, formatPercent } from '../ui/format';
import { BROKER_REFUSAL_LABELS, REJECT_REASON_LABELS } from '../ui/labels';
import { selectHasData, selectIngest, selectMqttConnected } from '../ui/selectors';

function ingestEqual(a: IngestStats, b: IngestStats): boolean {
  return (
    a.accepted === b.accepted &&
    a.history === b.history &&
    REJECT_REASONS.every((r) => (a.rejected[r] ?? 0) === (b.rejected[r] ?? 0)) &&
    BROKER_REFUSALS.every((r) => (a.refused?.[r] ?? 0) === (b.refused?.[r] ?? 0))
  );
}

/** Rejected messages by reason: bad input is counted and shown, never silently dropped. */
export function QualityPanel() {
  const ingest = useCalmLive(selectIngest, ingestEqual);
  const mqtt = useLive(selectMqttConnected);
  const hasData = useLive(selectHasData);
  // A reason the server does not report yet counts as none (a newer client against an older server).
  const count = (r: (typeof REJECT_REASONS)[number]) => ingest.rejected[r] ?? 0;
  const rejected = REJECT_REASONS.reduce((n, r) => n + count(r), 0);
  const all = ingest.accepted + rejected;
  const refused = (r: (typeof BROKER_REFUSALS)[number]) => ingest.refused?.[r] ?? 0;
  const refusedTotal = BROKER_REFUSALS.reduce((n, r) => n + refused(r), 0);
  return (
    <section className="panel quality-panel" aria-labelledby="quality-title" data-testid="quality">
      <h2 id="quality-title">Chất lượng dữ liệu</h2>
      <div className="quality-summary">
        <div>
          <div className="q-value">{all > 0 ? formatPercent(ingest.accepted / all) : '—'}</div>
          <div className="q-label">tin hợp lệ</div>
        </div>
        <div>
          <div className="q-value" data-testid="accepted-total">{formatInt(ingest.accepted)}</div>
          <div className="q-label">tin đã nhận</div>
        </div>
        <div>
          <div className={`q-value ${rejected > 0 ? 'warn' : ''}`}>{formatInt(rejected)}</div>
          <div className="q-label">tin bị loại</div>
        </div>
      </div>
      <ul className="rejects">
        {REJECT_REASONS.map((r) => (
          <li key={r} className={count(r) > 0 ? 'warn' : 'muted'} data-reason={r}>
            <span>{REJECT_REASON_LABELS[r]}</span>
            <span className="num">{formatInt(count(r))}</span>
          </li>
        ))}
      </ul>
      {/* Devices turned away by the broker (no or wrong secret, another device's topic): an older server sends none. */}
      {ingest.refused && (
        <>
          <h3 className={`refusals-title ${refusedTotal > 0 ? 'warn' : ''}`}>Broker từ chối: {formatInt(refusedTotal)}</h3>
          <ul className="rejects refusals" data-testid="refusals">
            {BROKER_REFUSALS.map((r) => (
              <li key={r} className={refused(r) > 0 ? 'warn' : 'muted'} data-refusal={r}>
                <span>{BROKER_REFUSAL_LABELS[r]}</span>
                <span className="num">{formatInt(refused(r))}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className={`mqtt-state ${mqtt || !hasData ? 'ok' : 'bad'}`}>
        Kết nối MQTT: {!hasData ? 'chưa có dữ liệu' : mqtt ? 'bình thường' : 'mất kết nối'}
        {ingest.history > 0 && <> · Dữ liệu bù: {formatInt(ingest.history)}</>}
      </div>
    </section>
  );
}
