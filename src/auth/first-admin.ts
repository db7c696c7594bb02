import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import { recordAudit } from './audit-repository.js';
import { countUsers, createUser, DuplicateUserError } from './user-repository.js';

/**
 * On first start (no user at all), creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD. Later
 * starts leave users alone, so changing the variables never resets a password. Returns whether
 * it created one.
 */
export async function ensureFirstAdmin(
  db: Db,
  config: Pick<Config, 'console'>,
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  const { adminEmail, adminPassword } = config.console;
  if (!adminEmail || !adminPassword) {
    logger.warn(
      'no console users yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run users -- add <email> --role admin`',
    );
    return false;
  }
  try {
    const user = await createUser(db, {
      email: adminEmail,
      password: adminPassword,
      role: 'admin',
    });
    await recordAudit(db, {
      action: 'user.create',
      actor: { type: 'system', label: 'ADMIN_EMAIL' },
      target: { type: 'user', id: String(user.id) },
      details: { email: user.email, role: user.role },
    });
    logger.info({ userId: user.id }, 'created the first admin from ADMIN_EMAIL');
    return true;
  } catch (error) {
    // Another API process created it at the same moment.
    if (error instanceof DuplicateUserError) return false;
    throw error;
  }
}
