/**
 * VIN core: normalisation, the North-American check digit (49 CFR 565.15(c)) and structural
 * validation with vPIC-style numeric codes. Pure functions, no I/O.
 */
import { YEAR_CODES } from './model-year.js';
import { isLightVehicle, lookupWmi } from './wmi-table.js';

/** Length of every modern VIN. */
export const VIN_LENGTH = 17;

/** The 33 characters a VIN may contain: digits and letters except I, O and Q. */
export const VIN_CHARACTERS = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

/** Machine-readable reason for a VIN problem. */
export type VinIssueKey =
  | 'check_digit'
  | 'invalid_characters'
  | 'incomplete'
  | 'too_long'
  | 'bad_year_code'
  | 'bad_position_9'
  | 'bad_serial'
  | 'future_model_year';

/** One problem found in a VIN; `code` is the NHTSA vPIC error code it corresponds to. */
export interface VinIssue {
  code: number;
  key: VinIssueKey;
  message: string;
  /** 1-based VIN position the issue is about, when there is one. */
  position?: number;
}

/** Result of {@link validateVin}. */
export interface VinValidation {
  vin: string;
  /** Structurally acceptable; may still carry warnings (e.g. a check-digit mismatch). */
  ok: boolean;
  errors: VinIssue[];
  warnings: VinIssue[];
}

/** vPIC ErrorCode texts (vPICList 2026_08 `ErrorCode` table) for the codes this module emits. */
export const VPIC_CODE_TEXT: Readonly<Record<number, string>> = Object.freeze({
  0: 'VIN decoded clean. Check Digit (9th position) is correct',
  1: 'Check Digit (9th position) does not calculate properly',
  6: 'Incomplete VIN',
  11: 'Incorrect Model Year - Position 10 does not match valid model year codes (I, O, Q, U, Z, 0). Decoded data may not be accurate.',
  12: 'Model Year Warning - Model Year entered for decoding with VIN does not match the model year based on the 10th position in VIN.',
  400: 'Invalid Characters Present',
});

// Table IV weights; position 9 holds the check digit itself and weighs 0.
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

// Table III: letters skip the slots I, O and Q would have held, so P = 7, R = 9, S = 2.
const VALUE_KEY = '0123456789.ABCDEFGH..JKLMN.P.R..STUVWXYZ';

/** Trims, upper-cases and removes spaces and dashes; other characters are kept so they can be reported. */
export function normalizeVin(input: string): string {
  return input
    .trim()
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—]+/g, '');
}

/** Table III value of a VIN character; undefined for characters a VIN cannot contain. */
export function transliterate(ch: string): number | undefined {
  if (ch.length !== 1 || !VIN_CHARACTERS.includes(ch)) return undefined;
  return VALUE_KEY.indexOf(ch) % 10;
}

/** The check digit a 17-character VIN should carry ('0'-'9' or 'X'); null if it cannot be computed. */
export function computeCheckDigit(vin: string): string | null {
  const v = normalizeVin(vin);
  if (v.length !== VIN_LENGTH) return null;
  let sum = 0;
  for (let i = 0; i < VIN_LENGTH; i++) {
    if (i === 8) continue;
    const value = transliterate(v.charAt(i));
    if (value === undefined) return null;
    sum += value * (WEIGHTS[i] ?? 0);
  }
  const rem = sum % 11;
  return rem === 10 ? 'X' : String(rem);
}

/** True when the VIN is 17 valid characters and position 9 equals the computed check digit. */
export function hasValidCheckDigit(vin: string): boolean {
  const v = normalizeVin(vin);
  const expected = computeCheckDigit(v);
  return expected !== null && v.charAt(8) === expected;
}

/**
 * First serial position that must be numeric (1-based), per vPIC: 13 for cars, MPVs and light
 * trucks, 14 for other or unknown types, 15 for low-volume makers (position 3 = '9').
 */
export function firstNumericSerialPosition(vin: string): number {
  if (vin.charAt(2) === '9') return 15;
  const entry = lookupWmi(vin);
  return entry !== undefined && isLightVehicle(entry.vehicleType) ? 13 : 14;
}

function quoteList(items: readonly { ch: string; pos: number }[]): string {
  return items.map(({ ch, pos }) => `'${ch}' at position ${pos}`).join(', ');
}

/**
 * Validates a VIN. Length, characters, position 10 and numeric serial positions are errors; a wrong
 * or missing check digit is only a warning, because real vehicles carry accepted wrong check digits
 * (vPIC's VinException table) and VINs for markets outside North America have none.
 */
export function validateVin(input: string): VinValidation {
  const vin = normalizeVin(input);
  const errors: VinIssue[] = [];
  const warnings: VinIssue[] = [];

  const bad: { ch: string; pos: number }[] = [];
  for (let i = 0; i < vin.length; i++) {
    const ch = vin.charAt(i);
    if (!VIN_CHARACTERS.includes(ch)) bad.push({ ch, pos: i + 1 });
  }
  if (bad.length > 0) {
    const hasIoq = bad.some(({ ch }) => ch === 'I' || ch === 'O' || ch === 'Q');
    errors.push({
      code: 400,
      key: 'invalid_characters',
      message:
        `VIN contains characters that are not allowed: ${quoteList(bad)}` +
        (hasIoq ? ' (the letters I, O and Q are never used in a VIN)' : ''),
      position: bad[0]?.pos ?? 1,
    });
  }

  if (vin.length !== VIN_LENGTH) {
    errors.push({
      code: 6,
      key: vin.length < VIN_LENGTH ? 'incomplete' : 'too_long',
      message: `VIN must be 17 characters; got ${vin.length}`,
    });
    return { vin, ok: false, errors, warnings };
  }

  const year = vin.charAt(9);
  if (VIN_CHARACTERS.includes(year) && !YEAR_CODES.includes(year)) {
    errors.push({
      code: 11,
      key: 'bad_year_code',
      message: `Position 10 (model year) must be one of A-H, J-N, P, R-T, V-Y or 1-9; got '${year}'`,
      position: 10,
    });
  }

  const firstSerial = firstNumericSerialPosition(vin);
  const serialBad: { ch: string; pos: number }[] = [];
  for (let pos = firstSerial; pos <= VIN_LENGTH; pos++) {
    const ch = vin.charAt(pos - 1);
    if (VIN_CHARACTERS.includes(ch) && !/[0-9]/.test(ch)) serialBad.push({ ch, pos });
  }
  if (serialBad.length > 0) {
    errors.push({
      code: 400,
      key: 'bad_serial',
      message: `Positions ${firstSerial}-17 (production number) must be digits for this vehicle; got ${quoteList(serialBad)}`,
      position: serialBad[0]?.pos ?? firstSerial,
    });
  }

  const actual = vin.charAt(8);
  if (!/^[0-9X]$/.test(actual) && VIN_CHARACTERS.includes(actual)) {
    warnings.push({
      code: 1,
      key: 'bad_position_9',
      message: `Position 9 (check digit) should be 0-9 or X; got '${actual}' (accepted: some makers print a letter here, and non-North-American VINs have no check digit)`,
      position: 9,
    });
  }
  const expected = computeCheckDigit(vin);
  if (expected !== null && expected !== actual) {
    warnings.push({
      code: 1,
      key: 'check_digit',
      message: `Check digit (position 9) does not calculate: expected '${expected}', found '${actual}'`,
      position: 9,
    });
  }

  return { vin, ok: errors.length === 0, errors, warnings };
}

/** Splits a VIN into groups of three for display ("1HG CM8 263 3A0 043 52"). */
export function formatVinGroups(vin: string, separator = ' '): string {
  const groups: string[] = [];
  for (let i = 0; i < vin.length; i += 3) groups.push(vin.slice(i, i + 3));
  return groups.join(separator);
}
