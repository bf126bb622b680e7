/**
 * Identity contract shared by server and client (issue 14, DESIGN.md "Security model"): roles, what each may
 * do, and the shapes of the auth and admin endpoints. The server checks every permission; the client only
 * uses this to hide what a role cannot do.
 */
import { z } from 'zod';

export const ROLES = ['admin', 'operator', 'leader', 'viewer', 'auditor', 'display'] as const;
export type Role = (typeof ROLES)[number];
/** Roles a person can have; `display` belongs to wall-screen tokens only. */
export const PERSON_ROLES = ['admin', 'operator', 'leader', 'viewer', 'auditor'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export const ROLE_LABEL_VI: Record<Role, string> = {
  admin: 'Quản trị',
  operator: 'Điều hành viên',
  leader: 'Lãnh đạo',
  viewer: 'Người xem',
  auditor: 'Kiểm toán',
  display: 'Màn hình',
};

export const PERMISSIONS = [
  /** Live views, devices, history, exports, alarms list (plates masked). */
  'read',
  'alarm.acknowledge',
  'alarm.assign',
  'alarm.resolve',
  /** One violation's raw plate, with a reason, audited. */
  'plate.unmask',
  'users.manage',
  'displays.manage',
  'devices.manage',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'alarm.acknowledge', 'alarm.assign', 'alarm.resolve', 'users.manage', 'displays.manage', 'devices.manage', 'audit.read'],
  operator: ['read', 'alarm.acknowledge', 'alarm.assign', 'alarm.resolve', 'plate.unmask'],
  leader: ['read', 'alarm.acknowledge'],
  viewer: ['read'],
  auditor: ['audit.read'],
  display: ['read'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Who is asking, as the client sees it (GET /api/auth/me). */
export interface Me {
  username: string;
  displayName: string;
  role: Role;
  /** Commune codes the user is limited to; null: the whole province. */
  communes: string[] | null;
}

export interface MeResponse {
  user: Me;
  /** Sent back in the `x-csrf-token` header on every POST, PATCH and DELETE. */
  csrfToken: string;
}

export const CSRF_HEADER = 'x-csrf-token';

export const USERNAME = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'tên đăng nhập: 2–64 ký tự a-z, 0-9, dấu chấm, gạch ngang, gạch dưới');
/** Passwords: at least 10 characters (NIST 800-63B: length over composition rules), at most 256. */
export const PASSWORD = z.string().min(10, 'mật khẩu tối thiểu 10 ký tự').max(256);

export const loginRequestSchema = z.object({ username: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(256) }).strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

const communes = z.array(z.string().regex(/^\d{1,16}$/, 'mã xã/phường')).max(500).nullable();

export const createUserSchema = z
  .object({
    username: USERNAME,
    displayName: z.string().trim().min(1).max(128),
    role: z.enum(PERSON_ROLES),
    password: PASSWORD,
    communes: communes.default(null),
  })
  .strict();
export type CreateUserRequest = z.input<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    displayName: z.string().trim().min(1).max(128).optional(),
    role: z.enum(PERSON_ROLES).optional(),
    password: PASSWORD.optional(),
    communes: communes.optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UpdateUserRequest = z.infer<typeof updateUserSchema>;

/** A user as the admin page lists it (never the hash). */
export interface UserSummary extends Me {
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export const createDisplaySchema = z.object({ name: z.string().trim().min(1).max(128) }).strict();

export interface DisplaySummary {
  id: number;
  name: string;
  createdAt: number;
  createdBy: string;
  lastSeenAt: number | null;
  revokedAt: number | null;
}

/** Answer to creating a display: the token is shown once, inside the URL that binds a screen. */
export interface CreatedDisplay extends DisplaySummary {
  token: string;
  /** Path to open once on the wall's browser: `/?display=<token>`. */
  bindPath: string;
}

export const unmaskRequestSchema = z.object({ reason: z.string().trim().min(5, 'cần ghi lý do (tối thiểu 5 ký tự)').max(500) }).strict();
export interface UnmaskResponse {
  violationId: string;
  plate: string;
  auditId: number;
}

/** Socket event the server sends just before it ends a session's sockets (logout, revoke, role change). */
export type SessionEndReason = 'logout' | 'revoked' | 'role-changed' | 'disabled' | 'expired';

/** The audit log's actions (server/security/audit.ts appends them; the auditor's page filters by them). */
export const AUDIT_ACTIONS = [
  'login.success',
  'login.failure',
  'login.locked',
  'logout',
  'user.create',
  'user.update',
  'user.password',
  'user.disable',
  'display.create',
  'display.revoke',
  'display.bind',
  'alarm.acknowledge',
  'alarm.assign',
  'alarm.resolve',
  'plate.unmask',
  'device.credentials',
  'device.credentials.revoke',
  'gateway.credentials',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  at: number;
  /** Who: a username, `display:<name>`, `cli` (the shell) or `system`. */
  actor: string;
  action: AuditAction;
  /** What it was done to: a username, an alarm id, a violation id, a device id. */
  target: string | null;
  /** The reason or other details (never a password, a secret or a raw plate). */
  detail: Record<string, unknown> | null;
  /** The client's address, when over the network. */
  address: string | null;
}


export const AUDIT_ACTION_LABEL_VI: Record<AuditAction, string> = {
  'login.success': 'Đăng nhập',
  'login.failure': 'Đăng nhập sai',
  'login.locked': 'Khóa đăng nhập tạm thời',
  logout: 'Đăng xuất',
  'user.create': 'Tạo người dùng',
  'user.update': 'Sửa người dùng',
  'user.password': 'Đổi mật khẩu',
  'user.disable': 'Khóa người dùng',
  'display.create': 'Tạo mã màn hình',
  'display.revoke': 'Thu hồi mã màn hình',
  'display.bind': 'Gắn màn hình',
  'alarm.acknowledge': 'Xác nhận cảnh báo',
  'alarm.assign': 'Giao xử lý cảnh báo',
  'alarm.resolve': 'Xử lý xong cảnh báo',
  'plate.unmask': 'Xem biển số gốc',
  'device.credentials': 'Cấp khóa thiết bị',
  'device.credentials.revoke': 'Thu hồi khóa thiết bị',
  'gateway.credentials': 'Cấp khóa cổng nội bộ',
};
