/** ISO 3780 region and country ranges for the first two VIN characters (VIN_FACTS §3.1). */

/** Continent-level region from the first VIN character. */
export type VinRegion =
  'North America' | 'South America' | 'Europe' | 'Asia' | 'Africa' | 'Oceania';

const US = 'United States';
const CA = 'Canada';
const MX = 'Mexico';
const KR = 'South Korea';
const DE = 'Germany';
const UK = 'United Kingdom';
const IT = 'Italy';
const CN = 'China';
const JP = 'Japan';

// ISO 3780 orders second characters A..Z (without I, O, Q) then 1..9 then 0.
const SECOND_ORDER = 'ABCDEFGHJKLMNPRSTUVWXYZ1234567890';

type Range = readonly [from: string, to: string, country: string];

// Country sub-ranges vary by source (VIN_FACTS §3.1); unknown combinations return country null.
const COUNTRY_RANGES: Readonly<Record<string, readonly Range[]>> = {
  '1': [['A', '0', US]],
  '4': [['A', '0', US]],
  '5': [['A', '0', US]],
  '2': [['A', 'W', CA]],
  '3': [
    ['A', 'W', MX],
    ['X', '7', 'Costa Rica'],
    ['8', '9', 'Cayman Islands'],
  ],
  '6': [['A', 'W', 'Australia']],
  '7': [
    ['A', 'E', 'New Zealand'],
    ['F', '0', US],
  ],
  '8': [
    ['A', 'E', 'Argentina'],
    ['F', 'G', 'Chile'],
    ['L', 'N', 'Ecuador'],
    ['S', 'W', 'Peru'],
    ['X', '2', 'Venezuela'],
  ],
  '9': [
    ['A', 'E', 'Brazil'],
    ['F', 'J', 'Colombia'],
    ['S', 'V', 'Uruguay'],
    ['3', '9', 'Brazil'],
  ],
  A: [
    ['A', 'H', 'South Africa'],
    ['J', 'N', 'Ivory Coast'],
  ],
  H: [['A', '0', CN]],
  J: [['A', '0', JP]],
  K: [
    ['A', 'E', 'Sri Lanka'],
    ['F', 'K', 'Israel'],
    ['L', 'R', KR],
    ['S', '0', 'Kazakhstan'],
  ],
  L: [['A', '0', CN]],
  M: [
    ['A', 'E', 'India'],
    ['F', 'K', 'Indonesia'],
    ['L', 'R', 'Thailand'],
  ],
  N: [
    ['A', 'E', 'Iran'],
    ['F', 'G', 'Pakistan'],
    ['L', 'R', 'Turkey'],
  ],
  P: [
    ['A', 'C', 'Philippines'],
    ['L', 'R', 'Malaysia'],
  ],
  R: [
    ['A', 'B', 'United Arab Emirates'],
    ['F', 'K', 'Taiwan'],
    ['L', 'N', 'Vietnam'],
  ],
  S: [
    ['A', 'M', UK],
    ['N', 'T', DE],
    ['U', 'Z', 'Poland'],
  ],
  T: [
    ['A', 'H', 'Switzerland'],
    ['J', 'P', 'Czech Republic'],
    ['R', 'V', 'Hungary'],
  ],
  U: [
    ['H', 'M', 'Denmark'],
    ['U', 'W', 'Romania'],
    ['5', '7', 'Slovakia'],
  ],
  V: [
    ['A', 'E', 'Austria'],
    ['F', 'R', 'France'],
    ['S', 'W', 'Spain'],
  ],
  W: [['A', '0', DE]],
  X: [
    ['A', 'C', 'Bulgaria'],
    ['L', 'R', 'Netherlands'],
    ['S', 'W', 'Russia'],
    ['3', '0', 'Russia'],
  ],
  Y: [
    ['A', 'E', 'Belgium'],
    ['F', 'K', 'Finland'],
    ['S', 'W', 'Sweden'],
  ],
  Z: [['A', 'U', IT]],
};

/** Region by the first VIN character (ISO 3780); null for characters that are never a region. */
export function regionForVin(vin: string): VinRegion | null {
  const first = vin.charAt(0).toUpperCase();
  // '7' is split: 7A-7E New Zealand, 7F onwards the United States (vPIC lists 7FA as US).
  if (first === '7') {
    const second = vin.charAt(1).toUpperCase();
    const at = SECOND_ORDER.indexOf(second);
    return at >= 0 && at <= SECOND_ORDER.indexOf('E') ? 'Oceania' : 'North America';
  }
  if ('12345'.includes(first) && first !== '') return 'North America';
  if (first === '6') return 'Oceania';
  if (first === '8' || first === '9') return 'South America';
  // 'H' was reallocated to China in newer ISO 3780 lists (VIN_FACTS §3.1).
  if (first === 'H') return 'Asia';
  if ('ABCDEFG'.includes(first) && first !== '') return 'Africa';
  if ('JKLMNPR'.includes(first) && first !== '') return 'Asia';
  if ('STUVWXYZ'.includes(first) && first !== '') return 'Europe';
  return null;
}

/** Country from the first two VIN characters; null when the range is unassigned or uncertain. */
export function countryForVin(vin: string): string | null {
  const ranges = COUNTRY_RANGES[vin.charAt(0).toUpperCase()];
  const at = SECOND_ORDER.indexOf(vin.charAt(1).toUpperCase());
  if (ranges === undefined || at < 0 || vin.length < 2) return null;
  for (const [from, to, country] of ranges) {
    if (at >= SECOND_ORDER.indexOf(from) && at <= SECOND_ORDER.indexOf(to)) return country;
  }
  return null;
}
