import type { FastifyRequest, RouteOptions } from 'fastify';
import {
  maskPhoneNumber,
  maskPhoneText,
  mayDownloadRecordings,
  type Principal,
} from '../../auth/index.js';
import type { Config } from '../../config/index.js';
import type { RouteAccess } from '../app.js';
import type { RouteAuditConfig } from './audit.js';
import type { AuditAction } from '../../auth/index.js';

/** An audit declaration: fixed, or chosen per request (null: nothing to record). */
export type RouteAudit =
  | AuditAction
  | RouteAuditConfig
  | ((request: FastifyRequest) => AuditAction | RouteAuditConfig | null);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Raises the required role for some requests to a route, e.g. `?download=1` on the audio
     * route needs a supervisor while playing needs a viewer. Checked after `access`.
     */
    accessFor?: (request: FastifyRequest) => RouteAccess;
    /**
     * Rewrites a JSON response for the requesting principal before it is serialized (masking
     * phone numbers, hiding download links from roles that may not download).
     */
    present?: (body: unknown, user: Principal, config: Config) => unknown;
  }
}

/** What the access-control and audit plugins apply to a route another module owns. */
export interface RoutePolicy {
  accessFor?: NonNullable<RouteOptions['config']>['accessFor'];
  audit?: RouteAudit;
  present?: NonNullable<RouteOptions['config']>['present'];
}

const isDownload = (request: FastifyRequest) =>
  (request.query as { download?: string } | undefined)?.download === '1';

interface RecordingBody {
  call?: { callerNumber?: string | null };
  presignedUrl?: string | null;
  presignedUrlExpiresAt?: string | null;
}

/** A recording as a viewer may see it: caller number masked, no presigned (download) URL. */
function presentRecording(body: RecordingBody, user: Principal, config: Config): RecordingBody {
  const shown: RecordingBody = { ...body };
  if (body.call) {
    shown.call = {
      ...body.call,
      callerNumber: maskPhoneNumber(body.call.callerNumber, user, config),
    };
  }
  if ('presignedUrl' in body && !mayDownloadRecordings(user.role)) {
    shown.presignedUrl = null;
    shown.presignedUrlExpiresAt = null;
  }
  return shown;
}

/**
 * Access, audit and presentation rules for routes other modules own, keyed by `METHOD url`, so
 * their handlers stay as they are. A route that declares one of these in its own config keeps
 * its own. The recordings routes: playing is a viewer's right and audited once per session;
 * downloading (`?download=1`) and deleting need a supervisor and are audited every time.
 */
export const ROUTE_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  'GET /api/recordings/:id/audio': {
    accessFor: (request) => (isDownload(request) ? 'supervisor' : 'viewer'),
    audit: (request) => (isDownload(request) ? 'recording.download' : 'recording.listen'),
  },
  'DELETE /api/recordings/:id': { audit: 'recording.delete' },
  'GET /api/recordings/:id': {
    present: (body, user, config) => presentRecording(body as RecordingBody, user, config),
  },
  'GET /api/calls/active': {
    present: (body, user, config) => {
      const page = body as { items: { callerNumber: string | null; roomName: string }[] };
      return {
        ...page,
        items: page.items.map((call) => ({
          ...call,
          callerNumber: maskPhoneNumber(call.callerNumber, user, config),
          roomName: maskPhoneText(call.roomName, user, config),
        })),
      };
    },
  },
  'GET /api/recordings': {
    present: (body, user, config) => {
      const page = body as { items: RecordingBody[] };
      return { ...page, items: page.items.map((item) => presentRecording(item, user, config)) };
    },
  },
};

/** Fills in the policy for a route (only what the route did not declare itself). */
export function applyRoutePolicy(route: RouteOptions): void {
  const policy = [route.method]
    .flat()
    .map((method) => ROUTE_POLICIES[`${method} ${route.url}`])
    .find((p) => p !== undefined);
  if (!policy) return;
  const config = { ...route.config };
  if (policy.accessFor && config.accessFor === undefined) config.accessFor = policy.accessFor;
  if (policy.audit && config.audit === undefined) config.audit = policy.audit;
  if (policy.present && config.present === undefined) config.present = policy.present;
  route.config = config;
}
