/**
 * Forest fire danger (cấp dự báo cháy rừng I–V, QĐ 127/2000/QĐ-BNN-KL): the forest communes per level in the
 * fire sign colours, and the communes at level III or more, highest first, with their index P and the days
 * without rain behind it. The levels step once a day after 13:00; before the first step there is nothing to say.
 */
import { FIRE_ALARM_MIN_LEVEL, type FireDangerRule, type FireLevel } from '../../../shared/fireDanger';
import { communeName, useCommunes, type CommuneIndex } from '../../alarms/places';
import { FIRE_LEVELS, fireLevelStyle } from '../../map/fireStyles';
import type { LiveStore } from '../../store/liveStore';
import { useLive } from '../../store/useLive';
import { FIRE_LIST_MIN_LEVEL, formatFireDay, selectFireSummary, type FireSummary } from '../../ui/fireSelectors';
import { formatInt } from '../../ui/format';

/** Communes named in the list (what fits at 1920×1080 and at its multiples); the rest are counted. */
export const FIRE_ROWS = 8;

const selectHistoric = (s: LiveStore) => s.historicAt !== null;

/** "Xã Sơn Hà", from the commune labels (the code until they are loaded). */
function displayName(code: string, index: CommuneIndex | null): string {
  const name = communeName(code, index) ?? code;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The level's band of P in a table cell: the upper bound ("≤ 2.500"), the last one open ("> 10.000"). */
function bandCell(level: FireLevel, rule: FireDangerRule): string {
  const upper = rule.bands[level - 1];
  return upper === undefined ? `> ${formatInt(rule.bands[3])}` : `≤ ${formatInt(upper)}`;
}

function Levels({ fire }: { fire: FireSummary }) {
  const { rule } = fire;
  return (
    <section className="panel" aria-labelledby="fire-levels-title" data-testid="fire-levels">
      <h2 id="fire-levels-title">Cấp dự báo cháy rừng · QĐ 127/2000/QĐ-BNN-KL</h2>
      <p className="panel-sub" data-testid="fire-levels-note">
        {fire.day !== null && `Cấp ngày ${formatFireDay(fire.day)} · `}
        {formatInt(fire.total)} xã có rừng (tạm tính mọi xã)
        {fire.byLevel[0] > 0 && ` · ${formatInt(fire.byLevel[0])} xã chưa đủ số đo 13 giờ`}
      </p>
      <table className="band-table fire-table">
        <thead>
          <tr>
            <th scope="col" />
            {FIRE_LEVELS.map((l) => (
              <th key={l.level} scope="col" data-level={l.level}>
                <span className="band-chip" style={{ background: l.hex, color: l.textHex }}>
                  Cấp {l.roman}
                </span>
                <span className="band-range">{l.vi}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Số xã</th>
            {FIRE_LEVELS.map((l) => (
              <td key={l.level} className={`num band-count ${fire.byLevel[l.level] === 0 ? 'muted' : ''}`} data-testid="fire-count">
                {formatInt(fire.byLevel[l.level])}
              </td>
            ))}
          </tr>
          {rule && (
            <tr className="fire-bands">
              <th scope="row">Chỉ số P</th>
              {FIRE_LEVELS.map((l) => (
                <td key={l.level} className="num">
                  {bandCell(l.level, rule)}
                </td>
              ))}
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function HighCommunes({ fire }: { fire: FireSummary }) {
  const index = useCommunes();
  const shown = fire.high.slice(0, FIRE_ROWS);
  const rest = fire.high.length - shown.length;
  const alarming = fire.high.some((c) => c.level >= FIRE_ALARM_MIN_LEVEL);
  const min = fireLevelStyle(FIRE_LIST_MIN_LEVEL);
  return (
    <section className="panel grow" aria-labelledby="fire-high-title" data-testid="fire-communes">
      <h2 id="fire-high-title">
        Xã từ cấp {min.roman} ({min.vi}) trở lên{' '}
        <span className={`count-pill ${alarming ? 'bad' : ''}`} data-testid="fire-high-count">
          {formatInt(fire.high.length)}
        </span>
      </h2>
      {shown.length === 0 ? (
        <p className="empty ok">Không có xã nào từ cấp {min.roman} trở lên.</p>
      ) : (
        <>
          <div className="fire-head" aria-hidden="true">
            <span>Cấp</span>
            <span>Xã</span>
            <span>Chỉ số P</span>
            <span>Ngày khô</span>
          </div>
          <ol className="rows compact fit fire-rows">
            {shown.map((c) => {
              const s = fireLevelStyle(c.level);
              return (
                <li key={c.code} className="plain-row" data-testid="fire-row" data-code={c.code} data-level={c.level}>
                  <span className="status-chip fire-chip" style={{ background: s.hex, color: s.textHex }} title={`Cấp ${s.roman}: ${s.vi}`}>
                    {s.roman}
                  </span>
                  <span className="row-name fire-name">{displayName(c.code, index)}</span>
                  <span className="fire-p">{formatInt(c.p)}</span>
                  <span className="fire-dry">{formatInt(c.dryDays)} ngày</span>
                </li>
              );
            })}
          </ol>
          {rest > 0 && (
            <p className="also" data-testid="fire-more">
              và {formatInt(rest)} xã khác
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function FirePage() {
  const fire = useLive(selectFireSummary);
  const historic = useLive(selectHistoric);
  if (!fire.available || fire.day === null) {
    return (
      <section className="panel" aria-labelledby="fire-empty-title" data-testid="fire-empty">
        <h2 id="fire-empty-title">Cấp dự báo cháy rừng · QĐ 127/2000/QĐ-BNN-KL</h2>
        <p className="empty">
          {historic ? 'Thời điểm đã qua: máy chủ không có cấp dự báo cháy rừng cho thời điểm này.' : 'Chưa có dự báo cháy rừng: cấp được tính mỗi ngày sau 13:00'}
        </p>
      </section>
    );
  }
  return (
    <>
      <Levels fire={fire} />
      <HighCommunes fire={fire} />
    </>
  );
}
