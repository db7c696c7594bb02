/** Weekly opening hours, parsed from `OPENING_HOURS` ("mon-fri 09:00-19:00; sat 09:00-17:00"). */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes after local midnight. */
export interface OpeningInterval {
  openMinute: number;
  closeMinute: number;
}

/** Opening intervals per weekday (0 = Sunday, as `Date.getDay()`); an empty list means closed. */
export type OpeningHours = readonly (readonly OpeningInterval[])[];

const DAY_SPEC = /^([a-z]{3})(?:-([a-z]{3}))?$/;
const TIME_RANGE = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;

function dayIndex(day: string): number {
  const index = WEEKDAYS.indexOf(day as Weekday);
  if (index < 0) throw new Error(`unknown day "${day}" (use ${WEEKDAYS.join(', ')})`);
  return index;
}

function expandDays(spec: string): number[] {
  const match = DAY_SPEC.exec(spec);
  if (!match?.[1]) throw new Error(`bad day range "${spec}" (e.g. mon-fri or sat)`);
  const from = dayIndex(match[1]);
  const to = match[2] ? dayIndex(match[2]) : from;
  const days: number[] = [];
  for (let day = from; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === to) break;
  }
  return days;
}

function parseInterval(range: string): OpeningInterval {
  const match = TIME_RANGE.exec(range);
  if (!match) throw new Error(`bad time range "${range}" (e.g. 09:00-17:30)`);
  const [openH, openM, closeH, closeM] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const openMinute = openH * 60 + openM;
  const closeMinute = closeH * 60 + closeM;
  if (openM > 59 || closeM > 59 || closeMinute > 24 * 60 || openMinute >= closeMinute) {
    throw new Error(`bad time range "${range}": opening must come before closing, within a day`);
  }
  return { openMinute, closeMinute };
}

/** Parses "mon-fri 09:00-12:00,13:00-19:00; sat 09:00-17:00"; days not named are closed. */
export function parseOpeningHours(text: string): OpeningHours {
  const week: OpeningInterval[][] = WEEKDAYS.map(() => []);
  for (const clause of text.toLowerCase().split(';')) {
    const trimmed = clause.trim();
    if (!trimmed) continue;
    const [daySpec, ranges, ...rest] = trimmed.split(/\s+/);
    if (!daySpec || !ranges || rest.length > 0) {
      throw new Error(`bad clause "${trimmed}" (expected "<days> <hh:mm-hh:mm>[,<hh:mm-hh:mm>]")`);
    }
    const intervals = ranges.split(',').map(parseInterval);
    for (const day of expandDays(daySpec)) week[day]!.push(...intervals);
  }
  for (const day of week) day.sort((a, b) => a.openMinute - b.openMinute);
  return week;
}
