import type { Config } from '../config/index.js';
import type { Principal } from './roles.js';

const DOT = '\u2022';

/** The part of the config masking reads. */
export interface MaskingConfig {
  console: Pick<Config['console'], 'maskPhoneNumbersForViewer'>;
}

/** Whether phone numbers are hidden from this principal (viewers, when MASK_PHONE_NUMBERS_FOR_VIEWER). */
export function shouldMaskPhoneNumbers(
  principal: Pick<Principal, 'role'> | null,
  config: MaskingConfig,
): boolean {
  if (!principal) return true;
  return principal.role === 'viewer' && config.console.maskPhoneNumbersForViewer;
}

/**
 * A phone number with all but its last four digits hidden: `+1 •••• ••• 4567` for North
 * American numbers, `+•• •••• 4567` for other international ones, `•••• 4567` for the rest.
 * Anything with fewer than seven digits (extensions, "anonymous") is hidden entirely.
 */
export function maskDigits(number: string): string {
  const digits = number.replace(/\D/g, '');
  if (digits.length < 7) return DOT.repeat(4);
  const last4 = digits.slice(-4);
  const international = /^\s*(\+|00)/.test(number) || /^sip_\+/.test(number);
  if (international && digits.startsWith('1') && digits.length === 11) {
    return `+1 ${DOT.repeat(4)} ${DOT.repeat(3)} ${last4}`;
  }
  return international
    ? `+${DOT.repeat(2)} ${DOT.repeat(4)} ${last4}`
    : `${DOT.repeat(4)} ${last4}`;
}

/** The number as this principal may see it: unchanged, or masked (see `maskDigits`). */
export function maskPhoneNumber<T extends string | null | undefined>(
  number: T,
  principal: Pick<Principal, 'role'> | null,
  config: MaskingConfig,
): T | string {
  if (number === null || number === undefined || number === '') return number;
  return shouldMaskPhoneNumbers(principal, config) ? maskDigits(number) : number;
}

/** Keys whose string values are phone numbers in tool arguments, results and summaries. */
const PHONE_KEY = /phone|callback|caller_?number|mobile|\bnumber$/i;
/** A phone-number-looking run inside free text: digits with spaces, dots, dashes, parentheses. */
const PHONE_IN_TEXT = /\+?\(?\d[\d\s().-]{8,}\d/g;
/** Runs in free text count as phone numbers from this many digits (area code + number). */
const MIN_DIGITS_IN_TEXT = 10;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Masks phone numbers inside structured data (tool arguments and results, summary details):
 * string values under phone-like keys, and phone-like runs in strings, for principals that
 * must not see them. Returns a copy; the input is not changed.
 */
export function maskPhoneFields<T>(
  value: T,
  principal: Pick<Principal, 'role'> | null,
  config: MaskingConfig,
): T {
  if (!shouldMaskPhoneNumbers(principal, config)) return value;
  return maskDeep(value, false) as T;
}

function maskText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) =>
    match.replace(/\D/g, '').length >= MIN_DIGITS_IN_TEXT && !ISO_DATE.test(match)
      ? maskDigits(match)
      : match,
  );
}

function maskDeep(value: unknown, phoneKey: boolean): unknown {
  if (typeof value === 'string') return phoneKey ? maskDigits(value) : maskText(value);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, phoneKey));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, maskDeep(child, PHONE_KEY.test(key))]),
    );
  }
  return value;
}

/** Masks phone-number-looking runs in free text (transcript lines, summaries) for viewers. */
export function maskPhoneText(
  text: string,
  principal: Pick<Principal, 'role'> | null,
  config: MaskingConfig,
): string {
  return shouldMaskPhoneNumbers(principal, config) ? maskText(text) : text;
}
