/**
 * Read-back helpers: how the agent says a VIN or one character so a caller on an 8 kHz line can
 * check it. Groups of three follow production practice (Rime `spell()`, LiveKit read-back).
 */
import { CARDINAL_WORDS } from './spoken-lexicon.js';

const DIGIT_WORDS = CARDINAL_WORDS.slice(0, 10);

// "Alpha" and "Juliet" rather than ICAO's "Alfa"/"Juliett": TTS engines mispronounce the latter.
const NATO: Readonly<Record<string, string>> = {
  A: 'alpha',
  B: 'bravo',
  C: 'charlie',
  D: 'delta',
  E: 'echo',
  F: 'foxtrot',
  G: 'golf',
  H: 'hotel',
  I: 'india',
  J: 'juliet',
  K: 'kilo',
  L: 'lima',
  M: 'mike',
  N: 'november',
  O: 'oscar',
  P: 'papa',
  Q: 'quebec',
  R: 'romeo',
  S: 'sierra',
  T: 'tango',
  U: 'uniform',
  V: 'victor',
  W: 'whiskey',
  X: 'x-ray',
  Y: 'yankee',
  Z: 'zulu',
};

/** How {@link spellVinForSpeech} renders characters. */
export type SpeechStyle = 'characters' | 'words' | 'phonetic';

/** NATO word for a letter ("bravo"), or undefined for digits and other characters. */
export function natoWord(letter: string): string | undefined {
  return NATO[letter.toUpperCase()];
}

/** One character as the agent should say it: "zero", "B as in bravo". */
export function spellCharacter(ch: string): string {
  const c = ch.toUpperCase();
  if (/^[0-9]$/.test(c)) return DIGIT_WORDS[Number(c)] ?? c;
  const word = NATO[c];
  return word === undefined ? c : `${c} as in ${word}`;
}

function render(ch: string, style: SpeechStyle): string {
  if (style === 'characters') return ch;
  if (style === 'phonetic') return spellCharacter(ch);
  return /^[0-9]$/.test(ch) ? (DIGIT_WORDS[Number(ch)] ?? ch) : ch;
}

/**
 * Spells a VIN in groups of three for TTS read-back. 'characters' gives "1 H G, C M 8, ...";
 * 'words' (default) says digits as words ("zero", never "oh", which callers hear as the letter O);
 * 'phonetic' adds "as in" words to every letter, for a second attempt after a mismatch.
 */
export function spellVinForSpeech(vin: string, options: { style?: SpeechStyle } = {}): string {
  const style = options.style ?? 'words';
  const chars = [...vin.toUpperCase().replace(/[\s-]+/g, '')];
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += 3) {
    groups.push(
      chars
        .slice(i, i + 3)
        .map((ch) => render(ch, style))
        .join(style === 'phonetic' ? ', ' : ' '),
    );
  }
  return groups.join(style === 'phonetic' ? '; ' : ', ');
}

/** English ordinal for a 1-based position ("1st", "2nd", "17th"). */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  const suffix = ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
