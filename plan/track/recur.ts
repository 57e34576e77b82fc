/**
 * A habit's rhythm, from its recurrence as Taskwarrior writes it (`recur:daily`, `weekly`,
 * `3d`, `2w`, `monthly`, `weekdays`, `P1W`, …). Periods are what a streak counts: a weekly
 * habit done once in each week keeps its streak. Pure.
 */

export interface Rhythm {
  /** Length of a period, in `unit`s. */
  every: number;
  unit: 'day' | 'month';
  /** `weekdays`: a period is a day, Saturdays and Sundays count for nothing. */
  weekdays: boolean;
  /** Repetitions per day, as Loop Habit Tracker counts frequency (weekly: 1/7). */
  perDay: number;
  /** Loop's frequency as a fraction: `numerator` repetitions in `denominator` days. */
  numerator: number;
  denominator: number;
}

const NAMED: Record<string, [number, 'day' | 'month']> = {
  daily: [1, 'day'],
  day: [1, 'day'],
  weekly: [7, 'day'],
  week: [7, 'day'],
  biweekly: [14, 'day'],
  fortnight: [14, 'day'],
  monthly: [1, 'month'],
  month: [1, 'month'],
  bimonthly: [2, 'month'],
  quarterly: [3, 'month'],
  semiannual: [6, 'month'],
  annual: [12, 'month'],
  yearly: [12, 'month'],
  year: [12, 'month'],
  biannual: [24, 'month'],
  biyearly: [24, 'month'],
};

const UNITS: Record<string, [number, 'day' | 'month']> = {
  d: [1, 'day'],
  day: [1, 'day'],
  days: [1, 'day'],
  w: [7, 'day'],
  wk: [7, 'day'],
  wks: [7, 'day'],
  week: [7, 'day'],
  weeks: [7, 'day'],
  mo: [1, 'month'],
  mth: [1, 'month'],
  mths: [1, 'month'],
  month: [1, 'month'],
  months: [1, 'month'],
  q: [3, 'month'],
  qtr: [3, 'month'],
  qtrs: [3, 'month'],
  quarter: [3, 'month'],
  quarters: [3, 'month'],
  y: [12, 'month'],
  yr: [12, 'month'],
  yrs: [12, 'month'],
  year: [12, 'month'],
  years: [12, 'month'],
};

/** Loop counts a month as 30 days. */
const MONTH_DAYS = 30;

export function parseRecurrence(text: string): Rhythm | null {
  const s = text.trim().toLowerCase();
  if (s === 'weekdays') return { every: 1, unit: 'day', weekdays: true, perDay: 5 / 7, numerator: 5, denominator: 7 };
  let every: number;
  let unit: 'day' | 'month';
  const named = NAMED[s];
  const iso = /^p(\d+)([dwmy])$/.exec(s);
  const short = /^(\d+)\s*([a-z]+)$/.exec(s);
  if (named) [every, unit] = named;
  else if (iso) {
    const n = Number(iso[1]);
    [every, unit] = iso[2] === 'd' ? [n, 'day'] : iso[2] === 'w' ? [7 * n, 'day'] : iso[2] === 'm' ? [n, 'month'] : [12 * n, 'month'];
  } else if (short && UNITS[short[2]!]) {
    const [k, u] = UNITS[short[2]!]!;
    [every, unit] = [Number(short[1]) * k, u];
  } else return null;
  if (!(every > 0)) return null;
  const denominator = unit === 'day' ? every : every * MONTH_DAYS;
  return { every, unit, weekdays: false, perDay: 1 / denominator, numerator: 1, denominator };
}
