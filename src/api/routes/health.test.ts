import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import { createTestDatabase } from '../../../test/helpers/databases.js';

describe('health routes', () => {
  it('reports liveness with version and uptime', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('is ready when the database answers', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      down: [],
      checks: { database: { status: 'ok' } },
    });
  });

  it('answers 503 naming the database when it is down', async () => {
    const database = await createTestDatabase('sqlite');
    const app = await buildTestApp({ database });
    await database.destroy();
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'unavailable',
      down: ['database'],
      checks: { database: { status: 'down', error: expect.any(String) } },
    });
  });

  it('serves the OpenAPI document and a clear 404', async () => {
    const app = await buildTestApp();
    const docs = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(docs.json().paths).toHaveProperty('/health/ready');
    const missing = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No route for GET /nope',
    });
  });
});

describe('validation errors', () => {
  it('name the whole body as "body" and a field by its path', async () => {
    const app = await buildTestApp();
    const whole = await app.inject({ method: 'POST', url: '/api/lookup-vehicle', payload: [1, 2] });
    expect(whole.statusCode).toBe(400);
    expect(whole.json().message).toMatch(/^body: /);
    const field = await app.inject({
      method: 'POST',
      url: '/api/lookup-vehicle',
      payload: { vin: 5 },
    });
    expect(field.json().message).toMatch(/^body\.vin: /);
  });
});
