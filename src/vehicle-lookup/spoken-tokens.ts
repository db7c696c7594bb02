/**
 * Turns a speech-to-text transcript into pieces: runs of VIN characters (with where each came from)
 * separated by breaks (words that are not part of a spelled VIN).
 */
import {
  CARDINAL_WORDS,
  COMMON_SHORT_WORDS,
  CORRECTION_MARKERS,
  ONE_PRONOUN_AFTER,
  FILLERS,
  FILLER_PHRASES,
  REPEATS,
  TEENS,
  TENS,
  UNITS,
  WORD_SENSES,
  clarifiedLetter,
} from './spoken-lexicon.js';
import { areConfusable } from './vin-repair.js';

/** One VIN character and the evidence for it. */
export interface Slot {
  ch: string;
  kind: 'letter' | 'digit';
  /** Said with a spelling-alphabet word or clarified ("B as in boy"): not a repair site. */
  reliable: boolean;
  /** The transcript text it came from, for questions and debugging. */
  src: string;
}

/** Characters from one spoken element ("H", "hotel", "74", "double seven", "B as in boy"). */
export interface CharPiece {
  type: 'char';
  slots: Slot[];
  /** An everyday word that only counts inside a spelled run ("for", "a", "see"). */
  weak: boolean;
  /** Index of the first token, for ordering and correction handling. */
  token: number;
  /** The recogniser put punctuation (a pause) right before it. */
  pauseBefore?: boolean;
}

/** Words between spelled runs; `correction` when they signal a restatement ("no", "sorry"). */
export interface BreakPiece {
  type: 'break';
  words: string[];
  correction: boolean;
}

/** What a transcript lexes into. */
export type Piece = CharPiece | BreakPiece;

/** A lower-cased word with its original spelling (case matters for "A" versus "a"). */
export interface Token {
  raw: string;
  low: string;
  /** Punctuation (a pause in the recogniser's output) separates it from the previous token. */
  pauseBefore: boolean;
}

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

/** Splits a transcript into word tokens; punctuation only separates. */
export function tokenize(utterance: string): Token[] {
  const text = utterance.normalize('NFKC').replace(/[\u2018\u2019\u02bc]/g, "'");
  const out: Token[] = [];
  let end = 0;
  for (const m of text.matchAll(/[A-Za-z0-9]+(?:'[A-Za-z]+)?/g)) {
    const between = text.slice(end, m.index);
    out.push({
      raw: m[0],
      low: m[0].toLowerCase(),
      pauseBefore: out.length === 0 || /[,.;:!?]/.test(between),
    });
    end = m.index + m[0].length;
  }
  return out;
}

function mapVinChar(c: string): string {
  if (c === 'I') return '1';
  if (c === 'O' || c === 'Q') return '0';
  return c;
}

function slotsFromAlnum(raw: string): Slot[] {
  // "O" is zero with no alternatives; "I" and "Q" keep letter kind so Y and U stay repair options.
  return [...raw.toUpperCase()].map((c) => ({
    ch: mapVinChar(c),
    kind: /[0-9O]/.test(c) ? 'digit' : 'letter',
    reliable: false,
    src: raw,
  }));
}

interface Parsed {
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

function matchWords(tokens: readonly Token[], at: number, words: readonly string[]): boolean {
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
function parseElement(tokens: readonly Token[], at: number): Parsed | null {
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

function parseClarified(tokens: readonly Token[], at: number): Parsed | null {
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

const COUNT_LEAD = new Set(['first', 'last', 'next', 'final', 'other']);
const COUNT_TAIL = new Set([
  'are',
  'is',
  'were',
  'characters',
  'digits',
  'letters',
  'numbers',
  'ones',
  'of',
]);
const COUNT_WORDS = new Set<string>([...CARDINAL_WORDS.slice(2, 11), 'few', 'couple']);
const DETERMINERS = new Set([
  'a',
  'an',
  'the',
  'my',
  'our',
  'his',
  'her',
  'their',
  'your',
  'this',
  'that',
]);

/** "first three are", "the last four digits": a count of characters, not a character. */
function countPhraseLength(tokens: readonly Token[], at: number): number {
  const [lead, count, tail] = [tokens[at]?.low, tokens[at + 1]?.low, tokens[at + 2]?.low];
  if (lead === undefined || !COUNT_LEAD.has(lead)) return 0;
  if (count === undefined || !(COUNT_WORDS.has(count) || /^[2-9]$/.test(count))) return 0;
  return tail !== undefined && COUNT_TAIL.has(tail) ? 3 : 0;
}

/** "a 2023 Civic", "my 2019": a model year in chatter, even right after the VIN. */
function yearChatterLength(tokens: readonly Token[], at: number): number {
  const [det, year] = [tokens[at]?.low, tokens[at + 1]?.raw];
  if (det === undefined || !DETERMINERS.has(det) || year === undefined) return 0;
  return /^(19[89]\d|20[0-3]\d)$/.test(year) ? 2 : 0;
}

/**
 * "Oh" after a pause and before chatter ("..., oh and it's the gray one", "Oh, okay") is an
 * exclamation, not zero.
 */
function isInterjection(tokens: readonly Token[], at: number): boolean {
  const tok = tokens[at];
  if (tok === undefined || (tok.low !== 'oh' && tok.low !== 'o') || !tok.pauseBefore) return false;
  let k = at + 1;
  while (tokens[k] !== undefined && FILLERS.has(tokens[k]?.low ?? '')) k++;
  const next = tokens[k];
  if (next === undefined) return false;
  if (next.pauseBefore && k === at + 1) return tok.raw === 'Oh' || at === 0;
  return parseElement(tokens, k) === null;
}

/** Lexes a transcript into character pieces and breaks. Fillers vanish; breaks merge. */
export function lexPieces(tokens: readonly Token[]): Piece[] {
  const out: Piece[] = [];
  const pushBreak = (word: string): void => {
    const last = out[out.length - 1];
    const correction = CORRECTION_MARKERS.has(word);
    if (last?.type === 'break') {
      last.words.push(word);
      last.correction ||= correction;
    } else {
      out.push({ type: 'break', words: [word], correction });
    }
  };
  let i = 0;
  outer: while (i < tokens.length) {
    for (const phrase of FILLER_PHRASES) {
      if (matchWords(tokens, i, phrase)) {
        i += phrase.length;
        continue outer;
      }
    }
    // A lone "as in Y" (letter lost by the recogniser) still names a letter if Y is a spelling word.
    if (matchWords(tokens, i, ['as', 'in'])) {
      const y = tokens[i + 2];
      const sense = y === undefined ? undefined : WORD_SENSES.get(y.low);
      if (y !== undefined && sense?.reliable === true && sense.kind === 'letter') {
        const slot: Slot = { ch: sense.ch, kind: 'letter', reliable: true, src: `as in ${y.low}` };
        out.push({ type: 'char', slots: [slot], weak: false, token: i });
        i += 3;
        continue;
      }
    }
    const tok0 = tokens[i];
    const skip = countPhraseLength(tokens, i) || yearChatterLength(tokens, i);
    if (skip > 0) {
      for (let k = 0; k < skip; k++) pushBreak(tokens[i + k]?.low ?? '');
      i += skip;
      continue;
    }
    if (tok0?.low === 'one' && ONE_PRONOUN_AFTER.has(tokens[i - 1]?.low ?? '')) {
      pushBreak('one');
      i++;
      continue;
    }
    if (tok0 !== undefined && isInterjection(tokens, i)) {
      pushBreak(tok0.low);
      i++;
      continue;
    }
    const parsed = parseClarified(tokens, i);
    if (parsed !== null) {
      out.push(parsed.piece);
      i = parsed.next;
      continue;
    }
    const tok = tokens[i];
    if (tok !== undefined && !FILLERS.has(tok.low)) pushBreak(tok.low);
    i++;
  }
  for (const p of out) if (p.type === 'char') p.pauseBefore = tokens[p.token]?.pauseBefore === true;
  return out;
}

/**
 * A lone unknown two- or three-letter word between spelled characters is letters run together ("M et five" is
 * M E T 5): the recogniser does that with letter names, and no English word fits there.
 */
function absorbGluedLetters(pieces: Piece[]): Piece[] {
  return pieces.map((p, k) => {
    const prev = pieces[k - 1];
    const next = pieces[k + 1];
    const word = p.type === 'break' && p.words.length === 1 ? p.words[0] : undefined;
    if (word === undefined || prev?.type !== 'char' || next?.type !== 'char') return p;
    if (prev.weak || next.weak || !/^[a-z]{2,3}$/.test(word)) return p;
    if (COMMON_SHORT_WORDS.has(word) || FILLERS.has(word) || CORRECTION_MARKERS.has(word)) return p;
    const piece: CharPiece = {
      type: 'char',
      slots: slotsFromAlnum(word),
      weak: false,
      token: prev.token + 1,
    };
    return piece;
  });
}

/** Convenience: tokenise and lex in one step. */
export function lexTranscript(utterance: string): Piece[] {
  return absorbGluedLetters(lexPieces(tokenize(utterance)));
}
