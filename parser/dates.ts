/**
 * The norg date grammar (timestamps in `@`, `<`, `>` and `+` extensions).
 *
 * A date is a sequence of optional parts in any order the spec allows:
 *   weekday  full name or an unambiguous prefix (`Tue`, `Tuesday`, `Tu`); a trailing comma is fine
 *   day      1–31 with an optional ordinal suffix (`5`, `5th`, `2nd`)
 *   month    full name or an unambiguous prefix (`Feb`, `February`, `Sept`)
 *   year     a number of four or more digits, or any number above 31 (`2024`)
 *   time     `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff`
 *   timezone letters (`CET`, `UTC`), optionally with an offset (`GMT+2`), or an offset (`+01:00`)
 * and a range is two dates joined by ` - ` (either side may leave out parts, `Mon - Fri`).
 * A part that fits nowhere makes the whole text an error value; the text is always kept.
 */
export interface NorgDate {
  weekday?: number; // 0 = Monday … 6 = Sunday
  day?: number;
  month?: number; // 1–12
  year?: number;
  time?: { hour: number; minute: number; second?: number; fraction?: string };
  timezone?: string;
}

export interface NorgDateRange {
  start: NorgDate;
  end?: NorgDate;
}

export type DateParse = { ok: true; value: NorgDateRange } | { ok: false; message: string };

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function uniquePrefix(word: string, names: readonly string[]): number {
  let found = -1;
  for (let i = 0; i < names.length; i++) {
    if (names[i].startsWith(word)) {
      if (found !== -1) return -2; // ambiguous
      found = i;
    }
  }
  return found;
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;
const ORDINAL = /^(\d{1,2})(st|nd|rd|th)$/i;
const NUMBER = /^\d+$/;
const ZONE = /^(?:[A-Z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})$/;

function parseOne(text: string): { ok: true; value: NorgDate } | { ok: false; message: string } {
  const words = text.split(/[\s,]+/).filter((w) => w.length > 0);
  if (words.length === 0) return { ok: false, message: 'empty date' };
  const d: NorgDate = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const lower = w.toLowerCase().replace(/\.$/, '');
    let m: RegExpMatchArray | null;
    if ((m = TIME.exec(w))) {
      if (d.time) return { ok: false, message: `two times in "${text}"` };
      const hour = Number(m[1]);
      const minute = Number(m[2]);
      const second = m[3] === undefined ? undefined : Number(m[3]);
      if (hour > 24 || minute > 59 || (second !== undefined && second > 60)) {
        return { ok: false, message: `"${w}" is not a time of day` };
      }
      d.time = { hour, minute };
      if (second !== undefined) d.time.second = second;
      if (m[4] !== undefined) d.time.fraction = m[4];
      continue;
    }
    if ((m = ORDINAL.exec(w))) {
      const day = Number(m[1]);
      if (d.day !== undefined || day < 1 || day > 31) return { ok: false, message: `"${w}" is not a day of the month` };
      d.day = day;
      continue;
    }
    if (NUMBER.test(w)) {
      const n = Number(w);
      if (w.length >= 4 || n > 31 || (d.day !== undefined && d.year === undefined)) {
        if (d.year !== undefined) return { ok: false, message: `two years in "${text}"` };
        d.year = n;
      } else {
        if (n < 1) return { ok: false, message: `"${w}" is not a day of the month` };
        d.day = n;
      }
      continue;
    }
    if (/^[a-z]+\.?$/i.test(w)) {
      // Weekdays first only while nothing else has been read: "F" at the start is Friday,
      // later it is February.
      const wd = d.weekday === undefined && d.month === undefined && d.day === undefined ? uniquePrefix(lower, WEEKDAYS) : -1;
      const mo = d.month === undefined ? uniquePrefix(lower, MONTHS) : -1;
      if (wd >= 0) {
        d.weekday = wd;
        continue;
      }
      if (mo >= 0) {
        d.month = mo + 1;
        continue;
      }
      if (ZONE.test(w) && i > 0) {
        if (d.timezone !== undefined) return { ok: false, message: `two time zones in "${text}"` };
        d.timezone = w;
        continue;
      }
      return { ok: false, message: `"${w}" is not a weekday, month or time zone` };
    }
    if (ZONE.test(w) && i > 0) {
      if (d.timezone !== undefined) return { ok: false, message: `two time zones in "${text}"` };
      d.timezone = w;
      continue;
    }
    return { ok: false, message: `"${w}" is not part of a date` };
  }
  return { ok: true, value: d };
}

export function parseDate(text: string): DateParse {
  const t = text.trim();
  // A range separator needs spaces around it so that "+01:00" and "-0500" stay offsets.
  const parts = t.split(/\s+[-–]\s+/);
  if (parts.length > 2) return { ok: false, message: `a range has two ends: "${t}"` };
  const start = parseOne(parts[0]);
  if (!start.ok) return start;
  if (parts.length === 1) return { ok: true, value: { start: start.value } };
  const end = parseOne(parts[1]);
  if (!end.ok) return end;
  return { ok: true, value: { start: start.value, end: end.value } };
}

export const WEEKDAY_NAMES = WEEKDAYS;
export const MONTH_NAMES = MONTHS;
