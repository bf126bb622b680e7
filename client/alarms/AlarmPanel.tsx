/** Wall alarm panel: rendered by the wall layout at the top of its right column. */
export function AlarmPanel() {
  return (
    <section className="alarm-panel" aria-label="Cảnh báo">
      <h2>Cảnh báo</h2>
    </section>
  );
}
