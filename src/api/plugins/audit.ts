import fp from 'fastify-plugin';
import type { FastifyRequest, onSendAsyncHookHandler } from 'fastify';
import { hookList } from './access-control.js';
import type { RouteAudit } from './route-policies.js';
import {
  type AuditAction,
  hasAuditEvent,
  type NewAuditEvent,
  principalActor,
  recordAudit,
} from '../../auth/index.js';

/** Route-declared auditing: which action a successful request is, and what it targets. */
export interface RouteAuditConfig {
  action: AuditAction;
  /** Target type; defaults to the action's prefix (`recording` for `recording.download`). */
  targetType?: string;
  /** Route parameter holding the target id; defaults to `id`. */
  param?: string;
  /** Record only the first such event per login session (or API token) and target. */
  oncePerSession?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Audit every successful (2xx) request to this route, e.g. `audit: 'recording.download'`, or
     * a function choosing per request. `recording.listen` is recorded once per session and
     * recording (the first audio request).
     */
    audit?: RouteAudit;
  }
  interface FastifyRequest {
    /** Appends an audit event as the current user, with the client address and user agent. */
    audit(event: Pick<NewAuditEvent, 'action' | 'target' | 'details'>): Promise<void>;
  }
}

function normalize(config: AuditAction | RouteAuditConfig): Required<RouteAuditConfig> {
  const route = typeof config === 'string' ? { action: config } : config;
  return {
    action: route.action,
    targetType: route.targetType ?? route.action.split('.')[0] ?? 'unknown',
    param: route.param ?? 'id',
    oncePerSession: route.oncePerSession ?? route.action === 'recording.listen',
  };
}

/**
 * The audit log's request side: `request.audit(...)` for handlers, and `config.audit` on routes
 * owned by other modules (recordings), written before the response leaves so that no download
 * goes unrecorded (a failed audit write fails the request).
 */
export default fp(
  async (fastify) => {
    const { db } = fastify;

    fastify.decorateRequest('audit', function (this: FastifyRequest, event) {
      return recordAudit(db, {
        ...event,
        actor: this.user ? principalActor(this.user) : { type: 'anonymous' },
        ip: this.ip,
        userAgent: this.headers['user-agent'] ?? null,
      });
    });

    const auditResponse: onSendAsyncHookHandler = async (request, reply) => {
      const declared = request.routeOptions.config.audit;
      if (!declared || request.method === 'HEAD') return;
      if (reply.statusCode < 200 || reply.statusCode >= 300) return;
      const chosen = typeof declared === 'function' ? declared(request) : declared;
      if (!chosen) return;
      const audit = normalize(chosen);
      const params = (request.params ?? {}) as Record<string, unknown>;
      const target = { type: audit.targetType, id: String(params[audit.param] ?? '') };
      if (audit.oncePerSession && request.user) {
        const seen = await hasAuditEvent(db, {
          action: audit.action,
          credentialId: request.user.credentialId,
          target,
        });
        if (seen) return;
      }
      const range = request.headers.range;
      await request.audit({
        action: audit.action,
        target,
        details: range ? { range } : null,
      });
    };
    // Only on routes that declare auditing (their policies are applied by access-control's
    // onRoute hook, which runs first), so no other response waits on it.
    fastify.addHook('onRoute', (route) => {
      if (route.config?.audit) route.onSend = [...hookList(route.onSend), auditResponse];
    });
  },
  { name: 'audit', dependencies: ['access-control'] },
);
