/** Helpers for VinCapture: turning a turn into characters and merging them with what is held. */
import type { Run } from './spoken-readings.js';
import type { CharPiece, Slot } from './spoken-tokens.js';
import type { PendingChoice } from './vin-questions.js';

/** A captured character with whether it came from an everyday word. */
export type HeldSlot = Slot & { weak: boolean };

/** Type guard for a stored slot (state restored from JSON). */
export function isSlot(x: unknown): x is HeldSlot {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return (
    typeof s.ch === 'string' &&
    /^[0-9A-Z]$/.test(s.ch) &&
    (s.kind === 'letter' || s.kind === 'digit') &&
    typeof s.reliable === 'boolean' &&
    typeof s.src === 'string' &&
    typeof s.weak === 'boolean'
  );
}

/** Type guard for a stored pending question (state restored from JSON). */
export function isPending(x: unknown): x is PendingChoice {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Record<string, unknown>;
  return (
    typeof p.position === 'number' &&
    Array.isArray(p.options) &&
    p.options.every((o) => typeof o === 'string') &&
    Array.isArray(p.candidates) &&
    p.candidates.every((c) => typeof c === 'string' && c.length === 17)
  );
}

/** One piece per held slot, for re-reading what is held. */
export function toPieces(slots: readonly HeldSlot[]): CharPiece[] {
  return slots.map(({ weak, ...slot }, token) => ({ type: 'char', slots: [slot], weak, token }));
}

/** A single run made of the given pieces. */
export function runOf(pieces: CharPiece[]): Run {
  return { pieces, before: undefined, last: true };
}

/**
 * Characters of one turn. Everyday letter words ("a", "you") count at the turn's own edges, where a
 * caller pauses between chunks, but not next to chatter ("..., you got it?"); after chatter inside
 * the turn, a lone character is a remark ("that's C as in Charlie"), not more VIN.
 */
export function chunkSlots(runs: readonly Run[]): {
  slots: HeldSlot[];
  restates: boolean;
} {
  const out: HeldSlot[] = [];
  const chatty = (p: CharPiece | undefined): boolean =>
    p?.weak === true && !p.slots[0]?.reliable && p.slots[0]?.kind === 'letter';
  runs.forEach((run, k) => {
    let pieces = run.pieces;
    if (run.before !== undefined) while (chatty(pieces[0])) pieces = pieces.slice(1);
    if (!run.last) while (chatty(pieces[pieces.length - 1])) pieces = pieces.slice(0, -1);
    const fresh = pieces.flatMap((p) => p.slots.map((s) => ({ ...s, weak: p.weak })));
    if (k > 0 && fresh.length < 2 && run.before?.correction !== true) return;
    // "8 2 6, no, 8 2 5" inside one turn: the restatement replaces the tail it resembles.
    if (run.before?.correction === true && out.length > 0)
      out.splice(out.length - restatedTail(out, fresh));
    out.push(...fresh);
  });
  // The turn opens with "I mean" / "no wait": it restates the end of the previous turn.
  return { slots: out, restates: runs[0]?.before?.correction === true };
}

/** How many trailing characters a restatement replaces: 1 for a lone character, else a similar tail. */
export function restatedTail(before: readonly Slot[], fresh: readonly Slot[]): number {
  if (fresh.length === 1) return 1;
  for (let k = Math.min(6, before.length, fresh.length); k >= 2; k--) {
    const tail = before.slice(before.length - k);
    const same = tail.filter((s, i) => fresh[i]?.ch === s.ch).length;
    if (same >= Math.max(1, Math.floor(k / 2))) return k;
  }
  return 0;
}

/**
 * With all 17 characters in hand, a partial re-read ("C M 8 2 5 3") overwrites the section it
 * matches best, if that match is clear; null otherwise.
 */
export function overwriteSection(
  current: readonly HeldSlot[],
  incoming: readonly HeldSlot[],
): HeldSlot[] | null {
  const scores: number[] = [];
  for (let at = 0; at + incoming.length <= current.length; at++) {
    scores.push(incoming.filter((s, k) => current[at + k]?.ch !== s.ch).length);
  }
  const best = Math.min(...scores);
  const at = scores.indexOf(best);
  const unique = scores.filter((x) => x === best).length === 1;
  if (incoming.length < 3 || !unique || best > Math.floor(incoming.length / 3)) return null;
  return [...current.slice(0, at), ...incoming, ...current.slice(at + incoming.length)];
}

/** Appends a turn's characters, dropping a repeated anchor ("... C M 8" then "C M 8 2 6 3"). */
export function mergeChunk(
  current: readonly HeldSlot[],
  incoming: readonly HeldSlot[],
): HeldSlot[] {
  const text = current.map((s) => s.ch).join('');
  const next = incoming.map((s) => s.ch).join('');
  for (let k = Math.min(text.length, next.length - 1, 6); k >= 2; k--) {
    if (text.endsWith(next.slice(0, k)) && text.length + next.length > 17) {
      return [...current, ...incoming.slice(k)];
    }
  }
  return [...current, ...incoming];
}
