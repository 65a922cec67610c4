/** Calendar arithmetic on CW dates. CW sends every date as `YYYY-MM-DDTHH:MM:SSZ` (UTC). */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const CW_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Parses what CW accepts for a date-time field; returns the CW form or undefined when invalid. */
export function parseCwDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = CW_DATETIME.exec(value.trim());
  if (!m) return undefined;
  const d = new Date(m[4] === undefined ? `${value.trim()}T00:00:00Z` : value.trim());
  if (Number.isNaN(d.getTime())) return undefined;
  if (m[4] === undefined && !isDay(value.trim())) return undefined;
  return cwDateTime(d);
}

function cwDateTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** Midnight UTC of a calendar day, in CW form. */
export function dayToCw(day: string): string {
  return `${day}T00:00:00Z`;
}

/** The calendar day (YYYY-MM-DD) of a CW date-time. */
export function dayOf(cw: string): string {
  return cw.slice(0, 10);
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = daysInMonth(year, month);
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(Math.min(d, last))}`;
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Last calendar day of the period of `months` months starting on the 1st of `start`'s month. */
export function periodEnd(start: string, months: number): string {
  return addDays(addMonths(monthStart(start), months), -1);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Today's date in UTC, the default simulator clock. */
export function realToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * A timestamp on the simulator's calendar: its "today" with the real time of day, so records written
 * in one test run keep their order while the date follows the simulated clock.
 */
export function stampOn(today: string): string {
  return `${today}T${new Date().toISOString().slice(11, 19)}Z`;
}
