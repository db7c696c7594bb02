import { describe, expect, it } from 'vitest';
import type { Slot } from './spoken-tokens.js';
import {
  assessReading,
  hasTwoEditRival,
  isPlausibleVin,
  singleEditRepairs,
  slotAlternatives,
  structuralFaults,
} from './vin-repair.js';

const YEAR = 2026;
const slotsOf = (vin: string, reliable = false): Slot[] =>
  [...vin].map((ch) => ({ ch, kind: /[0-9]/.test(ch) ? 'digit' : 'letter', reliable, src: ch }));

describe('plausibility', () => {
  it('needs the check digit, the structure and a believable model year', () => {
    expect(isPlausibleVin('1HGCM82633A004352', YEAR)).toBe(true);
    expect(isPlausibleVin('1HGCM82643A004352', YEAR)).toBe(false);
    expect(isPlausibleVin('KMTGA4SCDRU227656', YEAR)).toBe(false);
    expect(isPlausibleVin('1FV3GFBC0YHA74039', YEAR)).toBe(true);
  });

  it('pins structural faults to positions', () => {
    expect(structuralFaults('1HGCM82633A00435A', YEAR)).toEqual([16]);
    expect(structuralFaults('1HGCM826E3A004352', YEAR)).toEqual([8]);
    expect(structuralFaults('1HGCM8263UA004352', YEAR)).toEqual([9]);
    // A car with an alphabetic position 7 and year code Y would be a 2030 model.
    expect(structuralFaults('1HGCM8B6XYA004352', YEAR)).toEqual([6, 9]);
    expect(structuralFaults('1HGCM82633A004352', YEAR)).toEqual([]);
  });
});

describe('repair policy', () => {
  it('offers acoustic alternatives only for slots that could be misheard', () => {
    expect(slotAlternatives({ ch: 'B', kind: 'letter', reliable: false, src: 'B' })).toContain('D');
    expect(slotAlternatives({ ch: 'B', kind: 'letter', reliable: true, src: 'bravo' })).toBe('');
    expect(slotAlternatives({ ch: '5', kind: 'digit', reliable: false, src: 'five' })).toBe('9');
  });

  it('finds the single-edit repairs that validate', () => {
    const repairs = singleEditRepairs(slotsOf('1HGCN82633A004352'), YEAR).map((r) => r.vin);
    expect(repairs).toContain('1HGCM82633A004352');
  });

  it('is "ambiguous" when only the check digit fails, even with one repair', () => {
    const verdict = assessReading(slotsOf('1HGCN82633A004352'), YEAR);
    expect(verdict.status).toBe('ambiguous');
    expect(verdict.vin).toBeNull();
  });

  it('is "corrected" when a structural fault pins the error and there is no rival', () => {
    const verdict = assessReading(slotsOf('WBSPM9C52BE20997A'), YEAR);
    expect(verdict).toMatchObject({ status: 'corrected', vin: 'WBSPM9C52BE209978' });
  });

  it('sees a rival in a likely pair of mishearings', () => {
    const heard = slotsOf('WBSPM9C52BE20997A');
    const [repair] = singleEditRepairs(heard, YEAR);
    expect(repair).toBeDefined();
    if (repair !== undefined) expect(hasTwoEditRival(heard, repair, YEAR)).toBe(false);
  });

  it('cannot repair what was said with spelling-alphabet words', () => {
    expect(assessReading(slotsOf('1HGCN82633A004352', true), YEAR).status).toBe('invalid');
  });
});
