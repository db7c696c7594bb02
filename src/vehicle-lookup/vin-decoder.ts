/**
 * Offline VIN decode: maker, country and region from the WMI, model year from position 10 (with the
 * position-7 rule), plant and serial, plus vPIC-style codes. Detailed model data needs vPIC.
 */
import { resolveModelYear } from './model-year.js';
import { VPIC_CODE_TEXT, computeCheckDigit, validateVin, type VinIssue } from './vin.js';
import {
  countryForVin,
  lookupWmi,
  regionForVin,
  type VehicleType,
  type VinRegion,
} from './wmi-table.js';

/** A vPIC-style code with its readable text. */
export interface VinCode {
  code: number;
  text: string;
}

/** JSON-serialisable decode of a VIN (what the API returns). */
export interface VinDecode {
  vin: string;
  /** Same as VinValidation.ok: structurally acceptable, possibly with warnings. */
  valid: boolean;
  wmi: string | null;
  /** The usual make for the WMI; when `makeConclusive` is false the VIN may be any of `possibleMakes`. */
  make: string | null;
  possibleMakes: string[];
  makeConclusive: boolean;
  manufacturer: string | null;
  country: string | null;
  region: VinRegion | null;
  vehicleType: VehicleType | null;
  /** Position 3 is '9': the maker identifier is positions 1-3 plus 12-14. */
  lowVolume: boolean;
  modelYear: number | null;
  modelYearCandidates: number[];
  modelYearConclusive: boolean;
  plantCode: string | null;
  serial: string | null;
  checkDigit: { expected: string | null; actual: string; ok: boolean };
  codes: VinCode[];
  errors: VinIssue[];
  warnings: VinIssue[];
}

/** Options for {@link decodeVin}. */
export interface DecodeOptions {
  /** Calendar year used to reject model years in the future; defaults to the current UTC year. */
  currentYear?: number;
}

/** Decodes a VIN as far as the static tables allow; never throws on bad input. */
export function decodeVin(input: string, options: DecodeOptions = {}): VinDecode {
  const currentYear = options.currentYear ?? new Date().getUTCFullYear();
  const validation = validateVin(input);
  const { vin } = validation;
  const errors = [...validation.errors];
  const warnings = [...validation.warnings];
  const entry = vin.length >= 3 ? lookupWmi(vin) : undefined;
  const full = vin.length === 17;
  const lowVolume = vin.length >= 3 && vin.charAt(2) === '9';

  const year = full
    ? resolveModelYear(vin, entry?.vehicleType ?? null, currentYear)
    : { modelYear: null, candidates: [], conclusive: false };
  // A conclusive year beyond next model year means a misread character, not a real vehicle.
  if (year.modelYear !== null && year.conclusive && year.modelYear > currentYear + 1) {
    warnings.push({
      code: 12,
      key: 'future_model_year',
      message: `Position 10 gives model year ${year.modelYear}, which is in the future; a character may be wrong`,
      position: 10,
    });
  }

  const expected = full ? computeCheckDigit(vin) : null;
  const actual = vin.charAt(8);
  const checkOk = expected !== null && expected === actual;

  const codeSet = new Set<number>([...errors, ...warnings].map((i) => i.code));
  const hardError = errors.length > 0 || !checkOk;
  if (!hardError) codeSet.add(0);
  const codes = [...codeSet]
    .sort((a, b) => a - b)
    .map((code) => ({ code, text: VPIC_CODE_TEXT[code] ?? `Code ${code}` }));

  return {
    vin,
    valid: validation.ok,
    wmi: vin.length >= 3 ? vin.slice(0, 3) : null,
    make: entry?.make ?? null,
    possibleMakes: entry ? [...entry.makes] : [],
    makeConclusive: entry ? entry.makes.length === 1 : false,
    manufacturer: entry?.manufacturer ?? null,
    country: entry?.country ?? (vin.length >= 2 ? countryForVin(vin) : null),
    region: vin.length >= 1 ? regionForVin(vin) : null,
    vehicleType: entry?.vehicleType ?? null,
    lowVolume,
    modelYear: year.modelYear,
    modelYearCandidates: year.candidates,
    modelYearConclusive: year.conclusive,
    plantCode: vin.length >= 11 ? vin.charAt(10) : null,
    serial: full ? vin.slice(lowVolume ? 14 : 11) : null,
    checkDigit: { expected, actual, ok: checkOk },
    codes,
    errors,
    warnings,
  };
}
