import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import { helmetOptions } from './security-headers.js';

/** The headers helmet's own middleware puts on a plain Node response. */
async function helmetMiddlewareHeaders(https: boolean): Promise<Record<string, string>> {
  const middleware = helmet(helmetOptions(https));
  const server = createServer((req, res) => middleware(req, res, () => res.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const plain = new Set(['connection', 'content-length', 'date', 'keep-alive']);
  return Object.fromEntries([...response.headers].filter(([name]) => !plain.has(name)));
}

describe('security headers', () => {
  for (const https of [false, true]) {
    it(`are the headers helmet's middleware sets (${https ? 'HTTPS' : 'plain HTTP'}), on every response`, async () => {
      const expected = await helmetMiddlewareHeaders(https);
      expect(Object.keys(expected)).toContain('content-security-policy');
      const app = await buildTestApp({ env: { COOKIE_SECURE: String(https) } });
      const responses = await Promise.all([
        app.inject('/health'),
        app.inject({ method: 'POST', url: '/api/lookup-vehicle', payload: { vin: 'nope' } }),
        app.inject('/no-such-route'),
        app.inject('/api/calls'),
      ]);
      expect(responses.map((r) => r.statusCode)).toEqual([200, 400, 404, 401]);
      for (const response of responses) expect(response.headers).toMatchObject(expected);
    });
  }
});
