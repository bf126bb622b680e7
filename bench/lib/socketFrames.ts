/** Reading the Socket.IO frames a page receives (bench/frameBrowser.ts watches the wall's socket). */
/**
 * The bytes of a Socket.IO 'view:delta' frame's alarm part, or null for any other frame. The frame's text is
 * Engine.IO's '4' then Socket.IO's packet: type 2 (event) or 5 (binary event, with '<attachments>-'), an
 * optional namespace and ack id, then the JSON array [name, ...args]; binary parts are placeholders in it.
 */
export function deltaAlarmBytes(payload: string): number | null {
  const m = /^4[25](?:\d+-)?(?:\/[^,]*,)?\d*(\[.*)$/s.exec(payload);
  if (!m || !m[1]!.startsWith('["view:delta"')) return null;
  const [, delta] = JSON.parse(m[1]!) as [string, { alarms?: unknown }];
  return delta.alarms === undefined ? 0 : Buffer.byteLength(JSON.stringify(delta.alarms));
}
