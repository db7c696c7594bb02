/**
 * Reads a VIN out of one phone transcript. Runs of spelled characters are found between chatter;
 * every way of cutting exactly 17 characters out of them is a "reading"; readings are costed (weak
 * words trimmed, chunks bridged, fillers dropped) and checked against the VIN rules.
 */
import {
  distinct,
  enumerateReadings,
  hasLetter,
  slotCount,
  splitRuns,
  text,
  type Run,
} from './spoken-readings.js';
import { lexTranscript, type CharPiece, type Slot } from './spoken-tokens.js';
import {
  REREAD_QUESTION,
  TOO_LONG_QUESTION,
  chooseQuestion,
  choiceQuestion,
  continueQuestion,
  readBackQuestion,
  type PendingChoice,
} from './vin-questions.js';
import { parseCaptureTurn, type CaptureCommand } from './vin-capture-commands.js';
import { assessReading, isPlausibleVin } from './vin-repair.js';
import { lookupWmi } from './wmi-table.js';

/** Outcome of reading a VIN from speech. */
export type ExtractStatus = 'valid' | 'corrected' | 'ambiguous' | 'invalid' | 'incomplete' | 'none';

/** Result of {@link extractVin}; `vin` is non-null only for 'valid' and 'corrected'. */
export interface ExtractResult {
  vin: string | null;
  status: ExtractStatus;
  candidates: string[];
  question?: string;
}

/** Options shared by the extractor and the capture. */
export interface ExtractOptions {
  /** Calendar year for the "model year not in the future" rule; defaults to the current UTC year. */
  currentYear?: number;
}

/** Everything the capture needs beyond the public result. */
export interface Analysis extends ExtractResult {
  /** The best 17-character reading, or the longest partial run for 'incomplete'. */
  heard: Slot[];
  choice: PendingChoice | null;
}

/** Other VINs reachable by deleting characters from what was heard (any character, not only fillers). */
function deletionRivals(source: readonly Slot[], chosen: string, currentYear: number): string[] {
  const heard = text(source);
  const extra = heard.length - 17;
  const out = new Set<string>();
  const tryDelete = (s: string, k: number): void => {
    for (let i = 0; i < s.length; i++) {
      const cut = s.slice(0, i) + s.slice(i + 1);
      if (k > 1) tryDelete(cut, k - 1);
      else if (cut !== chosen && isPlausibleVin(cut, currentYear)) out.add(cut);
    }
  };
  if (extra >= 1 && extra <= 2) tryDelete(heard, extra);
  return [...out];
}

const MAX_CANDIDATES = 8;
const WEAK_TRIM = 0.5;

function longestRun(runs: readonly Run[]): CharPiece[] {
  let best: CharPiece[] = [];
  for (const r of runs) if (slotCount(r.pieces) > slotCount(best)) best = r.pieces;
  return best;
}

/** Whether a partial run looks like part of a VIN rather than a stray word or a year. */
function isVinLike(pieces: readonly CharPiece[]): boolean {
  const n = slotCount(pieces);
  const strong = pieces.filter((p) => !p.weak);
  if (!hasLetter(strong)) return false;
  const hasDigit = pieces.some((p) => p.slots.some((s) => /[0-9]/.test(s.ch)));
  return n >= 6 || (n >= 3 && hasDigit);
}

function ambiguous(heard: Slot[], candidates: string[], fallback: string): Analysis {
  const list = candidates.slice(0, MAX_CANDIDATES);
  const choice = chooseQuestion(heard.length === 17 ? text(heard) : null, list);
  return {
    vin: null,
    status: list.length > 0 ? 'ambiguous' : 'invalid',
    candidates: list,
    question: choice === null ? fallback : choiceQuestion(choice),
    heard,
    choice,
  };
}

/** Decides on a set of runs; shared by {@link extractVin} and the multi-turn capture. */
export function analyzeRuns(runs: readonly Run[], currentYear: number): Analysis {
  const readings = enumerateReadings(runs).sort((x, y) => x.cost - y.cost);
  if (readings.length === 0) {
    const partial = longestRun(runs);
    const heard = partial.flatMap((p) => p.slots);
    if (heard.length > 17) return { ...ambiguous(heard, [], TOO_LONG_QUESTION), status: 'invalid' };
    const incomplete = isVinLike(partial);
    return {
      vin: null,
      status: incomplete ? 'incomplete' : 'none',
      candidates: [],
      question: continueQuestion(incomplete ? text(heard) : ''),
      heard: incomplete ? heard : [],
      choice: null,
    };
  }
  // An everyday word as the first character ("a", "see", "to") must at least complete a known maker code.
  const valid = readings.filter((r) => {
    const vin = text(r.slots);
    return isPlausibleVin(vin, currentYear) && (!r.weakHead || lookupWmi(vin) !== undefined);
  });
  const natural = readings.filter((r) => r.natural);
  const minNatural = natural[0]?.cost;
  const bestValid = valid[0];

  if (minNatural !== undefined) {
    const validNatural = valid.filter((r) => r.natural);
    const top = validNatural[0];
    if (top !== undefined && top.cost <= minNatural + 1) {
      const rivals = distinct(validNatural.filter((r) => r.cost <= top.cost + 1.5));
      if (rivals.length === 1) {
        const vin = text(top.slots);
        return {
          vin,
          status: 'valid',
          candidates: [vin],
          question: readBackQuestion(vin),
          heard: top.slots,
          choice: null,
        };
      }
      return ambiguous(top.slots, rivals, REREAD_QUESTION);
    }
    // The literal reading fails: try single-mishearing repair on the cheapest literal readings.
    const cheapest = natural.filter((r) => r.cost <= minNatural + WEAK_TRIM);
    const heard = cheapest[0]?.slots ?? [];
    const assessments = cheapest.map((r) => assessReading(r.slots, currentYear));
    const repairs = [...new Set(assessments.flatMap((a) => a.candidates.map((c) => c.vin)))];
    const stretch = distinct(valid);
    const corrected = assessments.filter((a) => a.status === 'corrected');
    const only = corrected[0]?.vin;
    if (only !== null && only !== undefined && repairs.length === 1 && stretch.length === 0) {
      return {
        vin: only,
        status: 'corrected',
        candidates: [only],
        question: readBackQuestion(only),
        heard,
        choice: null,
      };
    }
    return ambiguous(heard, [...new Set([...repairs, ...stretch])], REREAD_QUESTION);
  }

  // No literal 17-character reading: the run is too long, so a filler may have slipped in. A drop
  // is accepted only if deleting any other single character would not validate as well, so one
  // insertion of any kind (a filler, a doubled digit) can never be resolved the wrong way.
  if (bestValid !== undefined) {
    const all = distinct(valid);
    const drop = valid.find((r) => r.dropped && r.stutter !== true && !r.trimmedStrong);
    const [vin] = all;
    if (
      drop !== undefined &&
      all.length === 1 &&
      vin !== undefined &&
      lookupWmi(vin) !== undefined
    ) {
      const source = drop.source;
      const rivals = source === undefined ? [] : deletionRivals(source, vin, currentYear);
      if (rivals.length === 0) {
        return {
          vin,
          status: 'corrected',
          candidates: [vin],
          question: readBackQuestion(vin),
          heard: drop.slots,
          choice: null,
        };
      }
      return ambiguous([], [vin, ...rivals], TOO_LONG_QUESTION);
    }
    return ambiguous([], all, TOO_LONG_QUESTION);
  }
  const partial = longestRun(runs).flatMap((p) => p.slots);
  return { ...ambiguous(partial, [], TOO_LONG_QUESTION), status: 'invalid' };
}

/**
 * A correction said after the VIN in the same breath ("..., wait, the last digit is a 3"): the
 * text after a pause or correction word that reads as a capture command. Returns the command and
 * the text before it.
 */
function trailingCorrection(utterance: string): { before: string; command: CaptureCommand } | null {
  const cuts = [...utterance.matchAll(/[,.;!?]|\b(?:no|wait|sorry|actually|correction|oops)\b/gi)];
  for (const cut of cuts.reverse()) {
    const rest = utterance.slice(cut.index + cut[0].length);
    const command = parseCaptureTurn(rest, false);
    if (command.kind === 'set' || command.kind === 'replace') {
      return { before: utterance.slice(0, cut.index), command };
    }
  }
  return null;
}

/** Applies a trailing correction to the reading of the text before it. */
function withCorrection(
  before: Analysis,
  command: Extract<CaptureCommand, { kind: 'set' | 'replace' }>,
  currentYear: number,
): Analysis | null {
  if (before.heard.length !== 17) return null;
  const slots = before.heard.map((s) => ({ ...s }));
  const at =
    command.kind === 'replace'
      ? slots.map((s) => s.ch).lastIndexOf(command.from)
      : command.position === 'last'
        ? 16 - command.fromEnd
        : command.position - 1;
  if (at < 0 || at > 16) return null;
  slots[at] = { ...command.slot, reliable: true };
  const verdict = assessReading(slots, currentYear);
  const vin = verdict.status === 'valid' || verdict.status === 'corrected' ? verdict.vin : null;
  const candidates = vin !== null ? [vin] : verdict.candidates.map((c) => c.vin);
  const status = vin !== null ? verdict.status : candidates.length > 0 ? 'ambiguous' : 'invalid';
  return {
    vin,
    status,
    candidates,
    question: vin !== null ? readBackQuestion(vin) : REREAD_QUESTION,
    heard: slots,
    choice: null,
  };
}

/** Reads a VIN from one utterance; never returns a VIN it is not sure of. */
export function extractVin(utterance: string, options: ExtractOptions = {}): ExtractResult {
  const currentYear = options.currentYear ?? new Date().getUTCFullYear();
  const fix = trailingCorrection(utterance);
  const base = analyzeRuns(splitRuns(lexTranscript(fix?.before ?? utterance)), currentYear);
  const fixed =
    fix !== null && (fix.command.kind === 'set' || fix.command.kind === 'replace')
      ? withCorrection(base, fix.command, currentYear)
      : null;
  // A correction we cannot apply means the VIN as read is not what the caller meant.
  const result =
    fix === null ? base : (fixed ?? { ...base, vin: null, status: 'invalid' as const });
  const { vin, status, candidates, question } = result;
  return question === undefined
    ? { vin, status, candidates }
    : { vin, status, candidates, question };
}
