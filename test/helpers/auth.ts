import type { FastifyInstance, InjectOptions } from 'fastify';
import { createApiToken, createUser, type Role } from '../../src/auth/index.js';

/** The password every test user gets. */
export const TEST_PASSWORD = 'correct horse battery staple';

let counter = 0;

/** `Authorization: Bearer` headers for a fresh API token with this role (cheap: no password hashing). */
export async function bearerHeaders(
  app: FastifyInstance,
  role: Role,
): Promise<{ authorization: string }> {
  counter += 1;
  const { token } = await createApiToken(app.db, { name: `test-${role}-${counter}`, role });
  return { authorization: `Bearer ${token}` };
}

/** A logged-in browser: the cookies to send back and the CSRF token for state-changing requests. */
export interface BrowserSession {
  email: string;
  cookie: string;
  csrfToken: string;
  /** Headers for a GET (the cookies). */
  headers: { cookie: string };
  /** Headers for a POST/PATCH/DELETE (cookies + CSRF token). */
  unsafeHeaders: { cookie: string; 'x-csrf-token': string };
}

/** Cookies from a response, as a `cookie` request header (name=value; ...). */
export function cookieHeader(setCookie: string | string[] | undefined): string {
  return [setCookie ?? []]
    .flat()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Logs in through `POST /api/auth/login` and returns the session's cookies and CSRF token. */
export async function logInAs(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<BrowserSession> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) {
    throw new Error(`login as ${email} failed: ${response.statusCode} ${response.body}`);
  }
  const cookie = cookieHeader(response.headers['set-cookie']);
  const csrfToken = (response.json() as { csrfToken: string }).csrfToken;
  return {
    email,
    cookie,
    csrfToken,
    headers: { cookie },
    unsafeHeaders: { cookie, 'x-csrf-token': csrfToken },
  };
}

/** Creates a user with this role (password `TEST_PASSWORD`) and logs them in. */
export async function sessionFor(app: FastifyInstance, role: Role): Promise<BrowserSession> {
  counter += 1;
  const email = `${role}-${counter}@dealer.test`;
  await createUser(app.db, { email, password: TEST_PASSWORD, role });
  return logInAs(app, email);
}

/**
 * The same app, with every `inject` sent with an API token holding `role`: for route tests that
 * are about what a route does, not about who may call it (the access matrix covers that).
 */
export async function authorizedAs(app: FastifyInstance, role: Role): Promise<FastifyInstance> {
  const auth = await bearerHeaders(app, role);
  const inject = (options: InjectOptions | string) => {
    const request = typeof options === 'string' ? { url: options } : options;
    return app.inject({ ...request, headers: { ...auth, ...request.headers } });
  };
  return new Proxy(app, {
    get: (target, property, receiver) =>
      property === 'inject' ? inject : Reflect.get(target, property, receiver),
  });
}
