import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  logIn,
  mayDownloadRecordings,
  type Principal,
  revokeSession,
  roleAtLeast,
  shouldMaskPhoneNumbers,
  type User,
} from '../../auth/index.js';
import { cookieNames, sessionCookieOptions } from '../plugins/access-control.js';
import { errorSchema } from '../schemas/common.js';
import type { userSchema } from '../schemas/auth.js';
import { permissionsSchema, principalSchema } from '../schemas/auth.js';

/** Login attempts per client address per minute, before the per-account lockout even counts. */
const LOGIN_RATE_PER_MINUTE = 20;

const meSchema = z.object({
  user: principalSchema,
  permissions: permissionsSchema,
  /** Send as `x-csrf-token` on state-changing requests; null for API tokens (not needed). */
  csrfToken: z.string().nullable(),
});

/** The API view of a user. */
export function toUserBody(user: User): z.infer<typeof userSchema> {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    disabled: user.disabled,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
  };
}

/**
 * Console login and logout (an httpOnly session cookie), and `me`: the current user, what the
 * console may show them, and the CSRF token to send with state-changing requests.
 */
const authRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const { config, db } = fastify;
  const names = cookieNames(config);

  function permissions(principal: Principal): z.infer<typeof permissionsSchema> {
    return {
      downloadRecordings: mayDownloadRecordings(principal.role),
      deleteRecordings: mayDownloadRecordings(principal.role),
      viewAudit: roleAtLeast(principal.role, 'admin'),
      manageUsers: roleAtLeast(principal.role, 'admin'),
      seePhoneNumbers: !shouldMaskPhoneNumbers(principal, config),
    };
  }

  /** A fresh CSRF secret cookie (a new one at each login) and a token for it. */
  function freshCsrfToken(request: FastifyRequest, reply: FastifyReply): string {
    delete request.cookies[names.csrf];
    return reply.generateCsrf();
  }

  fastify.post(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: { max: LOGIN_RATE_PER_MINUTE, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log into the console: sets the session cookie',
        body: z.object({
          email: z.string().trim().min(1).max(254),
          password: z.string().min(1).max(256),
        }),
        response: {
          200: meSchema,
          401: errorSchema,
          429: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await logIn(
        db,
        {
          email: request.body.email,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        },
        {
          maxAttempts: config.console.loginMaxAttempts,
          lockoutMs: config.console.loginLockoutMs,
          sessionTtlMs: config.console.sessionTtlMs,
        },
      );
      if (!result.ok && result.reason === 'locked') {
        const seconds = Math.max(
          1,
          Math.ceil((Date.parse(result.lockedUntil) - Date.now()) / 1000),
        );
        reply.header('retry-after', String(seconds));
        throw fastify.httpErrors.tooManyRequests(
          `Too many failed logins: try again after ${result.lockedUntil}.`,
        );
      }
      if (!result.ok) throw fastify.httpErrors.unauthorized('Wrong email or password.');
      reply.setCookie(names.session, result.session.token, {
        ...sessionCookieOptions(config),
        expires: new Date(result.session.expiresAt),
      });
      const principal: Principal = {
        id: result.user.id,
        email: result.user.email,
        label: result.user.email,
        role: result.user.role,
        via: 'session',
        credentialId: result.session.id,
      };
      return {
        user: principalBody(principal),
        permissions: permissions(principal),
        csrfToken: freshCsrfToken(request, reply),
      };
    },
  );

  fastify.get(
    '/api/auth/me',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'The current user, their permissions and a CSRF token',
        response: { 200: meSchema, 401: errorSchema },
      },
    },
    async (request, reply) => {
      const principal = request.user as Principal;
      return {
        user: principalBody(principal),
        permissions: permissions(principal),
        csrfToken: principal.via === 'session' ? reply.generateCsrf() : null,
      };
    },
  );

  fastify.post(
    '/api/auth/logout',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'End the session (cookie sessions; API tokens are revoked instead)',
        response: { 204: z.null(), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const principal = request.user as Principal;
      if (principal.via !== 'session') {
        throw fastify.httpErrors.badRequest('API tokens do not log out: revoke the token instead.');
      }
      await revokeSession(db, principal.credentialId);
      await request.audit({ action: 'auth.logout' });
      reply.clearCookie(names.session, sessionCookieOptions(config));
      reply.clearCookie(names.csrf, { ...sessionCookieOptions(config), sameSite: 'strict' });
      return reply.code(204).send(null);
    },
  );
};

function principalBody(principal: Principal): z.infer<typeof principalSchema> {
  return {
    id: principal.id,
    email: principal.email,
    label: principal.label,
    role: principal.role,
    via: principal.via,
  };
}

export default authRoutes;
