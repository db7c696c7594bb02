import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type {
  FastifyReply,
  FastifyRequest,
  preSerializationAsyncHookHandler,
  RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import {
  authenticateApiToken,
  deleteStaleSessions,
  findActiveSession,
  isRole,
  type Principal,
  pruneLoginAttempts,
  type Role,
  roleAtLeast,
} from '../../auth/index.js';
import type { Config } from '../../config/index.js';
import type { RouteAccess } from '../app.js';
import { applyRoutePolicy } from './route-policies.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as; set on routes whose access is a role, else null. */
    user: Principal | null;
  }
  interface FastifyInstance {
    /** Every route registered so far and the access level it declares (for the fail-closed test). */
    routeAccess: RouteAccessRegistry;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

export interface RouteAccessRegistry {
  /** Every registered route, with the access level it declared (undefined: none, denied). */
  list(): RegisteredRoute[];
}

const ACCESS_LEVELS: readonly string[] = ['public', 'signed', 'viewer', 'supervisor', 'admin'];

/**
 * Routes that plugins register without a way to pass route config get their access here. The
 * OpenAPI description is public: it documents an open-source API and holds no data.
 */
const PLUGIN_ROUTE_PREFIXES: readonly { prefix: string; access: RouteAccess }[] = [
  { prefix: '/docs', access: 'public' },
];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How often stale sessions and old login attempts are deleted. */
const HOUSEKEEPING_INTERVAL_MS = 3_600_000;

/** The header browsers send the CSRF token in (the console reads it from `/api/auth/me`). */
export const CSRF_HEADER = 'x-csrf-token';

/** Cookie names; `__Host-` pins them to this host, path `/` and HTTPS when cookies are Secure. */
export function cookieNames(config: Pick<Config, 'console'>): { session: string; csrf: string } {
  const prefix = config.console.cookieSecure ? '__Host-' : '';
  return { session: `${prefix}dvl_session`, csrf: `${prefix}dvl_csrf` };
}

/** Attributes of the session cookie (also needed to clear it: `__Host-` cookies must be Secure). */
export function sessionCookieOptions(config: Pick<Config, 'console'>) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.console.cookieSecure,
  };
}

/**
 * For a handler whose route lets a lower role in but one variant of the request needs more
 * (e.g. `?download=1` on the audio route): 401/403 unless the request's user has `role`.
 */
export function requireRole(request: FastifyRequest, role: Role): Principal {
  const user = request.user;
  if (!user)
    throw request.server.httpErrors.unauthorized('Log in, or send an API token as Bearer.');
  if (!roleAtLeast(user.role, role)) {
    throw request.server.httpErrors.forbidden(`This needs the ${role} role.`);
  }
  return user;
}

/** The access level a route declared, or the one a plugin's routes get by prefix. */
function declaredAccess(route: RouteOptions): RouteAccess | undefined {
  const access = route.config?.access;
  if (access !== undefined) return access;
  const { url, method } = route;
  // @fastify/cors's preflight route (`OPTIONS <prefix>*`): it answers in a hook, and browsers
  // send preflights without credentials, so they could never pass a role check anyway.
  if (method === 'OPTIONS' && url.endsWith('*')) return 'public';
  return PLUGIN_ROUTE_PREFIXES.find((p) => url === p.prefix || url.startsWith(`${p.prefix}/`))
    ?.access;
}

/** A route's own hooks of one kind as a list (route options take one function or several). */
export function hookList<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : ([hooks].flat() as T[]);
}

// Error bodies pass through as they are.
const presentForUser: preSerializationAsyncHookHandler = async (request, reply, payload) => {
  const present = request.routeOptions.config.present;
  if (!present || !request.user || reply.statusCode >= 300) return payload;
  return present(payload, request.user, request.server.config);
};

function bearerToken(header: string) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Authentication and authorization for every route, from its declared `config.access`:
 * - `public`: anyone, rate-limited per client address (PUBLIC_RATE_LIMIT_PER_MINUTE); routes
 *   that browsers call cross-site check their own Origin allow-list (web calls);
 * - `signed`: anyone; the route checks the request signature itself (LiveKit webhooks);
 * - `viewer` < `supervisor` < `admin`: a session cookie or `Authorization: Bearer <API token>`
 *   with at least that role, else 401 (no credentials) or 403 (role too low). Cookie-authenticated
 *   state-changing requests must carry the CSRF token (`x-csrf-token`); Bearer requests need not,
 *   since browsers never attach them on their own.
 * A route that declares no (or an unknown) access level is denied: fail closed.
 */
export default fp(
  async (fastify) => {
    const { config, db } = fastify;
    const names = cookieNames(config);
    const routes: { method: string; url: string; options: RouteOptions }[] = [];

    fastify.addHook('onRoute', (route) => {
      applyRoutePolicy(route);
      // Only on the routes that rewrite responses per principal, so no other reply waits on it.
      if (route.config?.present) {
        route.preSerialization = [...hookList(route.preSerialization), presentForUser];
      }
      const access = declaredAccess(route);
      if (access !== undefined && route.config?.access === undefined) {
        route.config = { ...route.config, access };
      }
      if (access === 'public' && route.config?.rateLimit === undefined) {
        route.config = {
          ...route.config,
          rateLimit: { max: config.console.publicRateLimitPerMinute, timeWindow: 60_000 },
        };
      }
      for (const method of [route.method].flat()) {
        routes.push({ method, url: route.url, options: route });
      }
    });
    fastify.decorate('routeAccess', {
      list: () =>
        routes.map((r) => ({ method: r.method, url: r.url, access: r.options.config?.access })),
    } satisfies RouteAccessRegistry);

    // Only routes with `config.rateLimit` (public ones, set above; login sets its own) are limited.
    await fastify.register(rateLimit, { global: false });
    await fastify.register(cookie);
    await fastify.register(csrf, {
      cookieKey: names.csrf,
      cookieOpts: {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: config.console.cookieSecure,
      },
      getToken: (request) => {
        const value = request.headers[CSRF_HEADER];
        return Array.isArray(value) ? value[0] : value;
      },
    });
    fastify.decorateRequest('user', null);

    // Expired sessions and login attempts older than any lockout window serve no one: prune hourly.
    const prune = async () => {
      const now = Date.now();
      try {
        await deleteStaleSessions(db, new Date(now - HOUSEKEEPING_INTERVAL_MS));
        await pruneLoginAttempts(
          db,
          new Date(now - 2 * config.console.loginLockoutMs - 86_400_000),
        );
      } catch (error) {
        fastify.log.warn({ err: error }, 'pruning sessions and login attempts failed');
      }
    };
    const housekeeping = setInterval(() => void prune(), HOUSEKEEPING_INTERVAL_MS);
    housekeeping.unref();
    fastify.addHook('onClose', async () => clearInterval(housekeeping));

    async function authenticate(
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<Principal | null> {
      const authorization = request.headers.authorization;
      if (authorization !== undefined) {
        const secret = bearerToken(authorization);
        const token = secret ? await authenticateApiToken(db, secret) : null;
        if (!token) throw fastify.httpErrors.unauthorized('The API token is not valid.');
        return {
          id: token.id,
          email: null,
          label: `token:${token.name}`,
          role: token.role,
          via: 'token',
          credentialId: `token:${token.id}`,
        };
      }
      const sessionToken = request.cookies[names.session];
      if (!sessionToken) return null;
      const session = await findActiveSession(db, sessionToken);
      if (!session) {
        reply.clearCookie(names.session, sessionCookieOptions(config));
        return null;
      }
      return {
        id: session.userId,
        email: session.email,
        label: session.email,
        role: session.role,
        via: 'session',
        credentialId: session.id,
      };
    }

    /** 401/403 unless the request's credentials carry the role `access` (and `accessFor`) ask for. */
    async function authorize(request: FastifyRequest, reply: FastifyReply, access: RouteAccess) {
      const principal = await authenticate(request, reply);
      if (!principal) {
        throw fastify.httpErrors.unauthorized('Log in, or send an API token as Bearer.');
      }
      const required = request.routeOptions.config.accessFor?.(request) ?? access;
      for (const level of [access, required]) {
        if (!isRole(principal.role) || !isRole(level) || !roleAtLeast(principal.role, level)) {
          throw fastify.httpErrors.forbidden(`This needs the ${level} role.`);
        }
      }
      request.user = principal;
    }

    // Callback style, not async: public routes, the busiest, pass without a promise. Cookie-
    // authenticated state-changing requests then need the CSRF token; @fastify/csrf-protection
    // replies 403 itself and never calls done then.
    fastify.addHook('onRequest', (request, reply, done) => {
      if (request.is404) return done();
      const access = request.routeOptions.config.access;
      if (access === 'public' || access === 'signed') return done();
      if (access === undefined || !ACCESS_LEVELS.includes(access)) {
        request.log.error(
          { route: request.routeOptions.url, method: request.method },
          'route declares no access level: denied',
        );
        return done(fastify.httpErrors.forbidden('This route is not open to anyone.'));
      }
      authorize(request, reply, access).then(() => {
        if (request.user?.via === 'session' && !SAFE_METHODS.has(request.method)) {
          fastify.csrfProtection(request, reply, done);
        } else {
          done();
        }
      }, done);
    });
  },
  { name: 'access-control', dependencies: ['database', '@fastify/sensible'] },
);
