import { expect, it, vi } from 'vitest';
import { testConfig } from '../../test/helpers/app.js';
import { createTestDatabase } from '../../test/helpers/databases.js';
import { ensureFirstAdmin } from './first-admin.js';
import { listUsers } from './user-repository.js';

const logger = () => ({ info: vi.fn(), warn: vi.fn() });

it('creates the first admin from ADMIN_EMAIL once, and never touches users afterwards', async () => {
  const { db, destroy } = await createTestDatabase('sqlite');
  try {
    const config = testConfig({
      ADMIN_EMAIL: 'Owner@Dealer.test',
      ADMIN_PASSWORD: 'first admin password',
    });
    expect(await ensureFirstAdmin(db, config, logger())).toBe(true);
    expect(await listUsers(db)).toMatchObject([{ email: 'owner@dealer.test', role: 'admin' }]);
    const other = testConfig({
      ADMIN_EMAIL: 'other@dealer.test',
      ADMIN_PASSWORD: 'other admin password',
    });
    expect(await ensureFirstAdmin(db, other, logger())).toBe(false);
    expect(await listUsers(db)).toHaveLength(1);
  } finally {
    await destroy();
  }
});

it('warns how to create a user when there is none and no ADMIN_EMAIL', async () => {
  const { db, destroy } = await createTestDatabase('sqlite');
  try {
    const log = logger();
    expect(await ensureFirstAdmin(db, testConfig(), log)).toBe(false);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('npm run users -- add'));
  } finally {
    await destroy();
  }
});
