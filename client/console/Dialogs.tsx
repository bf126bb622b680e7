/** The console's key help. */
import { KEY_HELP } from './keyboard';

export function KeyHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <div className="dialog key-help" role="dialog" aria-label="Phím tắt" data-testid="key-help">
        <h2>Phím tắt của bàn điều hành</h2>
        <table>
          <tbody>
            {KEY_HELP.map(([k, what]) => (
              <tr key={k}>
                <th>
                  {k.split('  ').map((x) => (
                    <kbd key={x}>{x}</kbd>
                  ))}
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="dialog-hint">Esc hoặc ? để đóng</p>
      </div>
    </div>
  );
}
