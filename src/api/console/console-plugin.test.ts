import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import { AUDIT_ACTIONS, ROLES } from '../../auth/index.js';
import { CALL_OUTCOMES } from '../../calls/index.js';

describe('console vocabulary', () => {
  it('serves the server-side lists as an ES module the console imports', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/console/vocabulary.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['cache-control']).toBe('no-cache');
    const module = (await import(
      `data:text/javascript,${encodeURIComponent(response.body)}`
    )) as Record<string, unknown>;
    expect({ ...module }).toEqual({
      ROLES: [...ROLES],
      AUDIT_ACTIONS: [...AUDIT_ACTIONS],
      CALL_OUTCOMES: [...CALL_OUTCOMES],
    });
  });
});
