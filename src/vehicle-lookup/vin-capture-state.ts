/**
 * The data side of VinCapture: what is held between turns, how a turn's characters are absorbed,
 * and how the held characters are judged. Plain functions over a plain object, so the state
 * serialises as-is.
 */
import { analyzeRuns, type ExtractStatus } from './spoken-vin.js';
import { isLoneYear, splitRuns } from './spoken-readings.js';
import { lexTranscript, type Slot } from './spoken-tokens.js';
import {
  chunkSlots,
  mergeChunk,
  overwriteSection,
  restatedTail,
  runOf,
  toPieces,
  type HeldSlot,
} from './vin-capture-chunks.js';
import {
  REREAD_QUESTION,
  choiceQuestion,
  continueQuestion,
  readBackQuestion,
  type PendingChoice,
} from './vin-questions.js';

/** What the last turn did to the captured characters. */
export type CaptureAction =
  'added' | 'replaced' | 'corrected' | 'removed' | 'answered' | 'reset' | 'confirmed' | 'ignored';

/** Result of every capture call; `vin` is non-null only for 'valid' and 'corrected'. */
export interface VinCaptureResult {
  status: ExtractStatus;
  vin: string | null;
  candidates: string[];
  /** Characters collected so far (the best 17-character reading once there are 17 or more). */
  collected: string;
  /** How many characters are still missing to reach 17. */
  missing: number;
  /** What the agent should ask next, if anything. */
  question?: string;
  action: CaptureAction;
  /** The caller said yes to the read-back of this VIN. */
  confirmed: boolean;
}

/** Everything a capture holds between turns. */
export interface HeldState {
  slots: HeldSlot[];
  pending: PendingChoice | null;
  confirmed: boolean;
  /** Turns read since the last reset or edit, re-read as one utterance when chunking fails. */
  turns: string[];
  /** The last turn ended with "sorry"/"no wait": the next one restates its tail. */
  restateNext: boolean;
}

/** The held characters as a string. */
export function heldText(state: HeldState): string {
  return state.slots.map((s) => s.ch).join('');
}

/** Adds the characters an utterance carries; false if it carried none. */
export function absorbTurn(state: HeldState, text: string, year: number): boolean {
  const pieces = lexTranscript(text);
  const lastPiece = pieces.at(-1);
  const endsWithCorrection = lastPiece?.type === 'break' && lastPiece.correction;
  const all = splitRuns(pieces).filter((r) => !isLoneYear(r.pieces));
  // A run counts if it has a strong piece, or is two or more spelling-alphabet names ("Adam Boy").
  let runs = all.filter(
    (r) =>
      r.pieces.some((p) => !p.weak) ||
      (r.pieces.length >= 2 && r.pieces.every((p) => p.slots.every((sl) => sl.reliable))),
  );
  // A turn that is only "to" or "oh" continues a VIN in progress (digits said as homophones).
  if (runs.length === 0 && all.length === 1 && state.slots.length > 0 && state.slots.length < 17) {
    runs = all.filter((r) => r.pieces.every((p) => p.slots.every((sl) => sl.kind === 'digit')));
  }
  if (runs.length === 0) {
    if (endsWithCorrection) state.restateNext = true;
    return false;
  }
  const whole = analyzeRuns(runs, year);
  // The caller read a whole VIN in this turn: it replaces whatever was there.
  if ((whole.status === 'valid' || whole.status === 'corrected') && whole.heard.length === 17) {
    state.slots = whole.heard.map((sl) => ({ ...sl, weak: false }));
    state.turns = [text];
    state.restateNext = false;
    state.pending = null;
    state.confirmed = false;
    return true;
  }
  const chunk = chunkSlots(runs);
  const incoming = chunk.slots;
  if (incoming.length === 0) return false;
  const current = state.slots;
  const textOf = (xs: readonly Slot[]): string => xs.map((x) => x.ch).join('');
  const restart =
    incoming.length >= 6 &&
    current.length >= 3 &&
    textOf(incoming.slice(0, 3)) === textOf(current.slice(0, 3));
  if (restart || incoming.length >= 17) {
    state.slots = incoming;
    state.turns = [text];
  } else if (current.length >= 17) {
    // A complete VIN takes a partial re-read only where it clearly fits; anything else is chatter.
    const fitted = overwriteSection(current, incoming);
    if (fitted === null) return false;
    state.slots = fitted;
    state.turns = [];
  } else {
    const restated = chunk.restates || state.restateNext;
    const kept = restated
      ? current.slice(0, current.length - restatedTail(current, incoming))
      : current;
    state.slots = mergeChunk(kept, incoming);
    state.turns.push(text);
  }
  state.restateNext = endsWithCorrection;
  state.pending = null;
  state.confirmed = false;
  return true;
}

/** Judges what is held: status, VIN, candidates and the next question. */
export function evaluateHeld(
  state: HeldState,
  action: CaptureAction,
  year: number,
): VinCaptureResult {
  const greedy =
    state.slots.length >= 17 ? analyzeRuns([runOf(toPieces(state.slots))], year) : null;
  if ((greedy === null || greedy.vin === null) && state.turns.length > 1) {
    // Chunking is greedy; the turns re-read as one utterance get the full extractor (bridging,
    // restatements, weak words at the edges). Its answer is as safe as extractVin's.
    const whole = analyzeRuns(splitRuns(lexTranscript(state.turns.join(', '))), year);
    if (whole.vin !== null && whole.heard.length === 17) {
      state.slots = whole.heard.map((sl) => ({ ...sl, weak: false }));
      state.pending = null;
    }
  }
  const collected = heldText(state);
  const base = {
    collected,
    missing: Math.max(0, 17 - collected.length),
    action,
    confirmed: state.confirmed,
  };
  if (collected.length < 17) {
    const status: ExtractStatus = collected.length === 0 ? 'none' : 'incomplete';
    return { ...base, status, vin: null, candidates: [], question: continueQuestion(collected) };
  }
  const analysis =
    greedy !== null && greedy.vin !== null
      ? greedy
      : analyzeRuns([runOf(toPieces(state.slots))], year);
  const reading =
    analysis.heard.length === 17 ? analysis.heard.map((s) => s.ch).join('') : collected;
  const out = { ...base, collected: reading, missing: 0 };
  if (analysis.status === 'ambiguous') {
    const choice = state.pending ?? analysis.choice;
    state.pending = choice;
    const candidates = choice?.candidates ?? analysis.candidates;
    const question = choice === null ? analysis.question : choiceQuestion(choice);
    return {
      ...out,
      status: 'ambiguous',
      vin: null,
      candidates,
      ...(question === undefined ? {} : { question }),
    };
  }
  state.pending = null;
  if (analysis.vin !== null) {
    const question = state.confirmed ? undefined : readBackQuestion(analysis.vin);
    return {
      ...out,
      status: analysis.status,
      vin: analysis.vin,
      candidates: [analysis.vin],
      ...(question === undefined ? {} : { question }),
    };
  }
  const question = analysis.question ?? REREAD_QUESTION;
  return {
    ...out,
    status: analysis.status,
    vin: null,
    candidates: analysis.candidates,
    question,
  };
}
