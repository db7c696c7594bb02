/**
 * Multi-turn VIN capture for the voice agent: accumulates chunks read over several turns, applies
 * corrections ("the fifth one is a D", "scratch that"), and resolves its own targeted questions.
 * The state is plain data (toJSON/fromJSON) so a call can resume after a worker restart.
 */
import type { ExtractOptions } from './spoken-vin.js';
import { isPending, isSlot, type HeldSlot } from './vin-capture-chunks.js';
import {
  absorbTurn,
  evaluateHeld,
  heldText,
  type CaptureAction,
  type HeldState,
  type VinCaptureResult,
} from './vin-capture-state.js';
import type { Slot } from './spoken-tokens.js';
import { parseCaptureTurn, singleCharacter, type CaptureCommand } from './vin-capture-commands.js';
import {
  REREAD_QUESTION,
  chooseQuestion,
  choiceQuestion,
  continueQuestion,
  type PendingChoice,
} from './vin-questions.js';
import { isPlausibleVin } from './vin-repair.js';
import { ordinal } from './vin-speech.js';

export type { CaptureAction, VinCaptureResult } from './vin-capture-state.js';

/** Serialised capture state (version 1). */
export interface VinCaptureState {
  version: 1;
  slots: HeldSlot[];
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

/** Stateful capture of one VIN across turns. */
export class VinCapture {
  #s: HeldState = { slots: [], pending: null, confirmed: false, turns: [], restateNext: false };
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
    capture.#s = {
      slots: s.slots.map((slot) => ({ ...slot })),
      pending: s.pending === null ? null : { ...s.pending },
      confirmed: s.confirmed,
      turns: [...s.turns],
      restateNext: s.restateNext,
    };
    return capture;
  }

  /** Plain-data state for persistence. */
  toJSON(): VinCaptureState {
    return {
      version: 1,
      slots: this.#s.slots.map((s) => ({ ...s })),
      pending: this.#s.pending === null ? null : { ...this.#s.pending },
      confirmed: this.#s.confirmed,
      currentYear: this.#currentYear,
      turns: [...this.#s.turns],
      restateNext: this.#s.restateNext,
    };
  }

  /** Processes one caller utterance and returns where the capture stands. */
  hear(utterance: string): VinCaptureResult {
    const command = parseCaptureTurn(utterance, this.#s.pending !== null);
    return this.#apply(command);
  }

  /** Where the capture stands, without changing it. */
  result(action: CaptureAction = 'ignored'): VinCaptureResult {
    return this.#evaluate(action);
  }

  /** Marks the current VIN as confirmed by the caller (after a read-back). */
  confirm(): VinCaptureResult {
    const now = this.#evaluate('confirmed');
    if (now.vin !== null) this.#s.confirmed = true;
    return this.#evaluate(now.vin !== null ? 'confirmed' : 'ignored');
  }

  /** Forgets everything collected so far. */
  reset(): VinCaptureResult {
    this.#s = { slots: [], pending: null, confirmed: false, turns: [], restateNext: false };
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
        const options = this.#s.pending?.options ?? [];
        const ch = command.index === 'last' ? options[options.length - 1] : options[command.index];
        return ch === undefined ? this.#evaluate('ignored') : this.#answer(ch, true);
      }
      case 'set':
        return this.#set(command);
      case 'replace':
        return this.#replace(command.from, command.slot);
      case 'delete':
        this.#s.slots.splice(Math.max(0, this.#s.slots.length - command.count));
        this.#edited();
        return this.#evaluate('removed');
      case 'chars':
        return this.#chars(command.text);
    }
  }

  #unsettle(): void {
    this.#s.pending = null;
    this.#s.confirmed = false;
  }

  /** A direct edit: earlier turns no longer describe the characters, so stop re-reading them. */
  #edited(): void {
    this.#unsettle();
    this.#s.turns = [];
    this.#s.restateNext = false;
  }

  #yes(): VinCaptureResult {
    const pending = this.#s.pending;
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
    const pending = this.#s.pending;
    if (pending !== null && rest.trim() !== '') {
      const answer = singleCharacter(rest);
      if (answer !== undefined) return this.#answer(answer.ch, answer.reliable);
    }
    if (pending !== null && pending.options.length > 1) {
      // "Neither": ask for that one character outright.
      this.#s.pending = { position: pending.position, options: [], candidates: [] };
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
      this.#s.pending = null;
      if (keep.length === 0) return this.#afterRejection();
      return this.#narrow(keep, 'answered');
    }
    if (rest.trim() !== '' && this.#addChars(rest)) return this.#evaluate('added');
    if (pending === null && this.#s.slots.length >= 17) {
      this.#s.confirmed = false;
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
    const pending = this.#s.pending;
    if (pending === null) return this.#evaluate('ignored');
    const at = pending.position - 1;
    const keep = pending.candidates.filter((c) => c.charAt(at) === ch);
    this.#s.pending = null;
    if (keep.length > 0) return this.#narrow(keep, 'answered');
    // Not among the candidates: take the caller's word for that position and look again.
    const slot = this.#s.slots[at];
    if (slot !== undefined) this.#s.slots[at] = { ...slot, ch, reliable: explicit, weak: false };
    this.#s.turns = [];
    return this.#evaluate('answered');
  }

  #narrow(candidates: string[], action: CaptureAction): VinCaptureResult {
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined) {
      // The caller settled it: the VIN is now what they confirmed, character by character.
      this.#s.turns = [];
      this.#s.slots = [...only].map((ch) => ({
        ch,
        kind: /[0-9]/.test(ch) ? 'digit' : 'letter',
        reliable: true,
        src: ch,
        weak: false,
      }));
      return this.#evaluate(action);
    }
    const heard = this.#s.slots.map((s) => s.ch).join('');
    this.#s.pending = chooseQuestion(heard.length === 17 ? heard : null, candidates);
    return this.#evaluate(action);
  }

  #set(command: Extract<CaptureCommand, { kind: 'set' }>): VinCaptureResult {
    const index =
      command.position === 'last'
        ? this.#s.slots.length - 1 - command.fromEnd
        : command.position - 1;
    const slot = this.#s.slots[index];
    if (slot === undefined || index < 0) {
      const have = this.#s.slots.length;
      return {
        ...this.#evaluate('ignored'),
        question: `I only have ${have} characters so far. ${continueQuestion(heldText(this.#s))}`,
      };
    }
    this.#s.slots[index] = { ...command.slot, weak: false, reliable: true };
    this.#edited();
    return this.#evaluate('corrected');
  }

  #replace(from: string, slot: Slot): VinCaptureResult {
    const at = this.#s.slots.flatMap((s, i) => (s.ch === from ? [i] : []));
    const pendingAt = this.#s.pending === null ? undefined : this.#s.pending.position - 1;
    let index = at.length === 1 ? at[0] : at.find((i) => i === pendingAt);
    if (index === undefined && at.length > 1) {
      // Several: prefer the one whose change makes the VIN check out, else the last said.
      const text = heldText(this.#s);
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
    this.#s.slots[index] = { ...slot, weak: false, reliable: true };
    this.#edited();
    return this.#evaluate('corrected');
  }

  #checksOut(vin: string): boolean {
    return isPlausibleVin(vin, this.#year);
  }

  #chars(text: string): VinCaptureResult {
    const pending = this.#s.pending;
    if (pending !== null) {
      // Only a short reply naming one of the offered characters (or any character, if the question
      // was open) answers the question; anything else is the caller reading on.
      const answer = text.trim().split(/\s+/).length <= 6 ? singleCharacter(text) : undefined;
      const offered = pending.options.length === 0 || pending.options.includes(answer?.ch ?? '');
      if (answer !== undefined && offered) return this.#answer(answer.ch, answer.reliable);
    }
    const before = this.#s.slots.length;
    const added = this.#addChars(text);
    if (!added) return this.#evaluate('ignored');
    return this.#evaluate(this.#s.slots.length <= before ? 'replaced' : 'added');
  }

  #addChars(text: string): boolean {
    return absorbTurn(this.#s, text, this.#year);
  }

  #evaluate(action: CaptureAction): VinCaptureResult {
    return evaluateHeld(this.#s, action, this.#year);
  }
}
