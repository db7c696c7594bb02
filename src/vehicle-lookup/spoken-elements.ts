/**
 * Parses one spoken element of a VIN at a token position: a letter or digit word, a number
 * ("forty eight", "two thousand"), a repeat ("double seven"), letters written together, and a
 * clarifier after it ("B as in boy"). The lexer in spoken-tokens.ts strings these together.
 */
import {
  COMMON_SHORT_WORDS,
  FILLERS,
  REPEATS,
  TEENS,
  TENS,
  UNITS,
  WORD_SENSES,
  clarifiedLetter,
} from './spoken-lexicon.js';
import type { CharPiece, Slot, Token } from './spoken-tokens.js';
import { areConfusable } from './vin-repair.js';

// Upper-case tokens that are words, not spelled letters.
const ACRONYMS = new Set([
  'VIN',
  'VINS',
  'OK',
  'USA',
  'US',
  'SUV',
  'DMV',
  'BMW',
  'GMC',
  'AM',
  'PM',
  'TV',
  'ID',
  'OEM',
  'GPS',
  'AWD',
  'FWD',
  'RWD',
  'MPG',
  'RV',
]);

function mapVinChar(c: string): string {
  if (c === 'I') return '1';
  if (c === 'O' || c === 'Q') return '0';
  return c;
}

/** Slots for letters and digits written together ("1HG", "jtmb"), none of them reliable. */
export function slotsFromAlnum(raw: string): Slot[] {
  // "O" is zero with no alternatives; "I" and "Q" keep letter kind so Y and U stay repair options.
  return [...raw.toUpperCase()].map((c) => ({
    ch: mapVinChar(c),
    kind: /[0-9O]/.test(c) ? 'digit' : 'letter',
    reliable: false,
    src: raw,
  }));
}

/** A parsed element and the index of the token after it. */
export interface Parsed {
  piece: CharPiece;
  next: number;
}

const MULTIWORD_LETTERS: readonly [string[], string][] = [
  [['double', 'you'], 'W'],
  [['double', 'u'], 'W'],
  [['dub', 'ya'], 'W'],
  [['x', 'ray'], 'X'],
  [['ex', 'ray'], 'X'],
  [['fox', 'trot'], 'F'],
];

/** Whether `words` follow one another from token `at` on. */
export function matchWords(
  tokens: readonly Token[],
  at: number,
  words: readonly string[],
): boolean {
  return words.every((w, k) => tokens[at + k]?.low === w);
}

function numberWords(
  tokens: readonly Token[],
  at: number,
): { digits: string; next: number } | null {
  const t = tokens[at]?.low ?? '';
  const nextLow = tokens[at + 1]?.low ?? '';
  const tens = TENS[t];
  if (tens !== undefined) {
    const unit = UNITS[nextLow];
    if (unit !== undefined && nextLow !== 'oh' && nextLow !== 'zero') {
      return { digits: `${tens}${unit}`, next: at + 2 };
    }
    return { digits: `${tens}0`, next: at + 1 };
  }
  const teen = TEENS[t];
  if (teen !== undefined) return { digits: String(teen), next: at + 1 };
  const lead = UNITS[t] ?? (/^[1-9]$/.test(t) ? Number(t) : undefined);
  if (lead === undefined || (nextLow !== 'hundred' && nextLow !== 'thousand')) return null;
  const width = nextLow === 'hundred' ? 2 : 3;
  let i = at + 2;
  if (tokens[i]?.low === 'and') i++;
  const rest = numberWords(tokens, i);
  const restUnit = UNITS[tokens[i]?.low ?? ''];
  if (rest !== null && rest.digits.length <= width) {
    return { digits: `${lead}${rest.digits.padStart(width, '0')}`, next: rest.next };
  }
  if (restUnit !== undefined && tokens[i]?.low !== 'oh') {
    return { digits: `${lead}${String(restUnit).padStart(width, '0')}`, next: i + 1 };
  }
  return { digits: `${lead}${'0'.repeat(width)}`, next: at + 2 };
}

function digitPiece(digits: string, src: string, token: number): CharPiece {
  const slots = [...digits].map((ch): Slot => ({ ch, kind: 'digit', reliable: false, src }));
  return { type: 'char', slots, weak: false, token };
}

/** Parses one character-producing element at `at`, without clarifiers. */
export function parseElement(tokens: readonly Token[], at: number): Parsed | null {
  const tok = tokens[at];
  if (tok === undefined) return null;
  for (const [words, ch] of MULTIWORD_LETTERS) {
    if (matchWords(tokens, at, words)) {
      const slot: Slot = { ch, kind: 'letter', reliable: ch !== 'W', src: words.join(' ') };
      return {
        piece: { type: 'char', slots: [slot], weak: false, token: at },
        next: at + words.length,
      };
    }
  }
  const times = REPEATS[tok.low];
  if (times !== undefined) {
    const inner = parseElement(tokens, at + 1);
    if (inner === null) return null;
    const [first, ...rest] = inner.piece.slots;
    if (first === undefined) return null;
    const slots = [...Array.from({ length: times }, () => ({ ...first })), ...rest];
    return { piece: { type: 'char', slots, weak: false, token: at }, next: inner.next };
  }
  const num = numberWords(tokens, at);
  if (num !== null) return { piece: digitPiece(num.digits, tok.raw, at), next: num.next };
  const sense = WORD_SENSES.get(tok.low);
  if (sense !== undefined) {
    // A capital "A" or "O" in a transcript is the letter, not the article or the exclamation.
    const capital = tok.raw === 'A' || tok.raw === 'O';
    const slot: Slot = { ch: sense.ch, kind: sense.kind, reliable: sense.reliable, src: tok.raw };
    return {
      piece: { type: 'char', slots: [slot], weak: sense.weak && !capital, token: at },
      next: at + 1,
    };
  }
  if (/^[0-9]+$/.test(tok.raw)) return { piece: digitPiece(tok.raw, tok.raw, at), next: at + 1 };
  if (/^[0-9]+(st|nd|rd|th)$/i.test(tok.raw)) return null;
  const mixed = /[0-9]/.test(tok.raw) && /[A-Za-z]/.test(tok.raw);
  const single = /^[A-Za-z]$/.test(tok.raw);
  const upper = /^[A-Z]{2,8}$/.test(tok.raw) && !ACRONYMS.has(tok.raw);
  // No vowel and not a known word: letters written together ("hg", "jtmb").
  const vowelless =
    /^[a-z]{2,6}$/i.test(tok.raw) && !/[aeiouy]/i.test(tok.raw) && !COMMON_SHORT_WORDS.has(tok.low);
  if (mixed || single || upper || vowelless) {
    return {
      piece: { type: 'char', slots: slotsFromAlnum(tok.raw), weak: false, token: at },
      next: at + 1,
    };
  }
  return null;
}

const CLARIFIER_LINKS: readonly string[][] = [
  ['as', 'in', 'the', 'word'],
  ['as', 'in', 'like'],
  ['as', 'in'],
  ['like', 'in'],
  ['as'],
  ['like'],
  ['for'],
];

// The clarifying word must be a word, not another character ("oh for one" is 0 4 1).
function isClarifierWord(tok: Token | undefined): tok is Token {
  if (tok === undefined || !/^[a-z]{2,}$/.test(tok.low) || FILLERS.has(tok.low)) return false;
  const sense = WORD_SENSES.get(tok.low);
  if (sense !== undefined && !sense.reliable) return false;
  return !(tok.low in UNITS || tok.low in TEENS || tok.low in TENS || tok.low in REPEATS);
}

/** Resolves "X as in Y": the clarifying word is more robust over the phone than the letter name. */
function clarify(x: Slot, yWord: string, link: string): Slot | null {
  const yLetter = clarifiedLetter(yWord);
  if (yLetter === undefined) return null;
  const known = WORD_SENSES.get(yWord)?.reliable === true;
  if (link === 'for' || link === 'like') {
    // "B for boy" only when the word agrees; otherwise "for" is a digit and "like" a filler.
    if (yLetter !== x.ch) return null;
  }
  // Trust the word when it is a spelling-alphabet word or the letter name sounds like its initial.
  const ch = known || x.kind === 'digit' || areConfusable(x.ch, yLetter) ? yLetter : x.ch;
  return { ch, kind: 'letter', reliable: true, src: `${x.src} as in ${yWord}` };
}

/** Parses one element at `at` together with a clarifier after it ("B as in boy"). */
export function parseClarified(tokens: readonly Token[], at: number): Parsed | null {
  const base = parseElement(tokens, at);
  if (base === null) return null;
  // "double B as in boy" clarifies every copy.
  const only = base.piece.slots[0];
  if (only === undefined || base.piece.slots.some((s) => s.ch !== only.ch)) return base;
  for (const link of CLARIFIER_LINKS) {
    if (!matchWords(tokens, base.next, link)) continue;
    const yAt = base.next + link.length;
    // "X as in x-ray": the clarifier itself can be a two-word spelling word.
    const multi = MULTIWORD_LETTERS.find(([words]) => matchWords(tokens, yAt, words));
    const y = tokens[yAt];
    let slot: Slot | null = null;
    if (multi !== undefined) {
      const loose = link[0] === 'for' || link[0] === 'like';
      if (!loose || multi[1] === only.ch) {
        slot = {
          ch: multi[1],
          kind: 'letter',
          reliable: true,
          src: `${only.src} as in ${multi[0].join(' ')}`,
        };
      }
    } else if (isClarifierWord(y)) {
      slot = clarify(only, y.low, link.join(' '));
    }
    if (slot === null) continue;
    const slots = base.piece.slots.map(() => ({ ...slot }));
    return {
      piece: { type: 'char', slots, weak: false, token: at },
      next: yAt + (multi?.[0].length ?? 1),
    };
  }
  return base;
}
