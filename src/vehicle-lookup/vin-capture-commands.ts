/**
 * Recognises what a caller does in one turn while a VIN is being captured: start over, fix one
 * position, replace a character, delete the last ones, answer the agent's question, or just read
 * more characters.
 */
import { CARDINAL_WORDS, ORDINAL_WORDS, valuesOf } from './spoken-lexicon.js';
import { lexTranscript, type CharPiece, type Slot } from './spoken-tokens.js';

/** One caller turn, interpreted. */
export type CaptureCommand =
  | { kind: 'reset'; rest: string }
  | { kind: 'set'; position: number | 'last'; fromEnd: number; slot: Slot }
  | { kind: 'replace'; from: string; slot: Slot }
  | { kind: 'delete'; count: number }
  | { kind: 'yes' }
  | { kind: 'no'; rest: string }
  | { kind: 'pick'; index: number | 'last' }
  | { kind: 'chars'; text: string };

const ORDINALS = valuesOf(ORDINAL_WORDS, 1);
const CARDINALS = valuesOf(CARDINAL_WORDS.slice(1, 18), 1);

const RESET =
  /\b(scratch (?:that|all that|everything)|start (?:over|again|from the (?:top|beginning))|from the (?:top|beginning)|let me (?:start|begin) (?:over|again)|begin again|clear (?:it|that|everything)|forget (?:it|that|what i said)|wrong (?:vin|car|one entirely))\b[,.!]?/;
const YES =
  /^(?:yes|yeah|yep|yup|correct|that's (?:right|correct|it)|right|exactly|uh huh|mhm|sure|affirmative|you got it)\b[\s,.!]*$/;
const NO = /^(?:no|nope|nah|neither|wrong|that's wrong|not quite|negative)\b[\s,.!]*/;
const PICK =
  /^(?:(?:it'?s|it was|it is)\s+)?(?:the\s+)?(first|second|third|last|former|latter)(?:\s+one)?\s*[.!]?$/;
const SET =
  /(?:^|\b)(?:the\s+)?(?:(last|final)|(second|third)\s+(?:to|from)\s+(?:the\s+)?last|([a-z]+th|first|second|third|\d+(?:st|nd|rd|th))|(?:number|position|character|digit|letter)\s+(\w+))(?:\s+(?:one|character|digit|letter|char|position|spot))?\s+(?:is|was|should be|should have been|needs to be|has to be|must be|'s|=)\s+(?:actually\s+|really\s+|supposed to be\s+)?(.+)$/;
// "the B is a D", "the B should be a D": a named character, not a position.
const IS_REPLACE =
  /^(?:the\s+)?(\w+)\s+(?:is|was|should be|should have been|needs to be)\s+(?:actually\s+)?(?:an?\s+)?(.+)$/;
const REPLACE =
  /\b(?:change|replace|switch|swap|make|turn)\s+(?:the\s+)?(.+?)\s+(?:to|with|into|for)\s+(?:an?\s+)?(.+)$/;
const NOT_BUT = /^(?:it'?s\s+)?not\s+(?:an?\s+)?(.+?)[,]?\s+(?:but\s+|it'?s\s+)?(?:an?\s+)?(.+)$/;
const BUT_NOT = /^(?:it'?s\s+)?(?:an?\s+)?(.+?)[,]?\s+not\s+(?:an?\s+)?(.+)$/;
const DELETE =
  /\b(?:delete|remove|drop|erase|take (?:off|out|away)|scratch|strike|undo)\s+(?:the\s+)?(?:last|final)\s*(one|two|three|\d)?/;

/** The one character a short phrase names ("a D", "D as in delta", "nine"); undefined otherwise. */
export function singleCharacter(phrase: string): Slot | undefined {
  const pieces = lexTranscript(phrase);
  const chars = pieces.filter((p): p is CharPiece => p.type === 'char');
  const strong = chars.filter((p) => !p.weak);
  // An everyday word ("you", "a") names a character only when it is all that was said.
  const pool = strong.length > 0 ? strong : pieces.length === chars.length ? chars : [];
  if (pool.length !== 1) return undefined;
  const [piece] = pool;
  if (piece === undefined || piece.slots.length !== 1) return undefined;
  return piece.slots[0];
}

function positionOf(word: string, cardinalOk: boolean): number | undefined {
  const digits = /^(\d+)(?:st|nd|rd|th)?$/.exec(word);
  const n =
    digits?.[1] !== undefined
      ? Number(digits[1])
      : (ORDINALS[word] ?? (cardinalOk ? CARDINALS[word] : undefined));
  return n !== undefined && n >= 1 && n <= 17 ? n : undefined;
}

function parseSet(low: string): CaptureCommand | undefined {
  const m = SET.exec(low);
  if (m === null) return undefined;
  const [, last, nthToLast, ordinal, numbered, value] = m;
  const slot = value === undefined ? undefined : singleCharacter(value);
  if (slot === undefined) return undefined;
  if (last !== undefined) return { kind: 'set', position: 'last', fromEnd: 0, slot };
  if (nthToLast !== undefined) {
    return { kind: 'set', position: 'last', fromEnd: nthToLast === 'second' ? 1 : 2, slot };
  }
  // "the fifth is D" and "number five is D"; a bare cardinal ("the five is a D") names a character.
  const position =
    ordinal !== undefined
      ? positionOf(ordinal, false)
      : numbered !== undefined
        ? positionOf(numbered, true)
        : undefined;
  return position === undefined ? undefined : { kind: 'set', position, fromEnd: 0, slot };
}

function parseReplace(low: string): CaptureCommand | undefined {
  for (const [re, fromGroup, toGroup] of [
    [REPLACE, 1, 2],
    [NOT_BUT, 1, 2],
    [BUT_NOT, 2, 1],
    [IS_REPLACE, 1, 2],
  ] as const) {
    const m = re.exec(low);
    if (m === null) continue;
    const from = singleCharacter(m[fromGroup] ?? '');
    const to = singleCharacter(m[toGroup] ?? '');
    if (from !== undefined && to !== undefined && from.ch !== to.ch) {
      return { kind: 'replace', from: from.ch, slot: to };
    }
  }
  return undefined;
}

/** Interprets one turn. `pending` tells whether the agent just asked a question. */
export function parseCaptureTurn(utterance: string, pending: boolean): CaptureCommand {
  const low = utterance
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[?!]/g, '')
    .trim();
  const reset = RESET.exec(low);
  if (reset !== null)
    return { kind: 'reset', rest: utterance.slice(reset.index + reset[0].length) };
  if (YES.test(low)) return { kind: 'yes' };
  const del = DELETE.exec(low);
  if (del !== null) {
    const n = del[1];
    const count = n === undefined ? 1 : (CARDINALS[n] ?? Number(n));
    return { kind: 'delete', count: Number.isFinite(count) && count > 0 ? count : 1 };
  }
  const set = parseSet(low.replace(NO, ''));
  if (set !== undefined) return set;
  const replace = parseReplace(low.replace(NO, ''));
  if (replace !== undefined) return replace;
  if (pending) {
    const pick = PICK.exec(low.replace(NO, ''));
    if (pick?.[1] !== undefined) {
      const word = pick[1];
      const index =
        word === 'first' || word === 'former'
          ? 0
          : word === 'second'
            ? 1
            : word === 'third'
              ? 2
              : 'last';
      return { kind: 'pick', index };
    }
  }
  const no = NO.exec(low);
  if (no !== null) return { kind: 'no', rest: utterance.slice(no[0].length) };
  return { kind: 'chars', text: utterance };
}
