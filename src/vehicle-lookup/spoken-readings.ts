/**
 * Cutting 17-character readings out of spelled runs. Each reading carries a cost: weak words
 * trimmed at the edges, chunks bridged across chatter, fillers dropped, restatements merged.
 */
import type { BreakPiece, CharPiece, Piece, Slot } from './spoken-tokens.js';

/** Characters said together, and the chatter before them. */
export interface Run {
  pieces: CharPiece[];
  before: BreakPiece | undefined;
  /** Nothing but fillers follows this run. */
  last: boolean;
}

/** One way of reading 17 characters out of the runs. */
export interface Reading {
  slots: Slot[];
  cost: number;
  /** No strong piece trimmed and no filler dropped: a literal reading of what was said. */
  natural: boolean;
  dropped: boolean;
  /** A strong piece (not just a weak word) was cut off at an edge. */
  trimmedStrong: boolean;
  /** The first character came from, or directly follows, an everyday word. */
  weakHead: boolean;
  /** For drop readings: the 18 or 19 characters before dropping. */
  source?: Slot[];
  /** A repeated strong character was dropped (a stutter), not an everyday word. */
  stutter?: boolean;
}

const MAX_BRIDGE_WORDS = 8;
const MAX_BRIDGED_RUNS = 3;
const WEAK_TRIM = 0.5;
const STRONG_TRIM = 3;
const BRIDGE = 1;
const WEAK_DROP = 2;
const DUPLICATE_DROP = 2.5;

/** Splits pieces into runs of characters separated by chatter. */
export function splitRuns(pieces: readonly Piece[]): Run[] {
  const runs: Run[] = [];
  let current: CharPiece[] = [];
  let before: BreakPiece | undefined;
  for (const p of pieces) {
    if (p.type === 'char') {
      current.push(p);
      continue;
    }
    if (current.length > 0) runs.push({ pieces: current, before, last: false });
    current = [];
    before = p;
  }
  if (current.length > 0) runs.push({ pieces: current, before, last: true });
  return runs;
}

/** The characters of some slots as a string. */
export const text = (slots: readonly Slot[]): string => slots.map((s) => s.ch).join('');
/** How many characters some pieces carry. */
export const slotCount = (pieces: readonly CharPiece[]): number =>
  pieces.reduce((n, p) => n + p.slots.length, 0);
const trimCost = (pieces: readonly CharPiece[]): number =>
  pieces.reduce((c, p) => c + (p.weak ? WEAK_TRIM : STRONG_TRIM), 0);
/** Whether any piece carries a letter. */
export const hasLetter = (pieces: readonly CharPiece[]): boolean =>
  pieces.some((p) => p.slots.some((s) => /[A-Z]/.test(s.ch)));

function similarRestatement(tail: readonly Slot[], head: readonly Slot[]): boolean {
  let same = 0;
  tail.forEach((s, k) => {
    if (head[k]?.ch === s.ch) same++;
  });
  return same >= Math.floor(tail.length / 2);
}

/** Readings that drop one or two filler-like pieces to reach 17 characters. */
function withDrops(
  pieces: readonly CharPiece[],
  base: number,
  trimmedStrong: boolean,
  weakHead: boolean,
  out: Reading[],
): void {
  const extra = slotCount(pieces) - 17;
  const droppable: { at: number; cost: number }[] = [];
  pieces.forEach((p, at) => {
    if (at === 0 || at === pieces.length - 1 || p.slots.length !== 1) return;
    const prev = pieces[at - 1]?.slots.at(-1)?.ch;
    if (p.weak) droppable.push({ at, cost: WEAK_DROP });
    else if (prev === p.slots[0]?.ch) droppable.push({ at, cost: DUPLICATE_DROP });
  });
  const source = pieces.flatMap((p) => p.slots);
  const emit = (skip: ReadonlySet<number>, cost: number): void => {
    const slots = pieces.filter((_, at) => !skip.has(at)).flatMap((p) => p.slots);
    const stutter = [...skip].some((at) => pieces[at]?.weak !== true);
    out.push({
      slots,
      cost: base + cost,
      natural: false,
      dropped: true,
      trimmedStrong,
      weakHead,
      source,
      stutter,
    });
  };
  for (const [k, d1] of droppable.entries()) {
    if (extra === 1) emit(new Set([d1.at]), d1.cost);
    if (extra !== 2) continue;
    for (const d2 of droppable.slice(k + 1)) emit(new Set([d1.at, d2.at]), d1.cost + d2.cost);
  }
}

function emitWindow(
  left: readonly CharPiece[],
  right: readonly CharPiece[],
  restart: boolean,
  base: number,
  strongTrimmed: boolean,
  trimmedWeakHead: boolean,
  tailAtEnd: boolean,
  out: Reading[],
): void {
  // An everyday letter word ("you", "I") before more chatter is not the end of a VIN; a reading that
  // needs one there is chatter glued to a short VIN. At the very end of the utterance it may be "1".
  const lastPiece = right[right.length - 1] ?? left[left.length - 1];
  if (!tailAtEnd && lastPiece?.weak === true && lastPiece.slots.at(-1)?.kind === 'letter') return;
  const leftSlots = left.flatMap((p) => p.slots);
  const rightSlots = right.flatMap((p) => p.slots);
  const weakHead = trimmedWeakHead || ((left[0] ?? right[0])?.weak ?? false);
  const total = leftSlots.length + rightSlots.length;
  if (restart) {
    // "2 6 3, sorry, 2 5 3": the restatement replaces the tail it resembles.
    const d = total - 17;
    const tail = leftSlots.slice(leftSlots.length - d);
    if (d >= 1 && d <= 6 && d <= rightSlots.length && similarRestatement(tail, rightSlots)) {
      const slots = [...leftSlots.slice(0, leftSlots.length - d), ...rightSlots];
      out.push({
        slots,
        cost: base + 0.5,
        natural: !strongTrimmed,
        dropped: false,
        trimmedStrong: strongTrimmed,
        weakHead,
      });
    }
    if (total === 17) {
      out.push({
        slots: [...leftSlots, ...rightSlots],
        cost: base + 1.5,
        natural: !strongTrimmed,
        dropped: false,
        trimmedStrong: strongTrimmed,
        weakHead,
      });
    }
    return;
  }
  const all = [...left, ...right];
  if (total === 17) {
    out.push({
      slots: [...leftSlots, ...rightSlots],
      cost: base,
      natural: !strongTrimmed,
      dropped: false,
      trimmedStrong: strongTrimmed,
      weakHead,
    });
  } else if (total <= 19) {
    withDrops(all, base, strongTrimmed, weakHead, out);
  }
}

/**
 * Cutting "to", "for", "oh" off the end is as costly as cutting a strong piece when they are the
 * utterance's last words or were said in one breath with the characters before them: then they are
 * far more likely the VIN's last digits than chatter ("..., to be honest" has a pause first).
 */
function endDigitCut(run: Run, tail: readonly CharPiece[]): boolean {
  const first = tail[0];
  if (first === undefined || !tail.some((p) => p.slots.some((s) => s.kind === 'digit')))
    return false;
  return run.last || (first.weak && first.slots[0]?.kind === 'digit' && first.pauseBefore !== true);
}

/** A run whose only strong piece is a year ("a 2019 Accord"): chatter, not VIN characters. */
export function isLoneYear(pieces: readonly CharPiece[]): boolean {
  const strong = pieces.filter((p) => !p.weak);
  const only = strong.length === 1 ? text(strong[0]?.slots ?? []) : '';
  return /^(19[89]\d|20[0-3]\d)$/.test(only);
}

/** Whether a run after chatter can continue a VIN: two characters or more, one strong, not a lone year. */
function isBridgeable(pieces: readonly CharPiece[]): boolean {
  // A single character after an aside is more often chatter ("the gray one") than a VIN's tail.
  return pieces.some((p) => !p.weak) && slotCount(pieces) >= 2 && !isLoneYear(pieces);
}

/** Ways to cut a run's inner edge (next to a bridge): only weak words may be left out there. */
function weakEdgeCuts(
  pieces: readonly CharPiece[],
  fromEnd: boolean,
): { kept: CharPiece[]; cost: number }[] {
  const out = [{ kept: [...pieces], cost: 0 }];
  for (let k = 1; k < pieces.length; k++) {
    const cut = fromEnd ? pieces.slice(pieces.length - k) : pieces.slice(0, k);
    if (cut.some((p) => !p.weak)) break;
    const kept = fromEnd ? pieces.slice(0, pieces.length - k) : pieces.slice(k);
    out.push({ kept, cost: k * WEAK_TRIM });
  }
  return out;
}

/** Every 17-character reading of the runs, with its cost. */
export function enumerateReadings(runs: readonly Run[]): Reading[] {
  const out: Reading[] = [];
  for (let i = 0; i < runs.length; i++) {
    const first = runs[i];
    if (first === undefined) continue;
    // The whole VIN said twice without a pause: a 17-character stretch that occurs twice is it.
    const all = first.pieces.flatMap((p) => p.slots);
    const flat = text(all);
    for (let at = 0; at + 34 <= flat.length; at++) {
      const once = flat.slice(at, at + 17);
      if (flat.indexOf(once, at + 17) >= 0) {
        out.push({
          slots: all.slice(at, at + 17),
          cost: 0.5,
          natural: true,
          dropped: false,
          trimmedStrong: false,
          weakHead: false,
        });
      }
    }
    // Single run: any contiguous stretch, paying for what is trimmed at either end.
    for (let a = 0; a < first.pieces.length; a++) {
      const head = first.pieces.slice(0, a);
      for (let b = a; b < first.pieces.length; b++) {
        const window = first.pieces.slice(a, b + 1);
        const chars = slotCount(window);
        if (chars < 17) continue;
        if (chars > 19) break;
        const tail = first.pieces.slice(b + 1);
        const strongTrimmed = [...head, ...tail].some((p) => !p.weak) || endDigitCut(first, tail);
        const weakBefore = head.at(-1)?.weak ?? false;
        const atEnd = first.last && tail.length === 0;
        const cost = trimCost(head) + trimCost(tail);
        emitWindow([], window, false, cost, strongTrimmed, weakBefore, atEnd, out);
      }
    }
    // Bridged runs: the caller paused for chatter in the middle of the VIN.
    // A VIN starts with letters in its maker code; a lone "2019" or "to be" before chatter is not its head.
    if (!hasLetter(first.pieces.filter((p) => !p.weak))) continue;
    let middles: { kept: CharPiece[]; cost: number }[] = [{ kept: [], cost: 0 }];
    for (let j = i + 1; j < Math.min(runs.length, i + MAX_BRIDGED_RUNS); j++) {
      const last = runs[j];
      const gap = last?.before;
      if (last === undefined || gap === undefined || gap.words.length > MAX_BRIDGE_WORDS) break;
      if (!isBridgeable(last.pieces)) break;
      const restart = j === i + 1 && gap.correction;
      for (let a = 0; a < first.pieces.length; a++) {
        const head = first.pieces.slice(0, a);
        for (const leftCut of weakEdgeCuts(first.pieces.slice(a), true)) {
          for (const mid of middles) {
            for (const rightCut of weakEdgeCuts(last.pieces, false)) {
              for (let b = 0; b < rightCut.kept.length; b++) {
                const rightPart = rightCut.kept.slice(0, b + 1);
                const left = [...leftCut.kept, ...mid.kept];
                const chars = slotCount(left) + slotCount(rightPart);
                if (chars < 17) continue;
                if (chars > 23) break;
                const tail = rightCut.kept.slice(b + 1);
                const lastDigitCut = endDigitCut(last, tail);
                const cost =
                  trimCost(head) +
                  trimCost(tail) +
                  leftCut.cost +
                  mid.cost +
                  rightCut.cost +
                  (j - i) * BRIDGE;
                const strongTrimmed = [...head, ...tail].some((p) => !p.weak) || lastDigitCut;
                const weakBefore = head.at(-1)?.weak ?? false;
                const atEnd = last.last && tail.length === 0;
                emitWindow(left, rightPart, restart, cost, strongTrimmed, weakBefore, atEnd, out);
              }
            }
          }
        }
      }
      // A run passed over in the middle may shed weak words at both ends ("are" after "the next few").
      middles = middles.flatMap((m) =>
        weakEdgeCuts(last.pieces, false).flatMap((front) =>
          weakEdgeCuts(front.kept, true).map((back) => ({
            kept: [...m.kept, ...back.kept],
            cost: m.cost + front.cost + back.cost,
          })),
        ),
      );
    }
  }
  return out;
}

/** The distinct VIN strings among readings, in order. */
export function distinct(readings: readonly Reading[]): string[] {
  return [...new Set(readings.map((r) => text(r.slots)))];
}
