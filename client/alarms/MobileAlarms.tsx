/** Phone alarm list: rendered at the top of the mobile view. */
export function MobileAlarms() {
  return (
    <section className="m-alarms" aria-label="Cảnh báo">
      <h2>Cảnh báo</h2>
    </section>
  );
}
