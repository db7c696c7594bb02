import type { Selectable } from 'kysely';
import { decodeCursor, keysetPage, pageLimit } from '../db/cursor.js';
import type { Db } from '../db/index.js';
import type { AuditEventTable } from '../db/schema.js';
import type { Principal } from './roles.js';

/** What the audit log records. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'recording.listen',
  'recording.download',
  'recording.delete',
  'user.create',
  'user.update',
  'user.password_reset',
  'token.create',
  'token.revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditActorType = 'user' | 'token' | 'anonymous' | 'system';

/** One audit event as written. */
export interface NewAuditEvent {
  action: AuditAction;
  actor: {
    type: AuditActorType;
    id?: number | null;
    /** Email, `token:<name>`, the email typed at a failed login, or `cli`. */
    label?: string | null;
    /** Session id (sha256) or `token:<id>`: groups one login's events. */
    credentialId?: string | null;
  };
  ip?: string | null;
  userAgent?: string | null;
  target?: { type: string; id: string } | null;
  details?: Record<string, unknown> | null;
  at?: string;
}

/** One stored audit event. */
export interface AuditEvent {
  id: number;
  at: string;
  action: string;
  actor: { type: AuditActorType; id: number | null; label: string | null };
  ip: string | null;
  userAgent: string | null;
  target: { type: string; id: string } | null;
  details: Record<string, unknown> | null;
}

/** The audit actor for an authenticated request. */
export function principalActor(principal: Principal): NewAuditEvent['actor'] {
  return {
    type: principal.via === 'token' ? 'token' : 'user',
    id: principal.id,
    label: principal.label,
    credentialId: principal.credentialId,
  };
}

function rowToEvent(row: Selectable<AuditEventTable>): AuditEvent {
  return {
    id: row.id,
    at: row.at,
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
    ip: row.ip,
    userAgent: row.user_agent,
    target:
      row.target_type !== null && row.target_id !== null
        ? { type: row.target_type, id: row.target_id }
        : null,
    details:
      row.details_json === null ? null : (JSON.parse(row.details_json) as AuditEvent['details']),
  };
}

/** Appends an event to the audit log. */
export async function recordAudit(db: Db, event: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      at: event.at ?? new Date().toISOString(),
      action: event.action,
      actor_type: event.actor.type,
      actor_id: event.actor.id ?? null,
      actor_label: event.actor.label ?? null,
      credential_id: event.actor.credentialId ?? null,
      ip: event.ip ?? null,
      user_agent: event.userAgent?.slice(0, 512) ?? null,
      target_type: event.target?.type ?? null,
      target_id: event.target?.id ?? null,
      details_json: event.details ? JSON.stringify(event.details) : null,
    })
    .execute();
}

/** Whether this credential already has an event of this action on this target (listen once per session). */
export async function hasAuditEvent(
  db: Db,
  query: { action: AuditAction; credentialId: string; target: { type: string; id: string } },
): Promise<boolean> {
  const row = await db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', query.action)
    .where('credential_id', '=', query.credentialId)
    .where('target_type', '=', query.target.type)
    .where('target_id', '=', query.target.id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Filters for the audit log; times are ISO-8601 (from inclusive, to exclusive). */
export interface AuditFilters {
  action?: string;
  /** Actor label: an email, `token:<name>`. */
  actor?: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  from?: string;
  to?: string;
}

/** Audit events newest first, keyset-paged on id. */
export async function listAuditEvents(
  db: Db,
  filters: AuditFilters = {},
  page: { limit?: number; cursor?: string } = {},
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const limit = pageLimit(page.limit);
  let query = db.selectFrom('audit_events').selectAll();
  if (filters.action) query = query.where('action', '=', filters.action);
  if (filters.actor) query = query.where('actor_label', '=', filters.actor);
  if (filters.targetType) query = query.where('target_type', '=', filters.targetType);
  if (filters.targetId) query = query.where('target_id', '=', filters.targetId);
  if (filters.ip) query = query.where('ip', '=', filters.ip);
  if (filters.from) query = query.where('at', '>=', filters.from);
  if (filters.to) query = query.where('at', '<', filters.to);
  if (page.cursor) {
    const [id] = decodeCursor(page.cursor, ['number'] as const);
    query = query.where('id', '<', id);
  }
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return keysetPage(rows, limit, rowToEvent, (event) => [event.id]);
}
