/**
 * Calendar days as plain values (no time, no zone): plan periods are days of the note's
 * calendar, and a Date would drag the process's zone into every comparison. A moment becomes a
 * day in local time (`dayOf`), the zone the person plans in.
 */
export interface Day {
  y: number;
  /** 1–12 */
  m: number;
  d: number;
}

export interface PlanError {
  code: 'bad-date' | 'bad-kind' | 'bad-option' | 'bad-template' | 'bad-schedule';
  message: string;
}

export function isError<T>(x: T | PlanError): x is PlanError {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` that names a real day (2026-02-30 is an error, not March 2nd). */
export function parseDay(s: string): Day | PlanError {
  const m = ISO.exec(s);
  if (!m) return { code: 'bad-date', message: `"${s}" is not a date: write YYYY-MM-DD, e.g. 2026-12-04` };
  const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (day.m < 1 || day.m > 12 || day.d < 1 || day.d > daysInMonth(day.y, day.m)) return { code: 'bad-date', message: `${s} is not a day of the calendar` };
  return day;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

// Day arithmetic through UTC, where every day has 24 hours.
function serial(day: Day): number {
  return Date.UTC(day.y, day.m - 1, day.d) / 86_400_000;
}

function fromSerial(n: number): Day {
  const t = new Date(n * 86_400_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function addDays(day: Day, n: number): Day {
  return fromSerial(serial(day) + n);
}

export function diffDays(a: Day, b: Day): number {
  return serial(a) - serial(b);
}

export function compareDays(a: Day, b: Day): number {
  return serial(a) - serial(b);
}

/** 0 = Monday … 6 = Sunday, as parser/dates.ts counts weekdays. */
export function weekday(day: Day): number {
  return (new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay() + 6) % 7;
}

export function isoDay(day: Day): string {
  return `${day.y}-${pad(day.m)}-${pad(day.d)}`;
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The local day a moment falls on. */
export function dayOf(t: Date): Day {
  return { y: t.getFullYear(), m: t.getMonth() + 1, d: t.getDate() };
}

/** Local midnight starting a day. */
export function startOf(day: Day): Date {
  return new Date(day.y, day.m - 1, day.d);
}

/** ISO 8601 week of a day: the week (Monday first) holding its Thursday names it. */
export function isoWeek(day: Day): { year: number; week: number } {
  const thursday = addDays(day, 3 - weekday(day));
  const jan1 = { y: thursday.y, m: 1, d: 1 };
  return { year: thursday.y, week: 1 + Math.floor(diffDays(thursday, jan1) / 7) };
}
