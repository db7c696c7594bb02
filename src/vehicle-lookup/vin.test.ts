import { describe, expect, it } from 'vitest';
import { FACT_VINS } from '../../test/fixtures/fact-vins.js';
import {
  computeCheckDigit,
  formatVinGroups,
  hasValidCheckDigit,
  normalizeVin,
  transliterate,
  validateVin,
} from './vin.js';

// VIN_FACTS §1.5 (every row re-checked against the Table III/IV algorithm) and the CFR sample.
const VALID_VINS = [...FACT_VINS, '1G4AH59H45G118341'];

describe('computeCheckDigit', () => {
  it('reproduces the CFR sample: sum 411, remainder 4', () => {
    const vin = '1G4AH59H45G118341';
    const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    const sum = [...vin].reduce(
      (acc, ch, i) => acc + (transliterate(ch) ?? 0) * (weights[i] ?? 0),
      0,
    );
    expect(sum).toBe(411);
    expect(computeCheckDigit(vin)).toBe('4');
  });

  it('uses X for remainder 10 (Wikipedia example)', () => {
    expect(computeCheckDigit('1M8GDM9AXKP042788')).toBe('X');
  });

  it('ignores whatever is in position 9', () => {
    expect(computeCheckDigit('1G4AH59H_5G118341'.replace('_', '0'))).toBe('4');
  });

  it('gives straight ones a valid check digit', () => {
    expect(computeCheckDigit('11111111111111111')).toBe('1');
  });

  it.each(VALID_VINS)('accepts %s', (vin) => {
    expect(hasValidCheckDigit(vin)).toBe(true);
  });

  it.each([
    ['5FNYF5H50HB011946', '9'],
    ['3FAHP0JA8AR281181', '0'],
    ['4T1BE46K29U856421', '1'],
    ['JM3KE4BY1G0636881', '6'],
    ['1XPTD40X0JD456115', '6'],
    ['5YJ3E1EA5KF000316', '0'],
  ])('rejects the negative control %s (expects %s)', (vin, expected) => {
    expect(hasValidCheckDigit(vin)).toBe(false);
    expect(computeCheckDigit(vin)).toBe(expected);
  });

  it('returns null for wrong length or illegal characters', () => {
    expect(computeCheckDigit('1HGCM82633A00435')).toBeNull();
    expect(computeCheckDigit('1HGCM82633A0O4352')).toBeNull();
  });

  it('values letters per Table III (P=7, R=9, S=2)', () => {
    expect([
      transliterate('P'),
      transliterate('R'),
      transliterate('S'),
      transliterate('Z'),
    ]).toEqual([7, 9, 2, 9]);
    expect(transliterate('I')).toBeUndefined();
  });
});

describe('normalizeVin', () => {
  it('trims, upper-cases and strips spaces and dashes', () => {
    expect(normalizeVin('  1hg cm8-2633 a00–4352 ')).toBe('1HGCM82633A004352');
  });
});

describe('validateVin', () => {
  it('accepts a clean VIN with no issues', () => {
    expect(validateVin('1HGCM82633A004352')).toEqual({
      vin: '1HGCM82633A004352',
      ok: true,
      errors: [],
      warnings: [],
    });
  });

  it('reports a short VIN as incomplete (code 6) with a readable message', () => {
    const v = validateVin('1HGCM82633A0043');
    expect(v.ok).toBe(false);
    expect(v.errors).toEqual([
      { code: 6, key: 'incomplete', message: 'VIN must be 17 characters; got 15' },
    ]);
  });

  it('reports an over-long VIN as too_long', () => {
    const v = validateVin('1HGCM82633A0043521');
    expect(v.errors.map((e) => e.key)).toEqual(['too_long']);
    expect(v.errors[0]?.message).toBe('VIN must be 17 characters; got 18');
  });

  it('reports I, O and Q as invalid characters (code 400) with positions', () => {
    const v = validateVin('1HGCM82633AOO4352');
    expect(v.ok).toBe(false);
    const issue = v.errors.find((e) => e.key === 'invalid_characters');
    expect(issue?.code).toBe(400);
    expect(issue?.position).toBe(12);
    expect(issue?.message).toContain("'O' at position 12, 'O' at position 13");
    expect(issue?.message).toContain('I, O and Q');
  });

  it('treats a wrong check digit as a warning, not a refusal', () => {
    const v = validateVin('5FNYF5H50HB011946');
    expect(v.ok).toBe(true);
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([
      {
        code: 1,
        key: 'check_digit',
        message: "Check digit (position 9) does not calculate: expected '9', found '0'",
        position: 9,
      },
    ]);
  });

  it('accepts the Genesis check-digit exception with warnings, noting the letter in position 9', () => {
    const v = validateVin('KMTGA4SCDRU227656');
    expect(v.ok).toBe(true);
    expect(v.errors).toEqual([]);
    expect(v.warnings.map((w) => [w.key, w.code])).toEqual([
      ['bad_position_9', 1],
      ['check_digit', 1],
    ]);
    expect(v.warnings[0]?.message).toContain("got 'D'");
  });

  it('accepts a European VIN without a North-American check digit (warning only)', () => {
    const v = validateVin('WVWZZZ3CZEE140287');
    expect(v.ok).toBe(true);
    expect(v.warnings.map((w) => w.key)).toContain('bad_position_9');
  });

  it.each(['U', 'Z', '0'])('rejects %s as a model-year code (code 11)', (code) => {
    const vin = `1HGCM8263${code}A004352`;
    const v = validateVin(vin);
    expect(v.ok).toBe(false);
    expect(v.errors.find((e) => e.key === 'bad_year_code')?.code).toBe(11);
  });

  it('requires numeric positions 13-17 for cars', () => {
    const v = validateVin('1HGCM82633A00A352');
    expect(v.ok).toBe(false);
    const issue = v.errors.find((e) => e.key === 'bad_serial');
    expect(issue?.position).toBe(14);
    expect(issue?.message).toContain('Positions 13-17');
  });

  it('requires only positions 14-17 for heavy trucks and 15-17 for low-volume makers', () => {
    // Position 13 is a letter: fine for Freightliner (heavy truck), not for a Honda car.
    expect(validateVin('1FV3GFBC0YHAA4039').errors.map((e) => e.key)).not.toContain('bad_serial');
    expect(validateVin('1HGCM82633A0A4352').errors.map((e) => e.key)).toContain('bad_serial');
    // Koenigsegg: positions 12-14 belong to the maker identifier.
    expect(validateVin('YT9NN1U14KAAAA175').errors.map((e) => e.key)).not.toContain('bad_serial');
    expect(validateVin('YT9NN1U14KA0071A5').errors.map((e) => e.key)).toContain('bad_serial');
  });

  it.each(VALID_VINS)('accepts %s without issues', (vin) => {
    const v = validateVin(vin);
    expect([v.ok, v.errors, v.warnings]).toEqual([true, [], []]);
  });
});

describe('formatVinGroups', () => {
  it('groups by three', () => {
    expect(formatVinGroups('1HGCM82633A004352')).toBe('1HG CM8 263 3A0 043 52');
    expect(formatVinGroups('1HGCM82633A004352', '-')).toBe('1HG-CM8-263-3A0-043-52');
  });
});
