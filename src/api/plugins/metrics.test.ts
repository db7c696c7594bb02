import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildTestApp, testConfig } from '../../../test/helpers/app.js';
import { createTestDatabase } from '../../../test/helpers/databases.js';
import { buildApp } from '../app.js';
import { createMetrics } from '../../observability/metrics.js';
import { isDatabaseError } from './metrics.js';

/** The value of one sample in the Prometheus text output, or undefined when absent. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('GET /metrics', () => {
  it('serves the Prometheus text format with the product metrics', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'callcenter_active_calls',
      'callcenter_calls_ended_total',
      'callcenter_turn_latency_seconds',
      'callcenter_tool_errors_total',
      'callcenter_recording_uploads_pending',
      'callcenter_recording_upload_failures_total',
      'callcenter_database_errors_total',
      'callcenter_storage_errors_total',
      'callcenter_process_cpu_seconds_total',
    ]) {
      expect(response.body).toContain(`# TYPE ${name} `);
    }
  });

  it('records request durations by route pattern, not by raw URL', async () => {
    const app = await buildTestApp();
    await app.inject({ method: 'GET', url: '/health' });
    await app.inject({ method: 'GET', url: '/no/such/route/42' });
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(
      sample(
        text,
        'callcenter_http_request_duration_seconds_count{method="GET",route="/health",status_code="200"}',
      ),
    ).toBe(1);
    expect(text).toContain('route="unmatched",status_code="404"');
    expect(text).not.toContain('/no/such/route/42');
  });

  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    const app = await buildTestApp({ env: { METRICS_TOKEN: 'scrape-secret' } });
    const anonymous = await app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    const wrong = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-secreT' },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-secret' },
    });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('callcenter_active_calls');
  });

  it('follows dependency health through readiness and counts a down database', async () => {
    const database = await createTestDatabase('sqlite');
    const metrics = createMetrics({ defaultMetrics: false });
    const app = await buildApp({ config: testConfig(), database, metrics, ownsDatabase: true });
    await app.ready();
    try {
      await app.inject({ method: 'GET', url: '/health/ready' });
      let text = await metrics.registry.metrics();
      expect(sample(text, 'callcenter_dependency_up{dependency="database"}')).toBe(1);
      // LiveKit is not configured in tests: skipped checks leave no gauge behind.
      expect(text).not.toContain('dependency="livekit"');

      await database.destroy();
      await app.inject({ method: 'GET', url: '/health/ready' });
      text = await metrics.registry.metrics();
      expect(sample(text, 'callcenter_dependency_up{dependency="database"}')).toBe(0);
      expect(sample(text, 'callcenter_database_errors_total{operation="readiness"}')).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('counts a request that fails inside the database driver', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const database = await createTestDatabase('sqlite');
    const app = await buildApp({ config: testConfig(), database, metrics, ownsDatabase: true });
    app.get('/explode', { config: { access: 'public' } }, async () => {
      await app.db
        .selectFrom('no_such_table' as 'vehicles')
        .selectAll()
        .execute();
    });
    await app.ready();
    try {
      const response = await app.inject({ method: 'GET', url: '/explode' });
      expect(response.statusCode).toBe(500);
      const text = await metrics.registry.metrics();
      expect(sample(text, 'callcenter_database_errors_total{operation="GET /explode"}')).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('isDatabaseError', () => {
  it('recognises driver errors and nothing else', () => {
    const sqlite = new SqliteDatabase(':memory:');
    let driverError: unknown;
    try {
      sqlite.prepare('select * from missing').all();
    } catch (error) {
      driverError = error;
    }
    sqlite.close();
    expect(isDatabaseError(driverError)).toBe(true);
    expect(isDatabaseError(new Error('no such table'))).toBe(false);
    expect(isDatabaseError(undefined)).toBe(false);
  });
});
