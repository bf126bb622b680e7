/** Dates and small texts for the admin and audit pages (Vietnamese, the province's time zone). */
const DATE_TIME = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function formatDateTime(ts: number | null | undefined): string {
  return ts == null ? '—' : DATE_TIME.format(ts);
}

/** `detail` of an audit row as short `key: value` parts; the reason first (it is what an auditor reads for). */
export function detailParts(detail: Record<string, unknown> | null): string[] {
  if (!detail) return [];
  const keys = Object.keys(detail).sort((a, b) => (a === 'reason' ? -1 : b === 'reason' ? 1 : 0));
  return keys.map((k) => {
    const v = detail[k];
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return `${DETAIL_LABELS[k] ?? k}: ${text}`;
  });
}

const DETAIL_LABELS: Record<string, string> = {
  reason: 'Lý do',
  role: 'Vai trò',
  communes: 'Xã/phường',
  name: 'Tên',
  note: 'Ghi chú',
  assignee: 'Giao cho',
  unlockAt: 'Mở khóa lúc',
  passwordChanged: 'Đổi mật khẩu',
  disabled: 'Khóa',
  displayName: 'Họ tên',
  ok: 'Hợp lệ',
};

/** A random password for a new account (the admin reads it out once): 16 characters without look-alikes. */
export function randomPassword(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** "51001, 51004" → ['51001', '51004']; empty → null (the whole province). */
export function parseCommunes(text: string): string[] | null {
  const codes = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return codes.length ? [...new Set(codes)] : null;
}
