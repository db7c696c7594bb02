import { describe, expect, it } from 'vitest';
import { extractVin } from './spoken-vin.js';
import { lexTranscript } from './spoken-tokens.js';

const NOW = { currentYear: 2026 };
const HONDA = '1HGCM82633A004352';
const read = (utterance: string) => extractVin(utterance, NOW);
const chars = (utterance: string): string =>
  lexTranscript(utterance)
    .map((p) => (p.type === 'char' ? p.slots.map((s) => s.ch).join('') : '|'))
    .join('');

describe('lexing spoken characters', () => {
  it.each([
    ['one two three four five six seven eight nine zero', '1234567890'],
    ['won to too for ate oh', '122480'],
    ['niner fife tree fower wun ait', '953418'],
    ['double seven triple four', '77444'],
    ['double you', 'W'],
    ['double-u X-ray', 'WX'],
    ['forty-eight seventy four eleven', '487411'],
    ['twenty oh three', '2003'],
    ['74 334834', '74334834'],
    [
      'bee see dee gee aitch jay kay el em en pee are ess tee you vee ex why zee',
      'BCDGHJKLMNPRSTUVXYZ',
    ],
    ['alpha bravo charlie delta echo foxtrot golf hotel juliett kilo lima mike', 'ABCDEFGHJKLM'],
    ['november papa romeo sierra tango uniform victor whiskey xray yankee zulu', 'NPRSTUVWXYZ'],
    ['Adam Boy Charles David Edward Frank George Henry John King Lincoln Mary', 'ABCDEFGHJKLM'],
    ['I O Q india oscar quebec Ida Ocean Queen', '100100100'],
    ['the letter H number five capital G', 'H5G'],
  ])('%s -> %s', (utterance, expected) => {
    expect(chars(utterance).replace(/\|/g, '')).toBe(expected);
  });

  it('reads "X as in Y" as one character, trusting the word over a misheard letter', () => {
    expect(chars('B as in boy')).toBe('B');
    expect(chars('B for boy, C like Charlie')).toBe('BC');
    expect(chars('D as in boy')).toBe('B');
    expect(chars('T as in dog')).toBe('D');
    expect(chars('double B as in boy')).toBe('BB');
    expect(chars('X as in x-ray')).toBe('X');
  });

  it('does not take a digit after "for" as a clarifier ("oh for one" is 0 4 1)', () => {
    expect(chars('oh for one')).toBe('041');
  });

  it('drops filler phrases whose words are also characters', () => {
    expect(chars('one H G let me see C M eight did you get that')).toBe('1HGCM8');
    expect(chars('one second')).toBe('');
  });
});

describe('extractVin', () => {
  it.each([
    ['digit words', 'one H G C M eight two six three three A zero zero four three five two'],
    ['homophones', 'won aitch gee see em ate to six three three a oh oh for three five to'],
    [
      'NATO',
      'one hotel golf charlie mike eight two six three three alpha zero zero four three five two',
    ],
    ['glued numerals', 'one H G C M 82633 A double oh 43 52'],
    ['a typed VIN', 'my VIN is 1HGCM82633A004352'],
    ['dashes', '1-H-G-C-M-8-2-6-3-3-A-0-0-4-3-5-2'],
    ['I and O for 1 and 0', 'I H G C M 8 2 6 3 3 A O O 4 3 5 2'],
    [
      'fillers and chatter',
      'um okay so my VIN is, uh, one H G, let me see, C M eight, two six three, three A zero, zero four three, five two, did you get that?',
    ],
    [
      'chatter inside',
      'one H G C M eight, hold on the light is bad out here, two six three three A zero zero four three five two',
    ],
    [
      'a restatement',
      'one H G C M eight two six, sorry, two six three three A zero zero four three five two',
    ],
    ['the VIN twice', `${HONDA}, that's ${HONDA}`],
  ])('reads %s', (_label, utterance) => {
    expect(read(utterance)).toMatchObject({ vin: HONDA, status: 'valid' });
  });

  it('returns exactly vin, status, candidates and question', () => {
    const r = read('one H G C M eight two six three three A zero zero four three five two');
    expect(Object.keys(r)).toEqual(['vin', 'status', 'candidates', 'question']);
    expect(r.question).toContain('one H G, C M eight');
  });

  it('asks a targeted question for a single mishearing it cannot settle', () => {
    const r = read('one H G C N eight two six three three A zero zero four three five two');
    expect(r.vin).toBeNull();
    expect(r.status).toBe('ambiguous');
    expect(r.candidates[0]).toBe(HONDA);
    expect(r.question).toBe('Was the 5th character M as in mike or N as in november?');
  });

  it('corrects a mishearing only when a structural rule pins it and nothing else explains it', () => {
    // "A" in the numeric serial (position 17) can only be the digit 8.
    const r = read('W B S P M nine C five two B E two zero nine nine seven A');
    expect(r).toMatchObject({ vin: 'WBSPM9C52BE209978', status: 'corrected' });
  });

  it('never turns two mishearings into a VIN', () => {
    expect(
      read('one H G C N eight two six three three A zero zero four three nine two').vin,
    ).toBeNull();
    expect(read('W B S P N nine C five two P E two zero nine nine seven eight').vin).toBeNull();
  });

  it('accepts a transcript that checks out, even though a same-value swap may hide in it', () => {
    // 3 and T share the value 3, so "T" for the tenth character passes the check digit: a known
    // blind spot (VIN_FACTS §1.4) that the agent covers by reading back make, model and year.
    expect(read('1 H G C M 8 2 6 3 T A 0 0 4 3 5 2')).toMatchObject({
      vin: '1HGCM8263TA004352',
      status: 'valid',
    });
  });

  it('drops a filler written as "a" only when no other deletion would validate', () => {
    const r = read(
      'kilo november alpha echo five five a lima charlie seven juliet six zero one eight eight one one',
    );
    expect(r.vin === null || r.vin === 'KNAE55LC7J6018811').toBe(true);
    expect(
      read('J M three K E four B Y six G zero six three six eight eight one one').vin,
    ).toBeNull();
  });

  it('reports incomplete, invalid and none', () => {
    expect(read('it starts with one H G').status).toBe('incomplete');
    expect(read('J M three K E four B Y six').status).toBe('incomplete');
    expect(read('1 H G C M 8 2 6 3 3 A 0 0 4 3 5 9 9 9').vin).toBeNull();
    expect(read('').status).toBe('none');
    expect(
      read('I want to see if you are open, oh, and why is it eight dollars for a wash?').status,
    ).toBe('none');
    expect(read("It's a 2018 Honda Pilot, the gray one, about 60,000 miles.").status).toBe('none');
  });

  it('does not glue chatter words onto a short VIN', () => {
    // Sixteen characters and "I" from "I hope": not a VIN, whatever the check digit says.
    expect(
      read('J M one B N one U seven zero H one one zero zero nine two, I hope that helps').vin,
    ).toBeNull();
    expect(
      read(
        'one H G C M eight two six three three A zero zero four three five, oh and it is the gray one',
      ).vin,
    ).toBeNull();
  });

  it('applies a correction said after the VIN in the same breath', () => {
    expect(read('one H G C M 8 2 6 3 3 A 0 0 4 3 5 9, no, the last one is a two')).toMatchObject({
      vin: HONDA,
      status: 'valid',
    });
    expect(
      read('one H G C N 8 2 6 3 3 A 0 0 4 3 5 2, sorry, the fifth one is M as in Mike').vin,
    ).toBe(HONDA);
    // The caller says the last digit is 3: the VIN as read is not what they meant.
    expect(read(`${HONDA}, wait no, the last digit is a 3`).vin).toBeNull();
  });

  it('treats counts and model years in chatter as words', () => {
    expect(
      read(
        'First three are five X Y. Then K T C A six two D G. Last part three four six one nine seven.',
      ).vin,
    ).toBe('5XYKTCA62DG346197');
    expect(read("It's 2HGFE2F53PH521585, a 2023 Civic").vin).toBe('2HGFE2F53PH521585');
  });

  it('rejects a model year in the future for a light vehicle', () => {
    // Position 7 alphabetic and position 10 "Y" would be model year 2030.
    const futureVin = '1HGCM8B6XYA004352';
    expect(read(futureVin).vin).toBeNull();
  });
});
