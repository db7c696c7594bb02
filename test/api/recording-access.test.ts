import { describe, expect, it } from 'vitest';
import { ROUTE_POLICIES } from '../../src/api/plugins/route-policies.js';
import { listAuditEvents, type Principal } from '../../src/auth/index.js';
import { buildTestApp, tempDir, testConfig } from '../helpers/app.js';
import { bearerHeaders, sessionFor } from '../helpers/auth.js';
import { seedFixtureCall, seedFixtureRecording } from '../helpers/console-seed.js';

/** The console's rules on the recordings routes (which the recording module owns). */
describe('recordings: access, audit and masking', () => {
  async function setup() {
    const app = await buildTestApp({ env: { RECORDINGS_DIR: tempDir() } });
    const call = await seedFixtureCall(app.db);
    const recording = await seedFixtureRecording(app.db, app.recordings.store, call);
    return { app, recording };
  }

  it('audits listening once per session, every download and the delete, with who and where', async () => {
    const { app, recording } = await setup();
    const viewer = await sessionFor(app, 'viewer');
    const supervisor = await sessionFor(app, 'supervisor');
    const audio = `/api/recordings/${recording.id}/audio`;
    for (const range of ['bytes=0-999', 'bytes=1000-']) {
      const r = await app.inject({ url: audio, headers: { ...viewer.headers, range } });
      expect(r.statusCode).toBe(206);
    }
    const refused = await app.inject({ url: `${audio}?download=1`, headers: viewer.headers });
    expect(refused.statusCode).toBe(403);
    for (let i = 0; i < 2; i++) {
      const r = await app.inject({ url: `${audio}?download=1`, headers: supervisor.headers });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-disposition']).toMatch(/^attachment/);
    }
    const denied = await app.inject({
      method: 'DELETE',
      url: `/api/recordings/${recording.id}`,
      headers: viewer.unsafeHeaders,
    });
    expect(denied.statusCode).toBe(403);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/recordings/${recording.id}`,
      headers: supervisor.unsafeHeaders,
    });
    expect(deleted.statusCode).toBe(204);

    const { items } = await listAuditEvents(app.db, { targetType: 'recording' });
    expect(items.map((e) => `${e.action} ${e.actor.label}`).reverse()).toEqual([
      `recording.listen ${viewer.email}`,
      `recording.download ${supervisor.email}`,
      `recording.download ${supervisor.email}`,
      `recording.delete ${supervisor.email}`,
    ]);
    expect(items.every((e) => e.target?.id === recording.id && e.ip === '127.0.0.1')).toBe(true);
  });

  it('masks the caller number in recordings for viewers', async () => {
    const { app, recording } = await setup();
    const viewer = await bearerHeaders(app, 'viewer');
    const supervisor = await bearerHeaders(app, 'supervisor');
    const list = await app.inject({ url: '/api/recordings', headers: viewer });
    expect(list.json().items[0].call.callerNumber).toBe('+1 •••• ••• 4567');
    const one = await app.inject({ url: `/api/recordings/${recording.id}`, headers: viewer });
    expect(one.json().call.callerNumber).toBe('+1 •••• ••• 4567');
    const full = await app.inject({ url: `/api/recordings/${recording.id}`, headers: supervisor });
    expect(full.json().call.callerNumber).toBe('+15551234567');
    const missing = await app.inject({ url: '/api/recordings/nope', headers: viewer });
    expect(missing.statusCode).toBe(404);
  });

  it('hides presigned (download) URLs from viewers', () => {
    const present = ROUTE_POLICIES['GET /api/recordings/:id']!.present!;
    const body = {
      call: { callerNumber: '+15551234567' },
      presignedUrl: 'https://s3.example/recordings/a.ogg?X-Amz-Signature=abc',
      presignedUrlExpiresAt: '2026-11-21T10:05:00.000Z',
    };
    const user = (role: Principal['role']): Principal => ({
      id: 1,
      email: 'x@dealer.test',
      label: 'x@dealer.test',
      role,
      via: 'session',
      credentialId: 'c',
    });
    const config = testConfig();
    expect(present(body, user('viewer'), config)).toMatchObject({
      presignedUrl: null,
      presignedUrlExpiresAt: null,
    });
    expect(present(body, user('supervisor'), config)).toMatchObject({
      presignedUrl: body.presignedUrl,
    });
  });
});
