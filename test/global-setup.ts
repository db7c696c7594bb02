// Global setup for the whole vitest run. Database helpers read TEST_POSTGRES_URL (see test/helpers/databases.ts).
export default function setup(): void {
  process.env.TEST_POSTGRES_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
}
