/** System: devices by type, the message rate and data quality (the live spine of issue 2). */
import { QualityPanel } from '../QualityPanel';
import { RateChart } from '../RateChart';
import { TypeCountsPanel } from '../TypeCountsPanel';

export function SystemPage({ scale }: { scale: number }) {
  return (
    <>
      <TypeCountsPanel />
      <section className="panel chart-panel grow" aria-labelledby="rate-title">
        <h2 id="rate-title">Lưu lượng tin nhận · 10 phút qua</h2>
        <RateChart scale={scale} />
      </section>
      <QualityPanel />
    </>
  );
}
