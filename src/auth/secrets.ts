import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe secret with `bytes` of entropy (32 bytes = 256 bits by default). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * sha256 hex of a high-entropy token: what we store for session and API tokens. A fast hash is
 * enough here because the tokens are random (not guessable like passwords); it keeps lookups
 * to one indexed equality query.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
