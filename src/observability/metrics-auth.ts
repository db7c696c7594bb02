import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether an Authorization header carries exactly `Bearer <token>` (constant-time comparison). */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match?.[1]) return false;
  // Hashing first gives equal lengths, so timingSafeEqual never leaks the token length.
  return timingSafeEqual(digest(match[1]), digest(token));
}
