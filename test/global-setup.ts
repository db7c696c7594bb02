import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the PostgreSQL server for the dialect suites, or null when none is reachable. */
    postgresUrl: string | null;
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Finds PostgreSQL for the repository suites. In CI (CI=true) it must be there; locally the
 * PostgreSQL half of each suite is skipped, visibly, when it is not.
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const ok = await reachable(url);
  if (!ok && process.env.CI) {
    throw new Error(`PostgreSQL is required in CI but ${url} is unreachable`);
  }
  if (!ok) console.warn(`[tests] PostgreSQL unreachable at ${url}: PostgreSQL suites are skipped`);
  project.provide('postgresUrl', ok ? url : null);
}
