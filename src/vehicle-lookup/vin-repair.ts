/**
 * Plausibility rules for a VIN heard over the phone, and single-mishearing repair.
 *
 * Why the repair policy is strict: one check digit carries ~3.5 bits. Simulation on synthetic VINs
 * (see the report in this module's tests) showed that accepting "the only single confusable edit
 * that validates" turns ~12% of two-mishearing transcripts into a confident wrong VIN. So a repair
 * is 'corrected' only when (1) the transcript breaks a structural rule, which pins where the error
 * is, and the edit is at that position, (2) exactly one single edit validates, (3) no likely pair of mishearings or swap of neighbours
 * explains the transcript as well, and (4) the maker code is a known WMI, which adds redundancy the
 * check digit lacks. Everything else is 'ambiguous' and becomes a question.
 */
import type { Slot } from './spoken-tokens.js';
import { resolveModelYear, YEAR_CODES } from './model-year.js';
import { firstNumericSerialPosition, transliterate, VIN_CHARACTERS } from './vin.js';
import { isLightVehicle, lookupWmi } from './wmi-table.js';

const E_SET = 'BCDEGPTVZ';

/** Every acoustically plausible mishearing of a letter name (VIN_FACTS §5.2 classes). */
const WIDE_LETTER: Readonly<Record<string, string>> = {
  A: 'HJK8',
  B: 'CDEGPTVZ3',
  C: 'BDEGPTVZ3',
  D: 'BCEGPTVZ3',
  E: 'BCDGPTVZ3',
  F: 'SX',
  G: 'BCDEPTVZJ',
  H: 'AJK8',
  J: 'AGHK',
  K: 'AHJ',
  M: 'N',
  N: 'M',
  P: 'BCDEGTVZ3',
  S: 'FX',
  T: 'BCDEGPVZ3',
  U: '2',
  V: 'BCDEGPTZ3',
  X: 'FS6',
  Y: '1',
  Z: 'BCDEGPTV3',
  '1': 'Y',
  '0': 'U',
};

/** Digit words: "five"/"nine", "eight"/"A"/"H", "three" rhyming with the E-set, "two"/"you", "six"/"ex". */
const WIDE_DIGIT: Readonly<Record<string, string>> = {
  '2': 'U',
  '3': E_SET,
  '5': '9',
  '6': 'X',
  '8': 'AHJK',
  '9': '5',
};

/**
 * Mishearings considered when looking for a rival explanation. Deliberately as wide as the repair
 * table: a rival that is merely plausible must still block a confident correction (two mishearings
 * such as D->P plus V->Z otherwise pass as one "repair").
 */
const LIKELY_LETTER: Readonly<Record<string, string>> = WIDE_LETTER;

const LIKELY_DIGIT: Readonly<Record<string, string>> = WIDE_DIGIT;

/** Alternatives for one heard slot; reliable slots (spelling-alphabet words) have none. */
export function slotAlternatives(slot: Slot, likelyOnly = false): string {
  if (slot.reliable) return '';
  // "I" and "Q" were mapped to 1 and 0; acoustically they are close to Y and U.
  if (slot.kind === 'letter' && /^[0-9]$/.test(slot.ch)) {
    return likelyOnly ? '' : (WIDE_LETTER[slot.ch] ?? '');
  }
  const table =
    slot.kind === 'digit'
      ? likelyOnly
        ? LIKELY_DIGIT
        : WIDE_DIGIT
      : likelyOnly
        ? LIKELY_LETTER
        : WIDE_LETTER;
  return table[slot.ch] ?? '';
}

/** Whether two characters are an acoustically confusable pair in either direction. */
export function areConfusable(a: string, b: string): boolean {
  return (
    (WIDE_LETTER[a] ?? '').includes(b) ||
    (WIDE_LETTER[b] ?? '').includes(a) ||
    (WIDE_DIGIT[a] ?? '').includes(b) ||
    (WIDE_DIGIT[b] ?? '').includes(a)
  );
}

const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/**
 * Positions (0-based) that break a structural rule other than the check digit: characters, position
 * 9, year code, numeric serial, and a light vehicle whose model year lies in the future.
 */
export function structuralFaults(vin: string, currentYear: number): number[] {
  const faults = new Set<number>();
  for (let i = 0; i < vin.length; i++) if (!VIN_CHARACTERS.includes(vin.charAt(i))) faults.add(i);
  if (!/^[0-9X]$/.test(vin.charAt(8))) faults.add(8);
  if (!YEAR_CODES.includes(vin.charAt(9))) faults.add(9);
  for (let p = firstNumericSerialPosition(vin); p <= 17; p++) {
    if (!/^[0-9]$/.test(vin.charAt(p - 1))) faults.add(p - 1);
  }
  const entry = lookupWmi(vin);
  if (entry !== undefined && isLightVehicle(entry.vehicleType) && !faults.has(9)) {
    const year = resolveModelYear(vin, entry.vehicleType, currentYear).modelYear;
    if (year === null || year > currentYear + 1) {
      faults.add(6);
      faults.add(9);
    }
  }
  return [...faults].sort((a, b) => a - b);
}

function checkSum(vin: string): number | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = transliterate(vin.charAt(i));
    if (v === undefined) return null;
    sum += v * (WEIGHTS[i] ?? 0);
  }
  return sum;
}

function checkValue(ch: string): number | null {
  if (ch === 'X') return 10;
  return /^[0-9]$/.test(ch) ? Number(ch) : null;
}

/** A VIN we would accept from speech: structure, check digit and a believable model year. */
export function isPlausibleVin(vin: string, currentYear: number): boolean {
  if (vin.length !== 17) return false;
  const sum = checkSum(vin);
  const check = checkValue(vin.charAt(8));
  if (sum === null || check === null || sum % 11 !== check) return false;
  return structuralFaults(vin, currentYear).length === 0;
}

/** A repair candidate: the VIN and the edits from what was heard. */
export interface Repair {
  vin: string;
  edits: { position: number; from: string; to: string }[];
  /** True when every edit is among the most likely telephone confusions. */
  likely: boolean;
}

function withChar(vin: string, at: number, ch: string): string {
  return vin.slice(0, at) + ch + vin.slice(at + 1);
}

// A known maker identifier is evidence: an edit inside positions 1-3 must land on a known WMI.
function wmiAcceptable(heard: string, candidate: string): boolean {
  return heard.slice(0, 3) === candidate.slice(0, 3) || lookupWmi(candidate) !== undefined;
}

/** Every single-slot edit, within the wide confusion classes, that yields a plausible VIN. */
export function singleEditRepairs(slots: readonly Slot[], currentYear: number): Repair[] {
  const heard = slots.map((s) => s.ch).join('');
  const out: Repair[] = [];
  slots.forEach((slot, at) => {
    const likely = slotAlternatives(slot, true);
    for (const alt of slotAlternatives(slot)) {
      const vin = withChar(heard, at, alt);
      if (!wmiAcceptable(heard, vin) || !isPlausibleVin(vin, currentYear)) continue;
      out.push({
        vin,
        edits: [{ position: at + 1, from: slot.ch, to: alt }],
        likely: likely.includes(alt),
      });
    }
  });
  return out.sort((a, b) => Number(b.likely) - Number(a.likely));
}

/**
 * Whether another likely explanation of what was heard also validates: two likely mishearings (not
 * involving the repair's own edit) or two neighbouring characters swapped.
 */
export function hasTwoEditRival(
  slots: readonly Slot[],
  repair: Repair,
  currentYear: number,
): boolean {
  const heard = slots.map((s) => s.ch).join('');
  // Two neighbours said in the wrong order explain a failed check as well as a substitution does.
  for (let a = 0; a + 1 < heard.length; a++) {
    const swapped = heard.slice(0, a) + heard.charAt(a + 1) + heard.charAt(a) + heard.slice(a + 2);
    if (swapped !== repair.vin && swapped !== heard && isPlausibleVin(swapped, currentYear))
      return true;
  }
  const own = new Set(repair.edits.map((e) => `${e.position - 1}:${e.to}`));
  const alts = slots.map((s) => slotAlternatives(s, true));
  for (let a = 0; a < 17; a++) {
    for (const ca of alts[a] ?? '') {
      if (own.has(`${a}:${ca}`)) continue;
      const one = withChar(heard, a, ca);
      for (let b = a + 1; b < 17; b++) {
        for (const cb of alts[b] ?? '') {
          if (own.has(`${b}:${cb}`)) continue;
          const two = withChar(one, b, cb);
          if (two !== repair.vin && wmiAcceptable(heard, two) && isPlausibleVin(two, currentYear)) {
            return true;
          }
        }
      }
    }
  }
  return false;
}

/** Outcome of checking one 17-slot reading. */
export interface ReadingAssessment {
  status: 'valid' | 'corrected' | 'ambiguous' | 'invalid';
  vin: string | null;
  candidates: Repair[];
}

/** Applies the repair policy described at the top of this module to one 17-slot reading. */
export function assessReading(slots: readonly Slot[], currentYear: number): ReadingAssessment {
  const heard = slots.map((s) => s.ch).join('');
  if (isPlausibleVin(heard, currentYear)) return { status: 'valid', vin: heard, candidates: [] };
  const repairs = singleEditRepairs(slots, currentYear);
  if (repairs.length === 0) return { status: 'invalid', vin: null, candidates: [] };
  const [only] = repairs;
  const faults = structuralFaults(heard, currentYear);
  // The edit must fix the fault where it is: changing the maker code to relax the serial rule, say,
  // is not a repair of what was misheard.
  const pinned = only !== undefined && only.edits.every((e) => faults.includes(e.position - 1));
  if (
    only !== undefined &&
    repairs.length === 1 &&
    pinned &&
    lookupWmi(only.vin) !== undefined &&
    !hasTwoEditRival(slots, only, currentYear)
  ) {
    return { status: 'corrected', vin: only.vin, candidates: repairs };
  }
  return { status: 'ambiguous', vin: null, candidates: repairs };
}
