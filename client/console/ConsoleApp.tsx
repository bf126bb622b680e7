/** Operator console at /console (being built: list, actions, detail, health). */
export function ConsoleApp() {
  return <main className="console">Bàn điều hành cảnh báo</main>;
}
