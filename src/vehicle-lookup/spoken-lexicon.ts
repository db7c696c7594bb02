/**
 * Word lists for reading VINs out of phone transcripts (VIN_FACTS §5.1-5.2): letter names and
 * their homophones, spelling alphabets, digit words, fillers and correction markers.
 *
 * "Weak" words are ordinary English words that are also a VIN character ("for", "to", "see", "a",
 * "I", "oh"); they count only inside a spelled run, never on their own.
 */

/** How a word maps to a VIN character. */
export interface WordSense {
  ch: string;
  /** An ordinary word as well as a character: needs spelled neighbours to count. */
  weak: boolean;
  /** Spelling-alphabet word or clarified letter: not a plausible mishearing site. */
  reliable: boolean;
  /** 'letter' and 'digit' select the acoustic confusion table used for repairs. */
  kind: 'letter' | 'digit';
}

/** English cardinal number words, indexed by value (zero to nineteen). */
export const CARDINAL_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;

/** English ordinal words for the 17 VIN positions: `ORDINAL_WORDS[0]` is "first". */
export const ORDINAL_WORDS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
] as const;

/** `{ word: value }` for words listed by value, the first one being worth `first`. */
export function valuesOf(words: readonly string[], first = 0): Record<string, number> {
  return Object.fromEntries(words.map((word, i) => [word, first + i]));
}

function senses(
  entries: Record<string, string>,
  props: Omit<WordSense, 'ch'>,
): [string, WordSense][] {
  return Object.entries(entries).map(([word, ch]) => [word, { ch, ...props }]);
}

// Letters I, O and Q never occur in a VIN; callers who say them mean 1, 0 and 0 (VIN_FACTS §5.2).
const LETTER_NAMES: Record<string, string> = {
  bee: 'B',
  cee: 'C',
  dee: 'D',
  ee: 'E',
  ef: 'F',
  eff: 'F',
  gee: 'G',
  aitch: 'H',
  haitch: 'H',
  jay: 'J',
  kay: 'K',
  el: 'L',
  ell: 'L',
  elle: 'L',
  em: 'M',
  en: 'N',
  pee: 'P',
  pea: 'P',
  ar: 'R',
  arr: 'R',
  es: 'S',
  ess: 'S',
  tee: 'T',
  tea: 'T',
  ewe: 'U',
  yew: 'U',
  vee: 'V',
  ex: 'X',
  wye: 'Y',
  zee: 'Z',
  zed: 'Z',
};

const WEAK_LETTERS: Record<string, string> = {
  a: 'A',
  ay: 'A',
  eh: 'A',
  hey: 'A',
  be: 'B',
  see: 'C',
  sea: 'C',
  are: 'R',
  our: 'R',
  you: 'U',
  why: 'Y',
  i: '1',
  eye: '1',
  cue: '0',
  queue: '0',
  an: 'N',
};

// "Oh" is how many callers say zero; the letter O never occurs in a VIN.
const WEAK_ZERO: Record<string, string> = { o: '0', oh: '0', owe: '0' };

const DIGIT_WORDS: Record<string, string> = Object.fromEntries(
  CARDINAL_WORDS.slice(0, 10).map((word, digit) => [word, String(digit)]),
);

const WEAK_DIGITS: Record<string, string> = {
  to: '2',
  too: '2',
  for: '4',
  fore: '4',
  ate: '8',
  won: '1',
  free: '3',
  nein: '9',
};

// ICAO/aviation digit forms exist to be unambiguous on a radio link.
const AVIATION_DIGITS: Record<string, string> = {
  wun: '1',
  tree: '3',
  fower: '4',
  fife: '5',
  ait: '8',
  niner: '9',
};

const NATO: Record<string, string> = {
  alpha: 'A',
  alfa: 'A',
  bravo: 'B',
  charlie: 'C',
  delta: 'D',
  echo: 'E',
  foxtrot: 'F',
  golf: 'G',
  hotel: 'H',
  india: '1',
  juliet: 'J',
  juliett: 'J',
  kilo: 'K',
  lima: 'L',
  mike: 'M',
  november: 'N',
  oscar: '0',
  papa: 'P',
  quebec: '0',
  romeo: 'R',
  sierra: 'S',
  tango: 'T',
  uniform: 'U',
  victor: 'V',
  whiskey: 'W',
  whisky: 'W',
  xray: 'X',
  yankee: 'Y',
  zulu: 'Z',
};

// APCO (US police) plus common ad-hoc spelling words. Names are weak: "this is David" is chatter.
const APCO: Record<string, string> = {
  adam: 'A',
  boy: 'B',
  baker: 'B',
  charles: 'C',
  david: 'D',
  edward: 'E',
  frank: 'F',
  george: 'G',
  henry: 'H',
  ida: '1',
  john: 'J',
  king: 'K',
  lincoln: 'L',
  mary: 'M',
  nora: 'N',
  ocean: '0',
  paul: 'P',
  peter: 'P',
  queen: '0',
  robert: 'R',
  sam: 'S',
  tom: 'T',
  union: 'U',
  william: 'W',
  young: 'Y',
  zebra: 'Z',
  michael: 'M',
  nancy: 'N',
  sugar: 'S',
};

/** Single words that stand for one VIN character. */
export const WORD_SENSES: ReadonlyMap<string, WordSense> = new Map<string, WordSense>([
  ...senses(LETTER_NAMES, { weak: false, reliable: false, kind: 'letter' }),
  ...senses(WEAK_LETTERS, { weak: true, reliable: false, kind: 'letter' }),
  ...senses(WEAK_ZERO, { weak: true, reliable: false, kind: 'digit' }),
  ...senses(DIGIT_WORDS, { weak: false, reliable: false, kind: 'digit' }),
  ...senses(WEAK_DIGITS, { weak: true, reliable: false, kind: 'digit' }),
  ...senses(AVIATION_DIGITS, { weak: false, reliable: true, kind: 'digit' }),
  ...senses(NATO, { weak: false, reliable: true, kind: 'letter' }),
  ...senses(APCO, { weak: true, reliable: true, kind: 'letter' }),
]);

/** Letters a clarifier word can stand for ("B as in boy"): spelling-alphabet words, else the initial. */
export function clarifiedLetter(word: string): string | undefined {
  const sense = WORD_SENSES.get(word);
  if (sense?.reliable === true && sense.kind === 'letter') return sense.ch;
  const first = word.charAt(0).toUpperCase();
  if (!/^[A-Z]$/.test(first) || word.length < 2) return undefined;
  if (first === 'I') return '1';
  if (first === 'O' || first === 'Q') return '0';
  return first;
}

/** Number words with their value, for "forty-eight" and "two thousand". */
export const UNITS: Readonly<Record<string, number>> = {
  ...valuesOf(CARDINAL_WORDS.slice(0, 10)),
  oh: 0,
};

/** Teen number words ("eleven" is 11). */
export const TEENS: Readonly<Record<string, number>> = valuesOf(CARDINAL_WORDS.slice(10), 10);

/** Tens words with their first digit ("forty" is 4, "forty eight" 48). */
export const TENS: Readonly<Record<string, number>> = {
  twenty: 2,
  thirty: 3,
  forty: 4,
  fourty: 4,
  fifty: 5,
  sixty: 6,
  seventy: 7,
  eighty: 8,
  ninety: 9,
};

/** Repeat words: "double seven" is 77, "triple four" 444. */
export const REPEATS: Readonly<Record<string, number>> = {
  double: 2,
  triple: 3,
  treble: 3,
  quadruple: 4,
};

/** Words that carry no content and may sit inside a spelled run without breaking it. */
export const FILLERS: ReadonlySet<string> = new Set(
  // Hesitations, connectives, spoken punctuation, and "letter"/"number" announcing a character.
  (
    'um umm uh uhh uhm er erm ah ahh hmm hm mm mhm like so okay ok alright and then comma ' +
    'dash hyphen space period dot letter capital cap number numeral digit'
  ).split(' '),
);

/** Phrases removed before mapping, longest first, so their words ("see", "one", "I") are not read as characters. */
export const FILLER_PHRASES: readonly string[][] = [
  "let me see|lemme see|let us see|let's see|let me check|let me look|let me read it|let me get it",
  'hold on|hang on|one second|one sec|one moment|just a second|just a sec|just a moment',
  'give me a second|give me a sec|wait a second|wait a minute|bear with me|i think|i believe',
  'i guess|you know|did you get that|did you get all that|you got that|got that|are you there',
  'still there|are you still there|can you hear me|where was i|where were we|how about',
  'one more time|is that right|is that correct|to be sure|as well|i have it|i got it|see if',
  'you ready|are you ready|ready|for me|for the|to read|a bit|a little|a second|a sec|a moment',
  'a minute|for my|for your|for that|for this|for it|to the|to my|to do|to get|to have|to look',
  'to find|the letter|the number|the digit|capital letter|the capital|to be exact|to be honest',
]
  .join('|')
  .split('|')
  .map((p) => p.split(' '));

// Short everyday words: a lower-case token between spelled characters that is not one of these is
// taken as letters the recogniser glued together ("jtmb", "vf").
export const COMMON_SHORT_WORDS: ReadonlySet<string> = new Set(
  (
    'ab ad ah am an as at aw ay be by do eh go ha he hi ho if in is it me mm my no of oh ok on or ' +
    'ow so to uh um up us we ya ye yo act add age ago aid aim air all and any ape apt arc are arm ' +
    'art ask ate bad bag ban bar bat bay bed bee bet bid big bin bit bob bow box boy bug bum bun ' +
    'bus but buy bye cab can cap car cat cow cry cup cut dad day den did die dig dim dip dog dot ' +
    'dry due dug ear eat egg ego end era eve eye fan far fat fax fed fee few fig fin fit fix fly ' +
    'fog for fox fry fun fur gap gas gel get god got gum gun gut guy gym had ham has hat hay hen ' +
    'her hey hid him hip his hit hog hop hot how hub hug huh hum hut ice icy ill ink inn its jam ' +
    'jar jaw jet job jog joy jug key kid kit lab lad lap law lay led leg let lid lie lip lit log ' +
    'lot low mad man map mat may men met mid mix mob mom mop mud mug nap net new nil nod nor not ' +
    'now nut oak odd off oil old one our out owe own pad pal pan pat paw pay pea pen pet pie pig ' +
    'pin pit pop pot pro pub put rag ram ran rap rat raw ray red rib rid rim rip rob rod rot row ' +
    'rub rug run sad sat saw say sea see set sew she shy sin sip sir sit six ski sky sly sob son ' +
    'soy spa spy sue sum sun tab tag tan tap tar tax tea ten the tie tin tip toe ton too top toy ' +
    'try tub two use van vet via war was wax way web wed wet who why wig win wit won wow yes yet ' +
    'you zip zoo also area away back been best both busy call came cars case cost dash does done ' +
    'door down each else even ever fine five four from gave give gone good gray have here hold ' +
    'home hope into just keep kind know last left like line look lost made make many mine more ' +
    'most much must name near need next nice none okay once only open over part plan read real ' +
    'rest ride road said same seat side sign some soon sure take talk tell than that them then ' +
    'they this time told too true turn unit very wait want well went were what when will wish ' +
    'with word work yeah year your mean able mr mrs ms dr jr sr st vs nth shh psst tsk brr pfft grr hmm'
  ).split(' '),
);

/** Words after which "one" is a pronoun ("the gray one", "this one"), not the digit. */
export const ONE_PRONOUN_AFTER: ReadonlySet<string> = new Set(
  (
    'the this that which other each every any no same last first next right wrong new old ' +
    'little big gray grey red blue black white silver green another only good older newer ' +
    'second'
  ).split(' '),
);

/** Words after which the caller restates what came just before ("2 6, sorry, 2 5"). */
export const CORRECTION_MARKERS: ReadonlySet<string> = new Set(
  'no nope sorry wait actually oops correction mean scratch not rather repeat again'.split(' '),
);
