/**
 * Multi-turn VIN capture for the voice agent: accumulates chunks read over several turns, applies
 * corrections ("the fifth one is a D", "scratch that"), and resolves its own targeted questions.
 * The state is plain data (toJSON/fromJSON) so a call can resume after a worker restart.
 */
import { analyzeRuns, type ExtractOptions, type ExtractStatus } from './spoken-vin.js';
import { isLoneYear, splitRuns, type Run } from './spoken-readings.js';
import { lexTranscript, type CharPiece, type Slot } from './spoken-tokens.js';
import { parseCaptureTurn, singleCharacter, type CaptureCommand } from './vin-capture-commands.js';
import {
  REREAD_QUESTION,
  chooseQuestion,
  choiceQuestion,
  continueQuestion,
  readBackQuestion,
  type PendingChoice,
} from './vin-questions.js';
import { isPlausibleVin } from './vin-repair.js';
import { ordinal } from './vin-speech.js';

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

/** Serialised capture state (version 1). */
export interface VinCaptureState {
  version: 1;
  slots: (Slot & { weak: boolean })[];
  pending: PendingChoice | null;
  confirmed: boolean;
  currentYear: number | null;
  /** Turns read since the last reset or edit, re-read as one utterance when chunking fails. */
  turns: string[];
  /** The last turn ended with "sorry"/"no wait": the next one restates its tail. */
  restateNext: boolean;
}

const WHICH_PART =
  "Which part is wrong? You can say, for example, 'the fifth character is D as in delta'.";

function isSlot(x: unknown): x is Slot & { weak: boolean } {
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

function isPending(x: unknown): x is PendingChoice {
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

/** Stateful capture of one VIN across turns. */
export class VinCapture {
  #slots: (Slot & { weak: boolean })[] = [];
  #pending: PendingChoice | null = null;
  #confirmed = false;
  #turns: string[] = [];
  #restateNext = false;
  readonly #currentYear: number | null;

  constructor(options: ExtractOptions = {}) {
    this.#currentYear = options.currentYear ?? null;
  }

  /** Restores a capture from {@link VinCapture.toJSON} output; throws on malformed state. */
  static fromJSON(state: unknown): VinCapture {
    const s = state as Partial<VinCaptureState> | null;
    if (
      s === null ||
      typeof s !== 'object' ||
      s.version !== 1 ||
      !Array.isArray(s.slots) ||
      !s.slots.every(isSlot) ||
      !(s.pending === null || isPending(s.pending)) ||
      typeof s.confirmed !== 'boolean' ||
      !(s.currentYear === null || typeof s.currentYear === 'number') ||
      !Array.isArray(s.turns) ||
      !s.turns.every((t) => typeof t === 'string') ||
      typeof s.restateNext !== 'boolean'
    ) {
      throw new TypeError('Invalid VinCapture state');
    }
    const capture = new VinCapture(s.currentYear === null ? {} : { currentYear: s.currentYear });
    capture.#slots = s.slots.map((slot) => ({ ...slot }));
    capture.#pending = s.pending === null ? null : { ...s.pending };
    capture.#confirmed = s.confirmed;
    capture.#turns = [...s.turns];
    capture.#restateNext = s.restateNext;
    return capture;
  }

  /** Plain-data state for persistence. */
  toJSON(): VinCaptureState {
    return {
      version: 1,
      slots: this.#slots.map((s) => ({ ...s })),
      pending: this.#pending === null ? null : { ...this.#pending },
      confirmed: this.#confirmed,
      currentYear: this.#currentYear,
      turns: [...this.#turns],
      restateNext: this.#restateNext,
    };
  }

  /** Processes one caller utterance and returns where the capture stands. */
  hear(utterance: string): VinCaptureResult {
    const command = parseCaptureTurn(utterance, this.#pending !== null);
    return this.#apply(command);
  }

  /** Where the capture stands, without changing it. */
  result(action: CaptureAction = 'ignored'): VinCaptureResult {
    return this.#evaluate(action);
  }

  /** Marks the current VIN as confirmed by the caller (after a read-back). */
  confirm(): VinCaptureResult {
    const now = this.#evaluate('confirmed');
    if (now.vin !== null) this.#confirmed = true;
    return this.#evaluate(now.vin !== null ? 'confirmed' : 'ignored');
  }

  /** Forgets everything collected so far. */
  reset(): VinCaptureResult {
    this.#slots = [];
    this.#pending = null;
    this.#confirmed = false;
    this.#turns = [];
    this.#restateNext = false;
    return this.#evaluate('reset');
  }

  get #year(): number {
    return this.#currentYear ?? new Date().getUTCFullYear();
  }

  #apply(command: CaptureCommand): VinCaptureResult {
    switch (command.kind) {
      case 'reset': {
        this.reset();
        const more = this.#addChars(command.rest);
        return this.#evaluate(more ? 'added' : 'reset');
      }
      case 'yes':
        return this.#yes();
      case 'no':
        return this.#no(command.rest);
      case 'pick': {
        const options = this.#pending?.options ?? [];
        const ch = command.index === 'last' ? options[options.length - 1] : options[command.index];
        return ch === undefined ? this.#evaluate('ignored') : this.#answer(ch, true);
      }
      case 'set':
        return this.#set(command);
      case 'replace':
        return this.#replace(command.from, command.slot);
      case 'delete':
        this.#slots.splice(Math.max(0, this.#slots.length - command.count));
        this.#edited();
        return this.#evaluate('removed');
      case 'chars':
        return this.#chars(command.text);
    }
  }

  #unsettle(): void {
    this.#pending = null;
    this.#confirmed = false;
  }

  /** A direct edit: earlier turns no longer describe the characters, so stop re-reading them. */
  #edited(): void {
    this.#unsettle();
    this.#turns = [];
    this.#restateNext = false;
  }

  #yes(): VinCaptureResult {
    const pending = this.#pending;
    if (pending !== null && pending.options.length === 1 && pending.options[0] !== undefined) {
      return this.#answer(pending.options[0], true);
    }
    if (pending === null) return this.confirm();
    return {
      ...this.#evaluate('ignored'),
      question: `Sorry, which one: ${choiceQuestion(pending).replace(/^Was the/, 'the')}`,
    };
  }

  #no(rest: string): VinCaptureResult {
    const pending = this.#pending;
    if (pending !== null && rest.trim() !== '') {
      const answer = singleCharacter(rest);
      if (answer !== undefined) return this.#answer(answer.ch, answer.reliable);
    }
    if (pending !== null && pending.options.length > 1) {
      // "Neither": ask for that one character outright.
      this.#pending = { position: pending.position, options: [], candidates: [] };
      return {
        ...this.#evaluate('answered'),
        question: `What is the ${ordinal(pending.position)} character?`,
      };
    }
    if (pending !== null && pending.options.length === 1) {
      // "No" to "Was it D?": keep the candidates that have something else there.
      const keep = pending.candidates.filter(
        (c) => c.charAt(pending.position - 1) !== pending.options[0],
      );
      this.#pending = null;
      if (keep.length === 0) return this.#afterRejection();
      return this.#narrow(keep, 'answered');
    }
    if (rest.trim() !== '' && this.#addChars(rest)) return this.#evaluate('added');
    if (pending === null && this.#slots.length >= 17) {
      this.#confirmed = false;
      return { ...this.#evaluate('ignored'), question: WHICH_PART };
    }
    return this.#evaluate('ignored');
  }

  #afterRejection(): VinCaptureResult {
    return {
      ...this.#evaluate('answered'),
      status: 'invalid',
      vin: null,
      candidates: [],
      question: REREAD_QUESTION,
    };
  }

  /** The caller named the character at the pending position. */
  #answer(ch: string, explicit: boolean): VinCaptureResult {
    const pending = this.#pending;
    if (pending === null) return this.#evaluate('ignored');
    const at = pending.position - 1;
    const keep = pending.candidates.filter((c) => c.charAt(at) === ch);
    this.#pending = null;
    if (keep.length > 0) return this.#narrow(keep, 'answered');
    // Not among the candidates: take the caller's word for that position and look again.
    const slot = this.#slots[at];
    if (slot !== undefined) this.#slots[at] = { ...slot, ch, reliable: explicit, weak: false };
    this.#turns = [];
    return this.#evaluate('answered');
  }

  #narrow(candidates: string[], action: CaptureAction): VinCaptureResult {
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined) {
      // The caller settled it: the VIN is now what they confirmed, character by character.
      this.#turns = [];
      this.#slots = [...only].map((ch) => ({
        ch,
        kind: /[0-9]/.test(ch) ? 'digit' : 'letter',
        reliable: true,
        src: ch,
        weak: false,
      }));
      return this.#evaluate(action);
    }
    const heard = this.#slots.map((s) => s.ch).join('');
    this.#pending = chooseQuestion(heard.length === 17 ? heard : null, candidates);
    return this.#evaluate(action);
  }

  #set(command: Extract<CaptureCommand, { kind: 'set' }>): VinCaptureResult {
    const index =
      command.position === 'last' ? this.#slots.length - 1 - command.fromEnd : command.position - 1;
    const slot = this.#slots[index];
    if (slot === undefined || index < 0) {
      const have = this.#slots.length;
      return {
        ...this.#evaluate('ignored'),
        question: `I only have ${have} characters so far. ${continueQuestion(this.#text())}`,
      };
    }
    this.#slots[index] = { ...command.slot, weak: false, reliable: true };
    this.#edited();
    return this.#evaluate('corrected');
  }

  #replace(from: string, slot: Slot): VinCaptureResult {
    const at = this.#slots.flatMap((s, i) => (s.ch === from ? [i] : []));
    const pendingAt = this.#pending === null ? undefined : this.#pending.position - 1;
    let index = at.length === 1 ? at[0] : at.find((i) => i === pendingAt);
    if (index === undefined && at.length > 1) {
      // Several: prefer the one whose change makes the VIN check out, else the last said.
      const text = this.#text();
      index =
        at.find((i) => this.#checksOut(text.slice(0, i) + slot.ch + text.slice(i + 1))) ??
        at[at.length - 1];
    }
    if (index === undefined) {
      return {
        ...this.#evaluate('ignored'),
        question: `I don't have a ${from} in what I wrote down. ${WHICH_PART}`,
      };
    }
    this.#slots[index] = { ...slot, weak: false, reliable: true };
    this.#edited();
    return this.#evaluate('corrected');
  }

  #checksOut(vin: string): boolean {
    return isPlausibleVin(vin, this.#year);
  }

  #chars(text: string): VinCaptureResult {
    const pending = this.#pending;
    if (pending !== null) {
      const answer = singleCharacter(text);
      if (answer !== undefined) return this.#answer(answer.ch, answer.reliable);
    }
    const before = this.#slots.length;
    const added = this.#addChars(text);
    if (!added) return this.#evaluate('ignored');
    return this.#evaluate(this.#slots.length <= before ? 'replaced' : 'added');
  }

  /** Adds the characters an utterance carries; false if it carried none. */
  #addChars(text: string): boolean {
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
    if (
      runs.length === 0 &&
      all.length === 1 &&
      this.#slots.length > 0 &&
      this.#slots.length < 17
    ) {
      runs = all.filter((r) => r.pieces.every((p) => p.slots.every((sl) => sl.kind === 'digit')));
    }
    if (runs.length === 0) {
      if (endsWithCorrection) this.#restateNext = true;
      return false;
    }
    const whole = analyzeRuns(runs, this.#year);
    // The caller read a whole VIN in this turn: it replaces whatever was there.
    if ((whole.status === 'valid' || whole.status === 'corrected') && whole.heard.length === 17) {
      this.#slots = whole.heard.map((sl) => ({ ...sl, weak: false }));
      this.#turns = [text];
      this.#restateNext = false;
      this.#unsettle();
      return true;
    }
    const chunk = chunkSlots(runs);
    const incoming = chunk.slots;
    if (incoming.length === 0) return false;
    const current = this.#slots;
    const textOf = (xs: readonly Slot[]): string => xs.map((x) => x.ch).join('');
    const restart =
      incoming.length >= 6 &&
      current.length >= 3 &&
      textOf(incoming.slice(0, 3)) === textOf(current.slice(0, 3));
    if (restart || incoming.length >= 17) {
      this.#slots = incoming;
      this.#turns = [text];
    } else if (current.length >= 17) {
      // A complete VIN takes a partial re-read only where it clearly fits; anything else is chatter.
      const fitted = overwriteSection(current, incoming);
      if (fitted === null) return false;
      this.#slots = fitted;
      this.#turns = [];
    } else {
      const restated = chunk.restates || this.#restateNext;
      const kept = restated
        ? current.slice(0, current.length - restatedTail(current, incoming))
        : current;
      this.#slots = mergeChunk(kept, incoming);
      this.#turns.push(text);
    }
    this.#restateNext = endsWithCorrection;
    this.#unsettle();
    return true;
  }

  #text(): string {
    return this.#slots.map((s) => s.ch).join('');
  }

  #evaluate(action: CaptureAction): VinCaptureResult {
    const greedy =
      this.#slots.length >= 17 ? analyzeRuns([runOf(toPieces(this.#slots))], this.#year) : null;
    if ((greedy === null || greedy.vin === null) && this.#turns.length > 1) {
      // Chunking is greedy; the turns re-read as one utterance get the full extractor (bridging,
      // restatements, weak words at the edges). Its answer is as safe as extractVin's.
      const whole = analyzeRuns(splitRuns(lexTranscript(this.#turns.join(', '))), this.#year);
      if (whole.vin !== null && whole.heard.length === 17) {
        this.#slots = whole.heard.map((sl) => ({ ...sl, weak: false }));
        this.#pending = null;
      }
    }
    const collected = this.#text();
    const base = {
      collected,
      missing: Math.max(0, 17 - collected.length),
      action,
      confirmed: this.#confirmed,
    };
    if (collected.length < 17) {
      const status: ExtractStatus = collected.length === 0 ? 'none' : 'incomplete';
      return { ...base, status, vin: null, candidates: [], question: continueQuestion(collected) };
    }
    const analysis =
      greedy !== null && greedy.vin !== null
        ? greedy
        : analyzeRuns([runOf(toPieces(this.#slots))], this.#year);
    const reading =
      analysis.heard.length === 17 ? analysis.heard.map((s) => s.ch).join('') : collected;
    const out = { ...base, collected: reading, missing: 0 };
    if (analysis.status === 'ambiguous') {
      const choice = this.#pending ?? analysis.choice;
      this.#pending = choice;
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
    this.#pending = null;
    if (analysis.vin !== null) {
      const question = this.#confirmed ? undefined : readBackQuestion(analysis.vin);
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
}

function toPieces(slots: readonly (Slot & { weak: boolean })[]): CharPiece[] {
  return slots.map(({ weak, ...slot }, token) => ({ type: 'char', slots: [slot], weak, token }));
}

function runOf(pieces: CharPiece[]): Run {
  return { pieces, before: undefined, last: true };
}

/**
 * Characters of one turn. Everyday letter words ("a", "you") count at the turn's own edges, where a
 * caller pauses between chunks, but not next to chatter ("..., you got it?"); after chatter inside
 * the turn, a lone character is a remark ("that's C as in Charlie"), not more VIN.
 */
function chunkSlots(runs: readonly Run[]): {
  slots: (Slot & { weak: boolean })[];
  restates: boolean;
} {
  const out: (Slot & { weak: boolean })[] = [];
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
function restatedTail(before: readonly Slot[], fresh: readonly Slot[]): number {
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
function overwriteSection(
  current: readonly (Slot & { weak: boolean })[],
  incoming: readonly (Slot & { weak: boolean })[],
): (Slot & { weak: boolean })[] | null {
  const scores: number[] = [];
  for (let at = 0; at + incoming.length <= current.length; at++) {
    scores.push(incoming.filter((s, k) => current[at + k]?.ch !== s.ch).length);
  }
  const best = Math.min(...scores);
  const at = scores.indexOf(best);
  const unique = scores.filter((x) => x === best).length === 1;
  if (incoming.length < 3 || !unique || best > Math.floor(incoming.length / 3))
    return [...current, ...incoming];
  return [...current.slice(0, at), ...incoming, ...current.slice(at + incoming.length)];
}

/** Appends a turn's characters, dropping a repeated anchor ("... C M 8" then "C M 8 2 6 3"). */
function mergeChunk(
  current: readonly (Slot & { weak: boolean })[],
  incoming: readonly (Slot & { weak: boolean })[],
): (Slot & { weak: boolean })[] {
  const text = current.map((s) => s.ch).join('');
  const next = incoming.map((s) => s.ch).join('');
  for (let k = Math.min(text.length, next.length - 1, 6); k >= 2; k--) {
    if (text.endsWith(next.slice(0, k)) && text.length + next.length > 17) {
      return [...current, ...incoming.slice(k)];
    }
  }
  return [...current, ...incoming];
}
