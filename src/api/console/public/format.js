// Formatting for dates, durations and labels, in the browser's locale and time zone.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** "21 Nov 2026, 10:03". */
export function formatDateTime(iso) {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** "10:03:15". */
export function formatTime(iso) {
  return iso ? time.format(new Date(iso)) : '—';
}

/** "3:05" (m:ss) or "1:02:03" from milliseconds. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** "appointment_booked" -> "Appointment booked". */
export function humanize(value) {
  if (!value) return '—';
  const text = String(value).replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "2003 Honda Accord EX" from a call's vehicle. */
export function vehicleLabel(vehicle) {
  if (!vehicle) return '';
  return [vehicle.year, vehicle.make, vehicle.model, vehicle.trim].filter(Boolean).join(' ');
}

/** A date input's value (local day) as the ISO instant it starts at; `endOfDay` for the next day. */
export function dayToIso(day, endOfDay = false) {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + (endOfDay ? 1 : 0)).toISOString();
}
