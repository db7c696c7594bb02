import { describe, expect, it } from 'vitest';
import { decodeVin } from './vin-decoder.js';
import { WMI_ENTRIES, countryForVin, lookupWmi, regionForVin } from './wmi-table.js';

const NOW = { currentYear: 2026 };

describe('decodeVin', () => {
  it('decodes a clean Honda Accord', () => {
    expect(decodeVin('1HGCM82633A004352', NOW)).toEqual({
      vin: '1HGCM82633A004352',
      valid: true,
      wmi: '1HG',
      make: 'Honda',
      possibleMakes: ['Honda'],
      makeConclusive: true,
      manufacturer: 'Honda of America Mfg.',
      country: 'United States',
      region: 'North America',
      vehicleType: 'car',
      lowVolume: false,
      modelYear: 2003,
      modelYearCandidates: [2003, 2033],
      modelYearConclusive: true,
      plantCode: 'A',
      serial: '004352',
      checkDigit: { expected: '3', actual: '3', ok: true },
      codes: [{ code: 0, text: 'VIN decoded clean. Check Digit (9th position) is correct' }],
      errors: [],
      warnings: [],
    });
  });

  it.each([
    ['1FTMW1T88MFA00001', 'Ford', 2021],
    ['5YJSA1H12FFP71790', 'Tesla', 2015],
    ['JH4KA2650HC000268', 'Acura', 1987],
    ['5FNYF5H59HB011946', 'Honda', 2017],
    ['3FAHP0JA0AR281181', 'Ford', 2010],
    ['4T1BE46K19U856421', 'Toyota', 2009],
    ['JM3KE4BY6G0636881', 'Mazda', 2016],
    ['KNDCE3LG2L5073161', 'Kia', 2020],
    ['2GCEC19Z0S1245490', 'Chevrolet', 1995],
    ['WBSPM9C52BE209978', 'BMW', 2011],
    ['JTHFE2C23A2509749', 'Lexus', 2010],
    ['2HGFE2F53PH521585', 'Honda', 2023],
  ])('decodes %s as a %s from %i with a conclusive year', (vin, make, year) => {
    const d = decodeVin(vin, NOW);
    expect([d.valid, d.make, d.modelYear, d.modelYearConclusive]).toEqual([true, make, year, true]);
  });

  it('says which makes share a WMI instead of guessing one', () => {
    const jeep = decodeVin('1C4RJFBG5JC123456');
    expect(jeep.make).toBe('Jeep');
    expect(jeep.possibleMakes).toEqual(['Jeep', 'Chrysler', 'Dodge']);
    expect(jeep.makeConclusive).toBe(false);
    const honda = decodeVin('1HGCM82633A004352');
    expect(honda).toMatchObject({ possibleMakes: ['Honda'], makeConclusive: true });
  });

  it('does not apply the position-7 rule to heavy trucks (Freightliner counterexample)', () => {
    const d = decodeVin('1FV3GFBC0YHA74039', NOW);
    expect(d.vehicleType).toBe('heavy_truck');
    // Position 7 is alphabetic, which for a car would mean 2030; vPIC says 2000.
    expect(d.modelYear).toBe(2000);
    expect(d.modelYearCandidates).toEqual([2000, 2030]);
    expect(d.modelYearConclusive).toBe(false);
  });

  it('treats a motorcycle year as inconclusive', () => {
    const d = decodeVin('1HD1GP4558K319097', NOW);
    expect([d.make, d.vehicleType, d.modelYear, d.modelYearConclusive]).toEqual([
      'Harley-Davidson',
      'motorcycle',
      2008,
      false,
    ]);
  });

  it('handles a low-volume maker (position 3 = 9)', () => {
    const d = decodeVin('YT9NN1U14KA007175', NOW);
    expect([d.make, d.lowVolume, d.serial, d.modelYear, d.country]).toEqual([
      'Koenigsegg',
      true,
      '175',
      2019,
      'Sweden',
    ]);
  });

  it('keeps decoding with a bad check digit and reports code 1 without code 0', () => {
    const d = decodeVin('5FNYF5H50HB011946', NOW);
    expect(d.valid).toBe(true);
    expect(d.make).toBe('Honda');
    expect(d.checkDigit).toEqual({ expected: '9', actual: '0', ok: false });
    expect(d.codes.map((c) => c.code)).toEqual([1]);
  });

  it('reports the Genesis exception as warnings and still decodes', () => {
    const d = decodeVin('KMTGA4SCDRU227656', NOW);
    expect([d.valid, d.make, d.modelYear]).toEqual([true, 'Genesis', 2024]);
    expect(d.warnings.map((w) => w.key)).toEqual(['bad_position_9', 'check_digit']);
  });

  it('lists several codes at once (400 + 6)', () => {
    const d = decodeVin('1HGCM8O633', NOW);
    expect(d.valid).toBe(false);
    expect(d.codes.map((c) => c.code)).toEqual([6, 400]);
    expect(d.codes.find((c) => c.code === 6)?.text).toBe('Incomplete VIN');
    expect(d.modelYear).toBeNull();
    expect(d.serial).toBeNull();
  });

  it('reports a bad year code as code 11', () => {
    const d = decodeVin('1HGCM8263UA004352', NOW);
    expect(d.codes.map((c) => c.code)).toContain(11);
    expect(d.modelYear).toBeNull();
  });

  it('warns (code 12) when a light vehicle decodes to a future model year', () => {
    // Position 7 alphabetic + 'Y' = 2030 for a car.
    const d = decodeVin('1HGCM8B6XYA004352', NOW);
    expect(d.modelYear).toBe(2030);
    expect(d.warnings.map((w) => [w.key, w.code])).toContainEqual(['future_model_year', 12]);
  });

  it('decodes an unknown WMI with make null and region from the first character', () => {
    const d = decodeVin('8ZZCM82633A004352', NOW);
    expect([d.make, d.manufacturer, d.vehicleType, d.region, d.wmi]).toEqual([
      null,
      null,
      null,
      'South America',
      '8ZZ',
    ]);
  });

  it('is JSON-serialisable without loss', () => {
    const d = decodeVin('SCFEBBELXDGD17560', NOW);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe('wmi table', () => {
  it('has at least 100 well-formed entries', () => {
    expect(WMI_ENTRIES.length).toBeGreaterThanOrEqual(100);
    for (const e of WMI_ENTRIES) expect(e.wmi).toMatch(/^[A-HJ-NPR-Z0-9]{3}$/);
    expect(new Set(WMI_ENTRIES.map((e) => e.wmi)).size).toBe(WMI_ENTRIES.length);
  });

  it('carries the vPIC-confirmed rows from VIN_FACTS §3.2', () => {
    expect(lookupWmi('1FT')).toMatchObject({ make: 'Ford', vehicleType: 'light_truck' });
    expect(lookupWmi('7FA')).toMatchObject({
      make: 'Honda',
      country: 'United States',
      vehicleType: 'mpv',
    });
    expect(lookupWmi('1HD')).toMatchObject({ vehicleType: 'motorcycle' });
    expect(lookupWmi('KMT')).toMatchObject({ make: 'Genesis' });
  });

  it.each([
    ['1HG', 'North America', 'United States'],
    ['2HG', 'North America', 'Canada'],
    ['3VW', 'North America', 'Mexico'],
    ['JHM', 'Asia', 'Japan'],
    ['KNA', 'Asia', 'South Korea'],
    ['LRW', 'Asia', 'China'],
    ['SAL', 'Europe', 'United Kingdom'],
    ['VF1', 'Europe', 'France'],
    ['W0L', 'Europe', 'Germany'],
    ['ZFF', 'Europe', 'Italy'],
    ['9BW', 'South America', 'Brazil'],
    ['AAV', 'Africa', 'South Africa'],
    ['6G1', 'Oceania', 'Australia'],
    ['7FA', 'North America', 'United States'],
    ['7A1', 'Oceania', 'New Zealand'],
  ])('maps %s to %s / %s', (wmi, region, country) => {
    expect(regionForVin(wmi)).toBe(region);
    expect(countryForVin(wmi)).toBe(country);
  });
});
