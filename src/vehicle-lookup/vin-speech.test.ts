import { describe, expect, it } from 'vitest';
import { ordinal, spellCharacter, spellVinForSpeech } from './vin-speech.js';

describe('spellVinForSpeech', () => {
  it('groups characters by three', () => {
    expect(spellVinForSpeech('1HGCM82633A004352', { style: 'characters' })).toBe(
      '1 H G, C M 8, 2 6 3, 3 A 0, 0 4 3, 5 2',
    );
  });

  it('says digits as words, zero never oh, by default', () => {
    expect(spellVinForSpeech('1hgcm82633a004352')).toBe(
      'one H G, C M eight, two six three, three A zero, zero four three, five two',
    );
  });

  it('adds phonetic words to letters in the phonetic style', () => {
    expect(spellVinForSpeech('1HGCM8', { style: 'phonetic' })).toBe(
      'one, H as in hotel, G as in golf; C as in charlie, M as in mike, eight',
    );
  });
});

describe('spellCharacter and ordinal', () => {
  it('spells single characters', () => {
    expect([spellCharacter('b'), spellCharacter('0'), spellCharacter('X')]).toEqual([
      'B as in bravo',
      'zero',
      'X as in x-ray',
    ]);
  });

  it('builds ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 17, 21].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '17th',
      '21st',
    ]);
  });
});
