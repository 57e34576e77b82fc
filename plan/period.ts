/**
 * The period a plan note covers: a day, a week, a month; a review covers a week (the weekly
 * review). Weeks start on a configurable weekday (Monday by default, as ISO 8601) and are named
 * by the ISO week of their fourth day: with a Monday start that is the ISO week itself
 * (`2026-W49`), with any other start each week still gets one distinct name.
 */
import { addDays, daysInMonth, isoWeek, weekday, type Day, type PlanError } from './day.js';

export const KINDS = ['daily', 'weekly', 'monthly', 'review'] as const;
export type Kind = (typeof KINDS)[number];

export interface Period {
  kind: Kind;
  start: Day;
  /** The first day after the period. */
  end: Day;
  /** The week's name parts (weekly and review; the week holding the day otherwise). */
  weekYear: number;
  week: number;
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export function parseKind(s: string | undefined): Kind | PlanError {
  if (s && (KINDS as readonly string[]).includes(s)) return s as Kind;
  return { code: 'bad-kind', message: `${s === undefined ? 'no kind' : `"${s}"`}: name one of ${KINDS.join(', ')}` };
}

/** A weekday by name or unambiguous prefix (`mon`, `Sunday`) → 0 = Monday … 6 = Sunday. */
export function parseWeekStart(s: string): number | PlanError {
  const l = s.toLowerCase();
  const hits = l.length >= 2 ? WEEKDAYS.filter((w) => w.startsWith(l)) : [];
  if (hits.length === 1) return WEEKDAYS.indexOf(hits[0]);
  return { code: 'bad-option', message: `week start "${s}" is not a weekday (monday … sunday)` };
}

export function weekStartOf(day: Day, weekStart: number): Day {
  return addDays(day, -((weekday(day) - weekStart + 7) % 7));
}

export function periodOf(kind: Kind, day: Day, weekStart = 0): Period {
  const ws = weekStartOf(day, weekStart);
  const w = isoWeek(addDays(ws, 3));
  if (kind === 'daily') return { kind, start: day, end: addDays(day, 1), weekYear: w.year, week: w.week };
  if (kind === 'monthly') {
    const start = { y: day.y, m: day.m, d: 1 };
    return { kind, start, end: addDays(start, daysInMonth(day.y, day.m)), weekYear: w.year, week: w.week };
  }
  return { kind, start: ws, end: addDays(ws, 7), weekYear: w.year, week: w.week };
}

/** The period just before `p`, of the same kind. */
export function previousPeriod(p: Period, weekStart = 0): Period {
  return periodOf(p.kind, addDays(p.start, -1), weekStart);
}
