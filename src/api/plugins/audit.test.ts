import { describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../auth/index.js';
import { buildTestAppWithRoutes } from '../../../test/helpers/app-with-routes.js';
import { bearerHeaders, sessionFor } from '../../../test/helpers/auth.js';

describe('audit via route config', () => {
  const app = () =>
    buildTestAppWithRoutes((scope) => {
      scope.get(
        '/api/things/:id/audio',
        { config: { access: 'viewer', audit: 'recording.listen' } },
        async (request, reply) => {
          const { id } = request.params as { id: string };
          if (id === 'missing') return reply.code(404).send({ message: 'no' });
          return reply.code(206).send('bytes');
        },
      );
      scope.get(
        '/api/things/:thingId/download',
        {
          config: {
            access: 'supervisor',
            audit: { action: 'recording.download', param: 'thingId' },
          },
        },
        async () => 'file',
      );
    });

  it('records a listen once per session and recording, downloads every time, 2xx only', async () => {
    const server = await app();
    const supervisor = await sessionFor(server, 'supervisor');
    const listen = (id: string, headers: Record<string, string> = supervisor.headers) =>
      server.inject({ url: `/api/things/${id}/audio`, headers: { ...headers, range: 'bytes=0-' } });
    expect((await listen('rec-1')).statusCode).toBe(206);
    await listen('rec-1');
    await listen('rec-2');
    await listen('missing');
    await server.inject({
      method: 'HEAD',
      url: '/api/things/rec-3/audio',
      headers: supervisor.headers,
    });
    const again = await sessionFor(server, 'viewer');
    await listen('rec-1', again.headers);
    await listen('rec-1', await bearerHeaders(server, 'viewer'));
    await server.inject({ url: '/api/things/rec-1/download', headers: supervisor.headers });
    await server.inject({ url: '/api/things/rec-1/download', headers: supervisor.headers });
    // A refused request is not a download.
    await server.inject({ url: '/api/things/rec-9/download', headers: again.headers });

    const { items } = await listAuditEvents(server.db, { targetType: 'recording' });
    expect(
      items.map((e) => `${e.action} ${e.target?.id} ${e.actor.type}:${e.actor.label}`).reverse(),
    ).toEqual([
      `recording.listen rec-1 user:${supervisor.email}`,
      `recording.listen rec-2 user:${supervisor.email}`,
      `recording.listen rec-1 user:${again.email}`,
      expect.stringMatching(/^recording\.listen rec-1 token:token:test-viewer-\d+$/),
      `recording.download rec-1 user:${supervisor.email}`,
      `recording.download rec-1 user:${supervisor.email}`,
    ]);
    expect(items.at(-1)).toMatchObject({ ip: '127.0.0.1', details: { range: 'bytes=0-' } });
  });
});
