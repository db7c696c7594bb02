import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import {
  API_TOKEN_PREFIX,
  authenticateApiToken,
  createApiToken,
  DuplicateTokenNameError,
  listApiTokens,
  revokeApiToken,
} from './api-token-repository.js';
import { sha256Hex } from './secrets.js';

describeEachDialect('API tokens repository', (database) => {
  it('returns the secret once and stores only its sha256', async () => {
    const { db } = database();
    const { token, apiToken } = await createApiToken(db, { name: 'crm-sync', role: 'viewer' });
    expect(token.startsWith(API_TOKEN_PREFIX)).toBe(true);
    expect(token.length).toBeGreaterThan(40);
    const row = await db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', apiToken.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(await listApiTokens(db))).not.toContain(token);
    expect(apiToken.prefix).toBe(token.slice(0, API_TOKEN_PREFIX.length + 6));
  });

  it('authenticates live tokens, stamps last use, and refuses revoked ones', async () => {
    const { db } = database();
    const { token, apiToken } = await createApiToken(db, { name: 'reports', role: 'supervisor' });
    const used = await authenticateApiToken(db, token, '2026-11-21T10:00:00.000Z');
    expect(used).toMatchObject({
      id: apiToken.id,
      role: 'supervisor',
      lastUsedAt: '2026-11-21T10:00:00.000Z',
    });
    expect(await authenticateApiToken(db, `${token}x`)).toBeNull();
    expect(await authenticateApiToken(db, 'not-our-format')).toBeNull();
    expect(await revokeApiToken(db, { name: 'reports' })).toMatchObject({ id: apiToken.id });
    expect(await authenticateApiToken(db, token)).toBeNull();
    expect(await revokeApiToken(db, { id: apiToken.id })).toBeNull();
  });

  it('keeps live names unique and lets a revoked name be reused', async () => {
    const { db } = database();
    await createApiToken(db, { name: 'dialer', role: 'viewer' });
    await expect(createApiToken(db, { name: 'dialer', role: 'admin' })).rejects.toBeInstanceOf(
      DuplicateTokenNameError,
    );
    await revokeApiToken(db, { name: 'dialer' });
    await expect(createApiToken(db, { name: 'dialer', role: 'admin' })).resolves.toMatchObject({
      apiToken: { name: 'dialer', role: 'admin' },
    });
  });
});
