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
  WORD_SENSES,
} from './spoken-lexicon.js';
import { matchWords, parseClarified, parseElement, slotsFromAlnum } from './spoken-elements.js';

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
