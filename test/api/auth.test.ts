import cors from '@fastify/cors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RouteAccess } from '../../src/api/app.js';
import { createUser, listAuditEvents, sha256Hex } from '../../src/auth/index.js';
import { buildTestApp } from '../helpers/app.js';
import { bearerHeaders, logInAs, sessionFor, TEST_PASSWORD } from '../helpers/auth.js';
import { buildTestAppWithRoutes } from '../helpers/app-with-routes.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Only Date is faked: Fastify, the database and argon2 keep their real timers. */
function freezeDate(iso: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

function setCookies(response: { headers: Record<string, unknown> }): string[] {
  return [response.headers['set-cookie'] ?? []].flat() as string[];
}

describe('console login and sessions', () => {
  it('sets an httpOnly SameSite=Lax session cookie, and answers 401 alike for wrong password and unknown email', async () => {
    const app = await buildTestApp();
    await createUser(app.db, { email: 'ann@dealer.test', password: TEST_PASSWORD, role: 'viewer' });
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ANN@dealer.test', password: TEST_PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      user: { email: 'ann@dealer.test', role: 'viewer', via: 'session' },
      permissions: { downloadRecordings: false, deleteRecordings: false, seePhoneNumbers: false },
      csrfToken: expect.any(String),
    });
    const session = setCookies(ok).find((c) => c.startsWith('dvl_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/);
    // Only the hash of the cookie value is stored.
    const token = session!.split(';')[0]!.split('=')[1]!;
    const stored = await app.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).toContain(sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ann@dealer.test', password: 'not the password' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@dealer.test', password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(setCookies(wrong)).toEqual([]);
  });

  it('marks cookies Secure with the __Host- prefix in production', async () => {
    const app = await buildTestApp({ env: { NODE_ENV: 'production' } });
    await createUser(app.db, { email: 'p@dealer.test', password: TEST_PASSWORD, role: 'admin' });
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'p@dealer.test', password: TEST_PASSWORD },
    });
    const cookies = setCookies(ok);
    expect(cookies.find((c) => c.startsWith('__Host-dvl_session='))).toMatch(/Secure/);
    expect(cookies.find((c) => c.startsWith('__Host-dvl_csrf='))).toMatch(
      /Secure.*SameSite=Strict|SameSite=Strict.*Secure/,
    );
    expect(ok.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('requires the CSRF token on cookie-authenticated state changes, not on Bearer ones', async () => {
    const app = await buildTestApp();
    const admin = await sessionFor(app, 'admin');
    const body = { name: 'csrf-check', role: 'viewer' };
    const missing = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin.headers,
      payload: body,
    });
    expect(missing.statusCode).toBe(403);
    const forged = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { ...admin.headers, 'x-csrf-token': 'forged' },
      payload: body,
    });
    expect(forged.statusCode).toBe(403);
    // A token from another session's secret does not fit this session's cookie.
    const other = await sessionFor(app, 'admin');
    const crossed = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { ...admin.headers, 'x-csrf-token': other.csrfToken },
      payload: body,
    });
    expect(crossed.statusCode).toBe(403);
    expect(await app.db.selectFrom('api_tokens').selectAll().execute()).toEqual([]);

    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: admin.headers });
    const fromMe = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { ...admin.headers, 'x-csrf-token': me.json().csrfToken },
      payload: body,
    });
    expect(fromMe.statusCode).toBe(201);
    const bearer = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await bearerHeaders(app, 'admin'),
      payload: { name: 'by-token', role: 'viewer' },
    });
    expect(bearer.statusCode).toBe(201);
  });

  it('logs out: the session is revoked, cookies cleared, the logout audited', async () => {
    const app = await buildTestApp();
    const viewer = await sessionFor(app, 'viewer');
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: viewer.unsafeHeaders,
    });
    expect(out.statusCode).toBe(204);
    expect(setCookies(out).some((c) => /^dvl_session=;.*Expires=Thu, 01 Jan 1970/.test(c))).toBe(
      true,
    );
    const after = await app.inject({ method: 'GET', url: '/api/auth/me', headers: viewer.headers });
    expect(after.statusCode).toBe(401);
    const { items } = await listAuditEvents(app.db, { actor: viewer.email });
    expect(items.map((e) => e.action)).toEqual(['auth.logout', 'auth.login']);
    expect(items[0]).toMatchObject({ ip: '127.0.0.1', actor: { type: 'user' } });
  });

  it('expires sessions after SESSION_TTL_HOURS', async () => {
    freezeDate('2026-11-21T08:00:00.000Z');
    const app = await buildTestApp({ env: { SESSION_TTL_HOURS: '2' } });
    const viewer = await sessionFor(app, 'viewer');
    vi.setSystemTime(new Date('2026-11-21T09:59:59.000Z'));
    expect(
      (await app.inject({ method: 'GET', url: '/api/calls', headers: viewer.headers })).statusCode,
    ).toBe(200);
    vi.setSystemTime(new Date('2026-11-21T10:00:00.000Z'));
    const expired = await app.inject({ method: 'GET', url: '/api/calls', headers: viewer.headers });
    expect(expired.statusCode).toBe(401);
    expect(setCookies(expired).some((c) => c.startsWith('dvl_session=;'))).toBe(true);
  });

  it('locks the account after LOGIN_MAX_ATTEMPTS failures until LOGIN_LOCKOUT_MINUTES pass', async () => {
    freezeDate('2026-11-21T08:00:00.000Z');
    const app = await buildTestApp({
      env: { LOGIN_MAX_ATTEMPTS: '3', LOGIN_LOCKOUT_MINUTES: '10' },
    });
    await createUser(app.db, {
      email: 'lock@dealer.test',
      password: TEST_PASSWORD,
      role: 'viewer',
    });
    const login = (password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'lock@dealer.test', password },
      });
    expect((await login('bad 1')).statusCode).toBe(401);
    expect((await login('bad 2')).statusCode).toBe(401);
    const third = await login('bad 3');
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBe('600');
    vi.setSystemTime(new Date('2026-11-21T08:09:00.000Z'));
    const stillLocked = await login(TEST_PASSWORD);
    expect(stillLocked.statusCode).toBe(429);
    expect(stillLocked.headers['retry-after']).toBe('60');
    vi.setSystemTime(new Date('2026-11-21T08:10:00.000Z'));
    expect((await login(TEST_PASSWORD)).statusCode).toBe(200);

    const { items } = await listAuditEvents(app.db, { actor: 'lock@dealer.test' });
    expect(items.map((e) => `${e.action}:${(e.details?.reason as string) ?? ''}`)).toEqual([
      'auth.login:',
      'auth.login_failed:locked',
      'auth.login_failed:wrong_password',
      'auth.login_failed:wrong_password',
      'auth.login_failed:wrong_password',
    ]);
  });

  it('prunes expired sessions and old login attempts every hour', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval'] });
    vi.setSystemTime(new Date('2026-11-21T08:00:00.000Z'));
    const app = await buildTestApp({ env: { SESSION_TTL_HOURS: '1' } });
    await sessionFor(app, 'viewer');
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ghost@dealer.test', password: 'wrong password' },
    });
    const count = async (table: 'sessions' | 'login_attempts') =>
      (await app.db.selectFrom(table).select('id').execute()).length;
    expect(await count('sessions')).toBe(1);
    vi.setSystemTime(new Date('2026-11-23T08:00:00.000Z'));
    await vi.advanceTimersByTimeAsync(3_600_000);
    await expect.poll(() => count('sessions')).toBe(0);
    await expect.poll(() => count('login_attempts')).toBe(0);
  });

  it('ends sessions of a disabled user at once and keeps the last admin', async () => {
    const app = await buildTestApp();
    const admin = await sessionFor(app, 'admin');
    const viewer = await sessionFor(app, 'viewer');
    const users = (
      await app.inject({ method: 'GET', url: '/api/users', headers: admin.headers })
    ).json().items as { id: number; email: string }[];
    const viewerId = users.find((u) => u.email === viewer.email)!.id;
    const adminId = users.find((u) => u.email === admin.email)!.id;
    const disable = await app.inject({
      method: 'PATCH',
      url: `/api/users/${viewerId}`,
      headers: admin.unsafeHeaders,
      payload: { disabled: true },
    });
    expect(disable.json()).toMatchObject({ disabled: true });
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: viewer.headers }))
        .statusCode,
    ).toBe(401);
    const demoteSelf = await app.inject({
      method: 'PATCH',
      url: `/api/users/${adminId}`,
      headers: admin.unsafeHeaders,
      payload: { role: 'viewer' },
    });
    expect(demoteSelf.statusCode).toBe(409);
    const ownPassword = await app.inject({
      method: 'PATCH',
      url: `/api/users/${adminId}`,
      headers: admin.unsafeHeaders,
      payload: { password: 'a fresh admin password' },
    });
    expect(ownPassword.statusCode).toBe(200);
    // Changing one's own password keeps this session.
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: admin.headers })).statusCode,
    ).toBe(200);
    await expect(logInAs(app, admin.email, 'a fresh admin password')).resolves.toBeDefined();
  });
});

describe('API tokens', () => {
  it('shows the token once, stores only its hash, and stops it when revoked', async () => {
    const app = await buildTestApp();
    const admin = await sessionFor(app, 'admin');
    const created = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin.unsafeHeaders,
      payload: { name: 'dms-export', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { token, apiToken } = created.json() as { token: string; apiToken: { id: number } };
    const list = await app.inject({ method: 'GET', url: '/api/tokens', headers: admin.headers });
    expect(list.body).not.toContain(token);
    const rows = await app.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows.map((r) => r.token_hash)).toContain(sha256Hex(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/api/calls', headers: auth })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: auth })).statusCode).toBe(
      403,
    );
    const revoke = await app.inject({
      method: 'DELETE',
      url: `/api/tokens/${apiToken.id}`,
      headers: admin.unsafeHeaders,
    });
    expect(revoke.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/calls', headers: auth })).statusCode).toBe(
      401,
    );
    for (const authorization of ['Basic abc', 'Bearer', `Bearer ${token}x`, 'Bearer dvl_nope']) {
      const r = await app.inject({ method: 'GET', url: '/api/calls', headers: { authorization } });
      expect(r.statusCode, authorization).toBe(401);
    }
    const audit = await app.inject({ method: 'GET', url: '/api/audit', headers: admin.headers });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
      'token.revoke',
      'token.create',
      'auth.login',
    ]);
  });
});

describe('public routes, headers and fail-closed', () => {
  it('rate-limits public routes per address, not authenticated ones', async () => {
    const app = await buildTestApp({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: '2' } });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await app.inject('/health')).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const other = await app.inject({ url: '/health', remoteAddress: '192.0.2.9' });
    expect(other.statusCode).toBe(200);
    const viewer = await bearerHeaders(app, 'viewer');
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({ url: '/api/calls', headers: viewer });
      expect(r.statusCode).toBe(200);
    }
  });

  it('sends security headers with a CSP that allows only our own scripts and media', async () => {
    const app = await buildTestApp();
    const response = await app.inject('/health');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('denies a route that declares no access level (or an unknown one), whoever asks', async () => {
    const app = await buildTestAppWithRoutes((scope) => {
      scope.get('/forgot', async () => ({ secret: true }));
      scope.get('/typo', { config: { access: 'viewers' as RouteAccess } }, async () => ({}));
    });
    const admin = await bearerHeaders(app, 'admin');
    for (const url of ['/forgot', '/typo']) {
      expect((await app.inject(url)).statusCode).toBe(403);
      const r = await app.inject({ url, headers: admin });
      expect(r.statusCode).toBe(403);
      expect(r.body).not.toContain('secret');
    }
    expect(app.routeAccess.list()).toContainEqual({
      method: 'GET',
      url: '/forgot',
      access: undefined,
    });
  });

  it("lets CORS preflights through (a scoped @fastify/cors's OPTIONS route is public)", async () => {
    const app = await buildTestAppWithRoutes(async (scope) => {
      await scope.register(
        async (widget) => {
          await widget.register(cors, { origin: ['https://www.dealer.test'], methods: ['POST'] });
          widget.post('/', { config: { access: 'public' } }, async () => ({ ok: true }));
        },
        { prefix: '/api/widget-test' },
      );
    });
    expect(app.routeAccess.list()).toContainEqual({
      method: 'OPTIONS',
      url: '/api/widget-test*',
      access: 'public',
    });
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/widget-test/',
      headers: { origin: 'https://www.dealer.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://www.dealer.test');
  });
});
