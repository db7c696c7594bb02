import { PassThrough, Readable } from 'node:stream';
import { expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { authenticateApiToken } from './api-token-repository.js';
import { listAuditEvents } from './audit-repository.js';
import { verifyPassword } from './passwords.js';
import { createSession, findActiveSession } from './session-repository.js';
import { type CliIo, runUsersCommand } from './users-commands.js';
import { getUserByEmail, getUserCredentials } from './user-repository.js';

function capture(stdin: CliIo['stdin'] = Readable.from([])) {
  let out = '';
  let err = '';
  const sink = (write: (s: string) => void) =>
    new PassThrough().on('data', (chunk: Buffer) => write(chunk.toString()));
  const io: CliIo = {
    stdin,
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
  };
  return { io, out: () => out, err: () => err };
}

const PASSWORD = 'a long enough password';

describeEachDialect('users CLI', (database) => {
  const run = async (argv: string[], stdin?: CliIo['stdin']) => {
    const c = capture(stdin);
    const code = await runUsersCommand(database().db, c.io, argv);
    await new Promise((r) => setImmediate(r));
    return { code, out: c.out(), err: c.err() };
  };

  it('adds a user with --password-stdin, lists them, refuses duplicates and weak passwords', async () => {
    const added = await run(
      ['add', 'Lead@Dealer.test', '--role', 'admin', '--password-stdin'],
      Readable.from([`${PASSWORD}\n`]),
    );
    expect(added).toMatchObject({
      code: 0,
      out: expect.stringContaining('Created admin lead@dealer.test'),
    });
    const credentials = await getUserCredentials(database().db, 'lead@dealer.test');
    expect(await verifyPassword(credentials!.passwordHash, PASSWORD)).toBe(true);

    expect((await run(['list'])).out).toMatch(/lead@dealer\.test\s+admin\s+active/);
    const again = await run(
      ['add', 'lead@dealer.test', '--role', 'viewer', '--password-stdin'],
      Readable.from([PASSWORD]),
    );
    expect(again).toMatchObject({ code: 2, err: expect.stringContaining('already exists') });
    const weak = await run(
      ['add', 'x@dealer.test', '--role', 'viewer', '--password-stdin'],
      Readable.from(['short']),
    );
    expect(weak).toMatchObject({ code: 2, err: expect.stringContaining('at least 12') });
    expect(await run(['add', 'y@dealer.test', '--role', 'boss'])).toMatchObject({ code: 2 });
    expect(await run(['add', 'y@dealer.test', '--role', 'viewer'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--password-stdin'),
    });
    expect(await run(['frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('Usage'),
    });
  });

  it('asks for the password twice on a terminal without echoing it', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: vi.fn() });
    const pending = run(['add', 'tty@dealer.test', '--role', 'viewer'], stdin);
    // Each line is a separate chunk, as a terminal delivers keystrokes; backspace edits.
    stdin.write(`${PASSWORD}x\u007f\r`);
    stdin.write(`${PASSWORD}\r`);
    const result = await pending;
    expect(result.code).toBe(0);
    expect(result.out).not.toContain(PASSWORD);
    expect(stdin.setRawMode).toHaveBeenCalledWith(true);
    expect(stdin.setRawMode).toHaveBeenLastCalledWith(false);
    const credentials = await getUserCredentials(database().db, 'tty@dealer.test');
    expect(await verifyPassword(credentials!.passwordHash, PASSWORD)).toBe(true);
  });

  it('resets a password (ending sessions), changes roles, disables', async () => {
    const { db } = database();
    await run(
      ['add', 'rp@dealer.test', '--role', 'viewer', '--password-stdin'],
      Readable.from([PASSWORD]),
    );
    const user = await getUserByEmail(db, 'rp@dealer.test');
    const session = await createSession(db, { userId: user!.id, ttlMs: 60_000 });
    const reset = await run(
      ['reset-password', 'rp@dealer.test', '--password-stdin'],
      Readable.from(['a brand new password']),
    );
    expect(reset).toMatchObject({ code: 0, out: expect.stringContaining('ended 1 session') });
    expect(await findActiveSession(db, session.token)).toBeNull();
    expect(await run(['set-role', 'rp@dealer.test', 'supervisor'])).toMatchObject({ code: 0 });
    expect(await run(['disable', 'rp@dealer.test'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('disabled'),
    });
    expect(await getUserByEmail(db, 'rp@dealer.test')).toMatchObject({
      role: 'supervisor',
      disabled: true,
    });
    expect(await run(['enable', 'nobody@dealer.test'])).toMatchObject({ code: 2 });
    const events = await listAuditEvents(db, { targetType: 'user', targetId: String(user!.id) });
    expect(events.items.map((e) => e.action)).toEqual([
      'user.update',
      'user.update',
      'user.password_reset',
      'user.create',
    ]);
  });

  it('creates a token, printing it once on stdout, lists and revokes it', async () => {
    const { db } = database();
    const created = await run(['token', 'create', 'crm', '--role', 'supervisor']);
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^dvl_[\w-]{43}$/);
    expect(created.err).toContain('not shown again');
    expect(await authenticateApiToken(db, token)).toMatchObject({
      name: 'crm',
      role: 'supervisor',
    });
    const listed = await run(['token', 'list']);
    expect(listed.out).toContain('crm');
    expect(listed.out).not.toContain(token);
    expect(await run(['token', 'revoke', 'crm'])).toMatchObject({ code: 0 });
    expect(await authenticateApiToken(db, token)).toBeNull();
    expect(await run(['token', 'revoke', 'crm'])).toMatchObject({ code: 2 });
  });
});
