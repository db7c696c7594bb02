import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createApiToken, createUser, type Role } from '../../src/auth/index.js';
import { createCall } from '../../src/calls/index.js';
import { tempDir, testConfig } from '../helpers/app.js';
import { seedFixtureRecording } from '../helpers/console-seed.js';
import { createTestDatabase } from '../helpers/databases.js';
import { bearerHeaders, type BrowserSession, sessionFor, TEST_PASSWORD } from '../helpers/auth.js';

/**
 * Every route x every kind of caller -> the status we expect. A route added anywhere in the
 * product fails the "is in the matrix" test until someone decides its row here.
 * Columns: anonymous, viewer, supervisor, admin (browser sessions), and a supervisor API token.
 */
type Who = 'anonymous' | 'viewer' | 'supervisor' | 'admin' | 'token';
const WHO: readonly Who[] = ['anonymous', 'viewer', 'supervisor', 'admin', 'token'];

interface Ctx {
  app: FastifyInstance;
  callId: string;
  recordingId: string;
  targetUserId: number;
  unique: () => number;
}

interface Row {
  route: string;
  /** Names a second row for the same route (another variant of the request). */
  label?: string;
  status: [anonymous: number, viewer: number, supervisor: number, admin: number, token: number];
  /** The concrete request (defaults to the route's method and URL). */
  request?: (ctx: Ctx) => Promise<Partial<InjectOptions>> | Partial<InjectOptions>;
  /** Use a fresh session per caller (the request ends it). */
  fresh?: boolean;
}

// prettier-ignore
const MATRIX: Row[] = [
  //                                        anon viewer super admin token
  { route: 'GET /health',                 status: [200, 200, 200, 200, 200] },
  { route: 'GET /health/ready',           status: [200, 200, 200, 200, 200] },
  // Prometheus: public unless METRICS_TOKEN is set, then the route checks its own token.
  { route: 'GET /metrics',                status: [200, 200, 200, 200, 200] },
  { route: 'GET /docs',                   status: [200, 200, 200, 200, 200] },
  { route: 'GET /docs/json',              status: [200, 200, 200, 200, 200] },
  { route: 'GET /docs/yaml',              status: [200, 200, 200, 200, 200] },
  { route: 'GET /docs/static/index.html', status: [302, 302, 302, 302, 302] },
  { route: 'GET /docs/static/swagger-initializer.js', status: [200, 200, 200, 200, 200] },
  { route: 'GET /docs/static/*',          status: [200, 200, 200, 200, 200],
    request: () => ({ url: '/docs/static/index.css' }) },
  { route: 'POST /api/auth/login',        status: [200, 200, 200, 200, 200],
    request: async ({ app, unique }) => {
      const email = `login-${unique()}@dealer.test`;
      await createUser(app.db, { email, password: TEST_PASSWORD, role: 'viewer' });
      return { payload: { email, password: TEST_PASSWORD } };
    } },
  { route: 'GET /api/auth/me',            status: [401, 200, 200, 200, 200] },
  { route: 'POST /api/auth/logout',       status: [401, 204, 204, 204, 400], fresh: true },
  { route: 'GET /api/calls',              status: [401, 200, 200, 200, 200] },
  { route: 'GET /api/calls/:id',          status: [401, 200, 200, 200, 200],
    request: ({ callId }) => ({ url: `/api/calls/${callId}` }) },
  { route: 'GET /api/users',              status: [401, 403, 403, 200, 403] },
  { route: 'POST /api/users',             status: [401, 403, 403, 201, 403],
    request: ({ unique }) => ({
      payload: { email: `new-${unique()}@dealer.test`, password: TEST_PASSWORD, role: 'viewer' },
    }) },
  { route: 'PATCH /api/users/:id',        status: [401, 403, 403, 200, 403],
    request: ({ targetUserId }) => ({
      url: `/api/users/${targetUserId}`,
      payload: { role: 'supervisor' },
    }) },
  { route: 'GET /api/tokens',             status: [401, 403, 403, 200, 403] },
  { route: 'POST /api/tokens',            status: [401, 403, 403, 201, 403],
    request: ({ unique }) => ({ payload: { name: `client-${unique()}`, role: 'viewer' } }) },
  { route: 'DELETE /api/tokens/:id',      status: [401, 403, 403, 204, 403],
    request: async ({ app, unique }) => {
      const { apiToken } = await createApiToken(app.db, { name: `gone-${unique()}`, role: 'viewer' });
      return { url: `/api/tokens/${apiToken.id}` };
    } },
  { route: 'GET /api/audit',              status: [401, 403, 403, 200, 403] },
  { route: 'GET /api/calls/active',       status: [401, 200, 200, 200, 200] },
  { route: 'GET /api/recordings',         status: [401, 200, 200, 200, 200] },
  { route: 'GET /api/recordings/:id',     status: [401, 200, 200, 200, 200],
    request: ({ recordingId }) => ({ url: `/api/recordings/${recordingId}` }) },
  { route: 'GET /api/recordings/:id/audio', status: [401, 206, 206, 206, 206],
    request: ({ recordingId }) => ({
      url: `/api/recordings/${recordingId}/audio`,
      headers: { range: 'bytes=0-99' },
    }) },
  { route: 'GET /api/recordings/:id/audio', label: 'download (?download=1)',
    status: [401, 403, 200, 200, 200],
    request: ({ recordingId }) => ({ url: `/api/recordings/${recordingId}/audio?download=1` }) },
  { route: 'DELETE /api/recordings/:id',  status: [401, 403, 204, 204, 204],
    request: async ({ app, unique }) => {
      const call = await createCall(app.db, { roomName: `doomed-${unique()}`, channel: 'sip' });
      const recording = await seedFixtureRecording(app.db, app.recordings.store, call);
      return { url: `/api/recordings/${recording.id}` };
    } },
  // Signed: the route checks LiveKit's signature itself; without LiveKit keys it cannot (503).
  { route: 'POST /webhooks/livekit',      status: [503, 503, 503, 503, 503],
    request: () => ({ headers: { 'content-type': 'application/webhook+json' }, payload: '{}' }) },
  // Public, origin-checked by the route; LiveKit is not configured in this app (503).
  // The vehicle service: inventory is public information.
  { route: 'POST /api/lookup-vehicle',    status: [200, 200, 200, 200, 200],
    request: () => ({ payload: { vin: '1HGCM82633A004352' } }) },
  { route: 'GET /api/vehicles',           status: [200, 200, 200, 200, 200] },
  { route: 'GET /api/vehicles/:vin',      status: [404, 404, 404, 404, 404],
    request: () => ({ url: '/api/vehicles/1HGCM82633A004352' }) },
  { route: 'GET /api/vin/:vin/decode',    status: [200, 200, 200, 200, 200],
    request: () => ({ url: '/api/vin/1HGCM82633A004352/decode' }) },
  { route: 'POST /api/web-calls',         status: [503, 503, 503, 503, 503],
    request: () => ({ payload: {} }) },
  { route: 'OPTIONS /api/web-calls*',     status: [204, 204, 204, 204, 204],
    request: () => ({
      url: '/api/web-calls',
      headers: { origin: 'https://www.dealer.test', 'access-control-request-method': 'POST' },
    }) },
  { route: 'POST /api/web-calls/:room/end', status: [401, 403, 503, 503, 503],
    request: () => ({ url: '/api/web-calls/web_0123456789ab/end' }) },
  { route: 'GET /',                       status: [200, 200, 200, 200, 200] },
  { route: 'GET /console/vocabulary.js',  status: [200, 200, 200, 200, 200] },
  { route: 'GET /console/*',              status: [200, 200, 200, 200, 200],
    request: () => ({ url: '/console/app.js' }) },
];

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

describe('access matrix: route x role -> status', () => {
  let app: FastifyInstance;
  let ctx: Ctx;
  const sessions = new Map<Who, BrowserSession>();
  let tokenHeaders: { authorization: string };
  let n = 0;

  beforeAll(async () => {
    // One app for the whole table (buildTestApp closes per test).
    app = await buildApp({
      config: testConfig({
        RECORDINGS_DIR: tempDir(),
        WEB_CALL_ALLOWED_ORIGINS: 'https://www.dealer.test',
      }),
      database: await createTestDatabase('sqlite'),
      ownsDatabase: true,
    });
    await app.ready();
    const call = await createCall(app.db, { roomName: 'matrix-room', channel: 'sip' });
    const recording = await seedFixtureRecording(app.db, app.recordings.store, call);
    const target = await createUser(app.db, {
      email: 'target@dealer.test',
      password: TEST_PASSWORD,
      role: 'viewer',
    });
    ctx = {
      app,
      callId: call.id,
      recordingId: recording.id,
      targetUserId: target.id,
      unique: () => (n += 1),
    };
    for (const role of ['viewer', 'supervisor', 'admin'] as const) {
      sessions.set(role, await sessionFor(app, role));
    }
    tokenHeaders = await bearerHeaders(app, 'supervisor');
  });

  afterAll(() => app.close());

  async function headersFor(who: Who, method: string, fresh: boolean) {
    if (who === 'anonymous') return {};
    if (who === 'token') return tokenHeaders;
    const session = fresh ? await sessionFor(app, who as Role) : sessions.get(who)!;
    return SAFE.has(method) ? session.headers : session.unsafeHeaders;
  }

  it('every registered route declares a valid access level (none falls through)', () => {
    const routes = app.routeAccess.list();
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter(
      (r) => !['public', 'signed', 'viewer', 'supervisor', 'admin'].includes(r.access ?? ''),
    );
    expect(undeclared).toEqual([]);
  });

  it('has a row for every registered route (HEAD follows its GET)', () => {
    const rows = new Set(MATRIX.map((r) => r.route));
    const missing = app.routeAccess
      .list()
      .filter((r) => r.method !== 'HEAD' && !rows.has(`${r.method} ${r.url}`))
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  for (const row of MATRIX) {
    it(`${row.route}${row.label ? ` ${row.label}` : ''}: ${WHO.map((w, i) => `${w} ${row.status[i]}`).join(', ')}`, async () => {
      const [method, url] = row.route.split(' ') as [InjectOptions['method'], string];
      const actual: number[] = [];
      for (const who of WHO) {
        const request = { method, url, ...(await row.request?.(ctx)) };
        const headers = await headersFor(who, String(method), row.fresh ?? false);
        const response = await app.inject({
          ...request,
          headers: { ...headers, ...request.headers },
        });
        actual.push(response.statusCode);
        if (method === 'GET') {
          const head = await app.inject({
            ...request,
            method: 'HEAD',
            headers: { ...headers, ...request.headers },
          });
          expect(head.statusCode, `HEAD ${request.url} as ${who}`).toBe(response.statusCode);
        }
      }
      expect(actual).toEqual(row.status);
    });
  }
});
