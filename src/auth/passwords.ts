import { hash, verify, type Options } from '@node-rs/argon2';

/** argon2id (the package's `Algorithm.Argon2id`; a const enum, so not importable as a value here). */
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;

// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane (also the library defaults).
const HASH_OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** Shortest password we accept from people (ADMIN_PASSWORD has the same rule). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest we hash: more only costs CPU. */
export const MAX_PASSWORD_LENGTH = 256;

/** Thrown for a password that does not meet the rules; the message says which. */
export class WeakPasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeakPasswordError';
  }
}

/** Checks the length rules; throws `WeakPasswordError`. */
export function assertPasswordAcceptable(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}

/** argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) of the password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

/** Whether the password matches the stored hash; false (not a throw) for a malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash so that a login for an unknown email takes as long as one
 * for a known email (no user enumeration by timing). Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password-only-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}
