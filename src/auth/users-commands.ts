import { parseArgs } from 'node:util';
import type { Db } from '../db/index.js';
import {
  createApiToken,
  DuplicateTokenNameError,
  listApiTokens,
  revokeApiToken,
} from './api-token-repository.js';
import { recordAudit } from './audit-repository.js';
import { WeakPasswordError } from './passwords.js';
import { isRole, ROLES, type Role } from './roles.js';
import { revokeUserSessions } from './session-repository.js';
import {
  createUser,
  DuplicateUserError,
  getUserByEmail,
  listUsers,
  setUserPassword,
  updateUser,
} from './user-repository.js';

/** The streams a command talks through (the process's, or test doubles). */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A usage or input problem: printed without a stack, exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export const USAGE = `Usage: npm run users -- <command>

  add <email> --role <viewer|supervisor|admin> [--password-stdin]
  reset-password <email> [--password-stdin]     also ends the user's sessions
  set-role <email> <viewer|supervisor|admin>
  disable <email> | enable <email>
  list
  token create <name> --role <viewer|supervisor|admin>   prints the token once
  token list
  token revoke <name|id>

Passwords are asked for twice on a terminal (not echoed), or read from standard input with
--password-stdin (e.g. in scripts: printf '%s' "$PASSWORD" | npm run users -- add ...).`;

const CLI_ACTOR = { type: 'system', label: 'cli' } as const;

function parseRole(value: string | undefined): Role {
  if (value === undefined) throw new CliError(`--role is required (${ROLES.join(', ')})`);
  if (!isRole(value)) throw new CliError(`unknown role "${value}" (${ROLES.join(', ')})`);
  return value;
}

function requireArg(value: string | undefined, what: string): string {
  if (!value) throw new CliError(`missing ${what}\n\n${USAGE}`);
  return value;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : chunk.toString();
  return text;
}

/** Reads one line without echoing it (the terminal in raw mode). */
function promptHidden(io: CliIo, question: string): Promise<string> {
  const input = io.stdin;
  io.stdout.write(question);
  input.setRawMode?.(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      io.stdout.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new CliError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}

async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  if (fromStdin) return (await readAll(io.stdin)).replace(/\r?\n$/, '');
  if (!io.stdin.isTTY) {
    throw new CliError('no terminal to ask for the password: pass --password-stdin');
  }
  const first = await promptHidden(io, 'Password: ');
  const second = await promptHidden(io, 'Repeat password: ');
  if (first !== second) throw new CliError('the passwords do not match');
  return first;
}

async function userOrFail(db: Db, email: string) {
  const user = await getUserByEmail(db, email);
  if (!user) throw new CliError(`no user with email ${email}`);
  return user;
}

async function addUser(db: Db, io: CliIo, args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  });
  const email = requireArg(positionals[0], '<email>');
  const role = parseRole(values.role);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new CliError(`"${email}" is not an email address`);
  const password = await readPassword(io, values['password-stdin'] ?? false);
  const user = await createUser(db, { email, password, role });
  await recordAudit(db, {
    action: 'user.create',
    actor: CLI_ACTOR,
    target: { type: 'user', id: String(user.id) },
    details: { email: user.email, role },
  });
  io.stdout.write(`Created ${user.role} ${user.email} (id ${user.id}).\n`);
}

async function resetPassword(db: Db, io: CliIo, args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'password-stdin': { type: 'boolean' } },
  });
  const user = await userOrFail(db, requireArg(positionals[0], '<email>'));
  const password = await readPassword(io, values['password-stdin'] ?? false);
  await setUserPassword(db, user.id, password);
  const ended = await revokeUserSessions(db, user.id);
  await recordAudit(db, {
    action: 'user.password_reset',
    actor: CLI_ACTOR,
    target: { type: 'user', id: String(user.id) },
  });
  io.stdout.write(`Password changed for ${user.email}; ended ${ended} session(s).\n`);
}

async function changeUser(
  db: Db,
  io: CliIo,
  email: string,
  patch: { role?: Role; disabled?: boolean },
): Promise<void> {
  const user = await userOrFail(db, email);
  const updated = await updateUser(db, user.id, patch);
  if (patch.disabled || patch.role) await revokeUserSessions(db, user.id);
  await recordAudit(db, {
    action: 'user.update',
    actor: CLI_ACTOR,
    target: { type: 'user', id: String(user.id) },
    details: patch,
  });
  io.stdout.write(`${updated?.email}: ${updated?.role}${updated?.disabled ? ' (disabled)' : ''}\n`);
}

async function printUsers(db: Db, io: CliIo): Promise<void> {
  const users = await listUsers(db);
  if (users.length === 0) io.stdout.write('No users.\n');
  for (const u of users) {
    const state = u.disabled ? 'disabled' : 'active';
    io.stdout.write(
      `${String(u.id).padStart(4)}  ${u.email.padEnd(32)} ${u.role.padEnd(10)} ${state.padEnd(8)} last login ${u.lastLoginAt ?? 'never'}\n`,
    );
  }
}

async function tokenCommand(db: Db, io: CliIo, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { positionals, values } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { role: { type: 'string' } },
    });
    const name = requireArg(positionals[0], '<name>');
    const { token, apiToken } = await createApiToken(db, { name, role: parseRole(values.role) });
    await recordAudit(db, {
      action: 'token.create',
      actor: CLI_ACTOR,
      target: { type: 'api_token', id: String(apiToken.id) },
      details: { name: apiToken.name, role: apiToken.role },
    });
    io.stderr.write(
      `Created ${apiToken.role} token "${apiToken.name}" (id ${apiToken.id}). Store it now: it is not shown again.\n`,
    );
    io.stdout.write(`${token}\n`);
    return;
  }
  if (sub === 'list') {
    const tokens = await listApiTokens(db);
    if (tokens.length === 0) io.stdout.write('No API tokens.\n');
    for (const t of tokens) {
      const state = t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`;
      io.stdout.write(
        `${String(t.id).padStart(4)}  ${t.name.padEnd(24)} ${t.role.padEnd(10)} ${t.prefix}…  ${state}\n`,
      );
    }
    return;
  }
  if (sub === 'revoke') {
    const which = requireArg(rest[0], '<name|id>');
    const revoked = await revokeApiToken(
      db,
      /^\d+$/.test(which) ? { id: Number(which) } : { name: which },
    );
    if (!revoked) throw new CliError(`no live API token "${which}"`);
    await recordAudit(db, {
      action: 'token.revoke',
      actor: CLI_ACTOR,
      target: { type: 'api_token', id: String(revoked.id) },
      details: { name: revoked.name },
    });
    io.stdout.write(`Revoked token "${revoked.name}" (id ${revoked.id}).\n`);
    return;
  }
  throw new CliError(`unknown token command "${sub ?? ''}"\n\n${USAGE}`);
}

function isInputProblem(error: unknown): error is Error {
  return (
    error instanceof CliError ||
    error instanceof WeakPasswordError ||
    error instanceof DuplicateUserError ||
    error instanceof DuplicateTokenNameError ||
    String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
  );
}

/**
 * Runs one `npm run users` command against the database; returns the exit code (0 ok, 1 failed,
 * 2 usage or input problem).
 */
export async function runUsersCommand(db: Db, io: CliIo, argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'add':
        await addUser(db, io, args);
        break;
      case 'reset-password':
        await resetPassword(db, io, args);
        break;
      case 'set-role':
        await changeUser(db, io, requireArg(args[0], '<email>'), { role: parseRole(args[1]) });
        break;
      case 'disable':
      case 'enable':
        await changeUser(db, io, requireArg(args[0], '<email>'), {
          disabled: command === 'disable',
        });
        break;
      case 'list':
        await printUsers(db, io);
        break;
      case 'token':
        await tokenCommand(db, io, args);
        break;
      case undefined:
      case 'help':
      case '--help':
        io.stdout.write(`${USAGE}\n`);
        break;
      default:
        throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
    }
    return 0;
  } catch (error) {
    if (isInputProblem(error)) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
