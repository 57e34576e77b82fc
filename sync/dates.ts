/**
 * Norg date text ↔ an absolute time, for `due` (`<`) and `scheduled` (`>`).
 *
 * - A partial date (`Fri 27th Nov`, `Mon`, `10:00`) resolves to the first matching moment on
 *   or after the reference day, in the note's time zone (the process's, or the one written).
 * - Sync never re-resolves text that still matches the time it stands for: `Mon` stays `Mon`
 *   while Taskwarrior's due is a Monday (matches()). That is what keeps a sync idempotent as
 *   days pass.
 * - A time coming from Taskwarrior is written in the style the line already uses (the same
 *   parts: weekday, ordinal day, month name or abbreviation, year, time); a new one as
 *   `Fri 27th Nov 2026`, with `10:00` when it is not midnight.
 */
import { MONTH_NAMES, parseDate, WEEKDAY_NAMES, type NorgDate } from '../parser/index.js';

const ZONES: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  BST: 60,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  IST: 330,
  JST: 540,
  AEST: 600,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/** Minutes east of UTC for a zone text, or null when unknown. */
export function zoneOffset(tz: string | undefined): number | null {
  if (!tz) return null;
  const m = /^([A-Z]+)?(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/.exec(tz);
  if (!m) return null;
  let off = 0;
  if (m[1]) {
    if (!(m[1] in ZONES)) return null;
    off = ZONES[m[1]];
  }
  if (m[2]) off += (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4] ?? 0));
  return off;
}

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Monday
  hour: number;
  minute: number;
  second: number;
}

/** Calendar parts of `d` in the zone `offset` (minutes east), or local time when null. */
export function partsOf(d: Date, offset: number | null): Parts {
  if (offset === null) {
    return {
      year: d.getFullYear(),
      month: d.getMonth() + 1,
      day: d.getDate(),
      weekday: (d.getDay() + 6) % 7,
      hour: d.getHours(),
      minute: d.getMinutes(),
      second: d.getSeconds(),
    };
  }
  const s = new Date(d.getTime() + offset * 60_000);
  return {
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    weekday: (s.getUTCDay() + 6) % 7,
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
    second: s.getUTCSeconds(),
  };
}

function fromParts(p: { year: number; month: number; day: number; hour: number; minute: number; second: number }, offset: number | null): Date {
  if (offset === null) return new Date(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - offset * 60_000);
}

/** Does the time `d` satisfy every part the date text gives? */
export function matches(date: NorgDate, d: Date): boolean {
  const p = partsOf(d, zoneOffset(date.timezone));
  if (date.year !== undefined && date.year !== p.year) return false;
  if (date.month !== undefined && date.month !== p.month) return false;
  if (date.day !== undefined && date.day !== p.day) return false;
  if (date.weekday !== undefined && date.weekday !== p.weekday) return false;
  if (date.time) {
    if (date.time.hour !== p.hour || date.time.minute !== p.minute) return false;
    if ((date.time.second ?? 0) !== p.second) return false;
  } else if (p.hour !== 0 || p.minute !== 0 || p.second !== 0) return false;
  return true;
}

/** The first moment on or after the reference day that the text describes, or null. */
export function resolve(date: NorgDate, reference: Date): Date | null {
  const offset = zoneOffset(date.timezone);
  const ref = partsOf(reference, offset);
  const time = date.time ?? { hour: 0, minute: 0, second: 0 };
  const hms = { hour: time.hour, minute: time.minute, second: time.second ?? 0 };
  // Walk days from the reference day; a full date needs no walk, a weekday at most 7 days,
  // day+month at most ~8 years (29th Feb).
  if (date.year !== undefined && date.month !== undefined && date.day !== undefined) {
    const d = fromParts({ year: date.year, month: date.month, day: date.day, ...hms }, offset);
    return matches(date, d) ? d : null;
  }
  const start = Date.UTC(ref.year, ref.month - 1, ref.day);
  const limit = date.year !== undefined ? 366 : 366 * 8;
  let begin = 0;
  if (date.year !== undefined && date.year > ref.year) begin = Math.floor((Date.UTC(date.year, 0, 1) - start) / 86_400_000);
  for (let i = begin; i < begin + limit; i++) {
    const day = new Date(start + i * 86_400_000);
    const y = day.getUTCFullYear();
    const mo = day.getUTCMonth() + 1;
    const dd = day.getUTCDate();
    const wd = (day.getUTCDay() + 6) % 7;
    if (date.year !== undefined && y !== date.year) {
      if (y > date.year) break;
      continue;
    }
    if (date.month !== undefined && mo !== date.month) continue;
    if (date.day !== undefined && dd !== date.day) continue;
    if (date.weekday !== undefined && wd !== date.weekday) continue;
    return fromParts({ year: y, month: mo, day: dd, ...hms }, offset);
  }
  return null;
}

/** `2026-12-05`, `2026-12-05 14:00`, `2026-12-05T14:00:30`: a local day (and time). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function isoDate(text: string): Date | null {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as number[];
  const t = new Date(y!, mo! - 1, d!, h, mi, se);
  // 2026-02-30 is no day: not read (the line keeps it, with a warning).
  if (t.getFullYear() !== y || t.getMonth() !== mo! - 1 || t.getDate() !== d || h! > 23 || mi! > 59 || se! > 59) return null;
  return t;
}

/**
 * Taskwarrior's names for days a user types into a note (`today`, `tomorrow`, `yesterday`,
 * `eod`, `sow`/`eow` for the ISO week, Monday first, as plans count weeks, `som`/`eom`,
 * `soy`/`eoy`), read against the sync's clock. They name a different day each day, so a line
 * holding one is rewritten with the date it named the first time it was read (isRelative).
 */
function synonym(text: string, now: Date): Date | null {
  const w = text.trim().toLowerCase();
  const day = (n: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + n);
  const end = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate(), 23, 59, 59);
  const monday = day(-((now.getDay() + 6) % 7));
  switch (w) {
    case 'today':
    case 'now':
      return day(0);
    case 'tomorrow':
      return day(1);
    case 'yesterday':
      return day(-1);
    case 'eod':
      return end(day(0));
    case 'sow':
      return monday;
    case 'eow':
      return end(new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 6));
    case 'som':
      return new Date(now.getFullYear(), now.getMonth(), 1);
    case 'eom':
      return end(new Date(now.getFullYear(), now.getMonth() + 1, 0));
    case 'soy':
      return new Date(now.getFullYear(), 0, 1);
    case 'eoy':
      return end(new Date(now.getFullYear(), 11, 31));
    default:
      return null;
  }
}

/** A date text naming a day relative to today (a synonym): the line gets the date itself instead. */
export function isRelative(text: string): boolean {
  return synonym(text, new Date()) !== null;
}

/** The date forms a line may use, for the warnings about one that cannot be read. */
export const DATE_FORMS = 'Fri 4th Dec 2026, 4 Dec 2026 14:00, 2026-12-04, 2026-12-04 14:00, today, tomorrow, eow, a weekday';

export function resolveText(text: string, reference: Date): Date | null {
  const iso = isoDate(text);
  if (iso) return iso;
  const syn = synonym(text, reference);
  if (syn) return syn;
  const r = parseDate(text);
  if (!r.ok) return null;
  return resolve(r.value.start, reference);
}

/**
 * The first moment after `now` from which `resolveText(text, ·)` may name another date: the
 * next midnight of the day it is read against, in the text's own zone when it names one (the
 * reference counts by days only); null when the text names the same date whenever it is read.
 */
export function resolvedUntil(text: string, now: Date): Date | null {
  if (isoDate(text)) return null;
  const localMidnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  if (synonym(text, now)) return localMidnight;
  const r = parseDate(text);
  if (!r.ok) return null;
  const d = r.value.start;
  if (d.year !== undefined && d.month !== undefined && d.day !== undefined) return null;
  const offset = zoneOffset(d.timezone);
  if (offset === null) return localMidnight;
  const p = partsOf(now, offset);
  return new Date(Date.UTC(p.year, p.month - 1, p.day + 1) - offset * 60_000);
}

export function matchesText(text: string, d: Date): boolean {
  const iso = isoDate(text);
  if (iso) return iso.getTime() === d.getTime();
  // A synonym names another day tomorrow: it never stands for a stored date.
  if (isRelative(text)) return false;
  const r = parseDate(text);
  return r.ok && matches(r.value.start, d);
}

const ORD = (n: number) => {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
};
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

interface Style {
  weekday: 'none' | 'short' | 'long';
  day: 'none' | 'plain' | 'ordinal';
  month: 'none' | 'short' | 'long';
  year: boolean;
  time: 'none' | 'hm' | 'hms';
  timezone: string | null;
  comma: boolean;
  order: ('weekday' | 'day' | 'month' | 'year' | 'time' | 'timezone')[];
}

const DEFAULT_STYLE: Style = {
  weekday: 'short',
  day: 'ordinal',
  month: 'short',
  year: true,
  time: 'none',
  timezone: null,
  comma: false,
  order: ['weekday', 'day', 'month', 'year'],
};

function styleOf(text: string): Style {
  const r = parseDate(text);
  if (!r.ok) return DEFAULT_STYLE;
  const words = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  const s: Style = { weekday: 'none', day: 'none', month: 'none', year: false, time: 'none', timezone: null, comma: /,/.test(text), order: [] };
  for (const w of words) {
    const l = w.toLowerCase();
    if (/^\d{1,2}:\d{2}:\d{2}/.test(w)) (s.time = 'hms'), s.order.push('time');
    else if (/^\d{1,2}:\d{2}/.test(w)) (s.time = 'hm'), s.order.push('time');
    else if (/^\d{1,2}(st|nd|rd|th)$/i.test(w)) (s.day = 'ordinal'), s.order.push('day');
    else if (/^\d+$/.test(w) && (w.length >= 4 || Number(w) > 31)) (s.year = true), s.order.push('year');
    else if (/^\d+$/.test(w)) (s.day = 'plain'), s.order.push('day');
    else if (r.value.start.weekday !== undefined && s.weekday === 'none' && WEEKDAY_NAMES.some((n) => n.startsWith(l)))
      (s.weekday = l.length > 3 ? 'long' : 'short'), s.order.push('weekday');
    else if (MONTH_NAMES.some((n) => n.startsWith(l.replace(/\.$/, '')))) (s.month = l.length > 4 ? 'long' : 'short'), s.order.push('month');
    else (s.timezone = w), s.order.push('timezone');
  }
  return s;
}

/**
 * Write `d` in the style of `like` (the text the line had). Parts the old text did not have
 * are added only when needed to name the same moment (a different year, a time of day).
 */
export function formatDate(d: Date, like: string | null, reference: Date = new Date()): string {
  // An ISO line stays ISO: `2026-12-05`, with ` HH:MM` when the moment is not midnight.
  if (like && (isoDate(like) || ISO_DATE.test(like.trim()))) {
    const p2 = (n: number) => String(n).padStart(2, '0');
    const day = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
    const secs = d.getSeconds() ? `:${p2(d.getSeconds())}` : '';
    return d.getHours() || d.getMinutes() || d.getSeconds() ? `${day} ${p2(d.getHours())}:${p2(d.getMinutes())}${secs}` : day;
  }
  const style = like ? styleOf(like) : DEFAULT_STYLE;
  const offset = zoneOffset(style.timezone ?? undefined);
  const p = partsOf(d, offset);
  const needTime = p.hour !== 0 || p.minute !== 0 || p.second !== 0;
  const st: Style = { ...style, order: [...style.order] };
  const add = (part: Style['order'][number], before: Style['order'][number][]) => {
    const i = st.order.findIndex((o) => before.includes(o));
    st.order.splice(i < 0 ? st.order.length : i, 0, part);
  };
  if (needTime && st.time === 'none') {
    st.time = p.second ? 'hms' : 'hm';
    add('time', ['timezone']);
  } else if (p.second && st.time === 'hm') st.time = 'hms';
  // A weekday alone names a day of the coming week; anything else needs day and month.
  const refParts = partsOf(reference, offset);
  const dayDiff = Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(refParts.year, refParts.month - 1, refParts.day)) / 86_400_000);
  const weekdayOnly = st.weekday !== 'none' && st.day === 'none' && st.month === 'none' && !st.year && dayDiff >= 0 && dayDiff <= 6;
  if (!weekdayOnly) {
    if (st.day === 'none') {
      st.day = 'ordinal';
      add('day', ['month', 'year', 'time', 'timezone']);
    }
    if (st.month === 'none') {
      st.month = 'short';
      add('month', ['year', 'time', 'timezone']);
    }
    if (!st.year && p.year !== refParts.year) {
      st.year = true;
      add('year', ['time', 'timezone']);
    }
  }
  const out: string[] = [];
  for (const part of st.order) {
    switch (part) {
      case 'weekday':
        if (st.weekday !== 'none')
          out.push((st.weekday === 'long' ? cap(WEEKDAY_NAMES[p.weekday]) : cap(WEEKDAY_NAMES[p.weekday].slice(0, 3))) + (st.comma ? ',' : ''));
        break;
      case 'day':
        out.push(st.day === 'ordinal' ? ORD(p.day) : String(p.day));
        break;
      case 'month':
        out.push(st.month === 'long' ? cap(MONTH_NAMES[p.month - 1]) : cap(MONTH_NAMES[p.month - 1].slice(0, 3)));
        break;
      case 'year':
        out.push(String(p.year));
        break;
      case 'time': {
        const hh = String(p.hour).padStart(2, '0');
        const mm = String(p.minute).padStart(2, '0');
        out.push(st.time === 'hms' ? `${hh}:${mm}:${String(p.second).padStart(2, '0')}` : `${hh}:${mm}`);
        break;
      }
      case 'timezone':
        if (st.timezone) out.push(st.timezone);
        break;
    }
  }
  return out.join(' ');
}
