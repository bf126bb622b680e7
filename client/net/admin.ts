/**
 * The admin's and the auditor's HTTP calls (users, wall displays, the audit log, one plate unmasked), validated
 * at this edge (STYLE.md 3). Writes carry the CSRF token (client/net/auth.ts).
 */
import { z } from 'zod';
import {
  AUDIT_ACTIONS,
  PERSON_ROLES,
  ROLES,
  type AuditAction,
  type AuditEntry,
  type CreateUserRequest,
  type CreatedDisplay,
  type DisplaySummary,
  type UnmaskResponse,
  type UpdateUserRequest,
  type UserSummary,
} from '../../shared/auth';
import { getJson } from './api';
import { apiWrite, errorMessage } from './auth';

const userSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  communes: z.array(z.string()).nullable(),
  disabled: z.boolean(),
  createdAt: z.number(),
  lastLoginAt: z.number().nullable(),
});
const displaySchema = z.object({
  id: z.number(),
  name: z.string(),
  createdAt: z.number(),
  createdBy: z.string(),
  lastSeenAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
const auditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  actor: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  address: z.string().nullable(),
});

export type WriteOutcome<T> = { ok: true; data: T } | { ok: false; message: string };

async function write<T>(path: string, method: 'POST' | 'PATCH' | 'DELETE', body: unknown, parse: (x: unknown) => T): Promise<WriteOutcome<T>> {
  try {
    const res = await apiWrite(path, method, body, AbortSignal.timeout(15_000));
    if (!res.ok) return { ok: false, message: (await errorMessage(res)).message };
    return { ok: true, data: res.status === 204 ? parse(undefined) : parse(await res.json()) };
  } catch (e) {
    return { ok: false, message: `không gửi được: ${String(e)}` };
  }
}

export function fetchUsers(signal?: AbortSignal): Promise<UserSummary[]> {
  return getJson('/api/admin/users', z.object({ users: z.array(userSchema) }), signal).then((r) => r.users);
}

export function createUser(req: CreateUserRequest): Promise<WriteOutcome<UserSummary>> {
  return write('/api/admin/users', 'POST', req, (x) => z.object({ user: userSchema }).parse(x).user);
}

export function updateUser(username: string, req: UpdateUserRequest): Promise<WriteOutcome<UserSummary>> {
  return write(`/api/admin/users/${encodeURIComponent(username)}`, 'PATCH', req, (x) => z.object({ user: userSchema }).parse(x).user);
}

export function fetchDisplays(signal?: AbortSignal): Promise<DisplaySummary[]> {
  return getJson('/api/admin/displays', z.object({ displays: z.array(displaySchema) }), signal).then((r) => r.displays);
}

export function createDisplay(name: string): Promise<WriteOutcome<CreatedDisplay>> {
  return write('/api/admin/displays', 'POST', { name }, (x) => displaySchema.extend({ token: z.string(), bindPath: z.string() }).parse(x));
}

export function revokeDisplay(id: number): Promise<WriteOutcome<null>> {
  return write(`/api/admin/displays/${id}`, 'DELETE', undefined, () => null);
}

export interface AuditFilter {
  action?: AuditAction;
  actor?: string;
  target?: string;
  from?: number;
  to?: number;
  before?: number;
  limit?: number;
}

export function auditQuery(f: AuditFilter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

export function fetchAudit(f: AuditFilter, signal?: AbortSignal): Promise<AuditEntry[]> {
  return getJson(`/api/audit?${auditQuery(f)}`, z.object({ entries: z.array(auditEntrySchema) }), signal).then((r) => r.entries);
}

/** One violation's raw plate, with the operator's reason; the server writes the audit row before it answers. */
export function unmaskPlate(violationId: string, reason: string): Promise<WriteOutcome<UnmaskResponse>> {
  return write(`/api/traffic/violations/${encodeURIComponent(violationId)}/unmask`, 'POST', { reason }, (x) =>
    z.object({ violationId: z.string(), plate: z.string(), auditId: z.number() }).parse(x),
  );
}

export { PERSON_ROLES };
