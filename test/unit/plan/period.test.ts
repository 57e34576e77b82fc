import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PATHS,
  FLAT_PATHS,
  isError,
  isPlanPath,
  parseDay,
  parseKind,
  parseWeekStart,
  pathOf,
  patternsWith,
  periodOf,
  previousNote,
  type Day,
} from '../../../plan/index.js';

const day = (s: string) => parseDay(s) as Day;

describe('periods and paths', () => {
  it('names weeks as ISO 8601 does (Monday start), at the year boundaries too', () => {
    const w = (s: string) => {
      const p = periodOf('weekly', day(s));
      return `${p.weekYear}-W${String(p.week).padStart(2, '0')}`;
    };
    expect(w('2026-12-04')).toBe('2026-W49');
    expect(w('2021-01-03')).toBe('2020-W53');
    expect(w('2024-12-30')).toBe('2025-W01');
    expect(w('2026-01-01')).toBe('2026-W01');
    expect(periodOf('weekly', day('2026-12-04'))).toMatchObject({ start: day('2026-11-30'), end: day('2026-12-07') });
  });

  it('a week starting on Sunday runs Sunday to Saturday and is named after its Wednesday', () => {
    const p = periodOf('weekly', day('2026-12-06'), 6);
    expect(p).toMatchObject({ start: day('2026-12-06'), end: day('2026-12-13'), weekYear: 2026, week: 50 });
    expect(periodOf('weekly', day('2026-12-05'), 6).start).toEqual(day('2026-11-29'));
  });

  it("daily paths are Neorg's core.journal nested layout; weekly, monthly and review notes sit in the year folder", () => {
    expect(pathOf(periodOf('daily', day('2026-12-04')))).toBe('journal/2026/12/04.norg');
    expect(pathOf(periodOf('weekly', day('2026-12-04')))).toBe('journal/2026/2026-W49.norg');
    expect(pathOf(periodOf('weekly', day('2024-12-30')))).toBe('journal/2025/2025-W01.norg');
    expect(pathOf(periodOf('monthly', day('2026-12-04')))).toBe('journal/2026/2026-12.norg');
    expect(pathOf(periodOf('review', day('2026-12-04')))).toBe('journal/2026/2026-W49-review.norg');
    expect(pathOf(periodOf('daily', day('2026-12-04')), FLAT_PATHS)).toBe('journal/2026-12-04.norg');
    expect(periodOf('monthly', day('2026-02-14'))).toMatchObject({ start: day('2026-02-01'), end: day('2026-03-01') });
  });

  it('recognises plan notes by their paths', () => {
    expect(isPlanPath('journal/2026/12/04.norg')).toBe(true);
    expect(isPlanPath('journal/2026/2026-W49-review.norg')).toBe(true);
    expect(isPlanPath('journal/notes.norg')).toBe(false);
    expect(isPlanPath('work.norg', DEFAULT_PATHS)).toBe(false);
  });

  it("Monday's plan carries over the last one there is (Friday's)", () => {
    const have = new Set(['journal/2026/12/04.norg', 'journal/2026/12/01.norg']);
    expect(previousNote(periodOf('daily', day('2026-12-07')), (p) => have.has(p))).toBe('journal/2026/12/04.norg');
    expect(previousNote(periodOf('daily', day('2026-12-01')), (p) => have.has(p))).toBe(null);
  });

  it('bad dates, kinds, week starts and path patterns are error values', () => {
    for (const s of ['2026-2-3', '2026-02-29', '2026-13-01', '2026-12-00', 'today']) expect(isError(parseDay(s))).toBe(true);
    expect(parseDay('2024-02-29')).toEqual({ y: 2024, m: 2, d: 29 });
    expect(isError(parseKind('yearly'))).toBe(true);
    expect(parseWeekStart('sun')).toBe(6);
    expect(parseWeekStart('Monday')).toBe(0);
    expect(isError(parseWeekStart('s'))).toBe(true);
    expect(isError(patternsWith({ daily: '../{year}.norg' }))).toBe(true);
    expect(isError(patternsWith({ weekly: 'plans/{isoweek}.norg' }))).toBe(true);
    expect(isError(patternsWith({ monthly: 'plans/{year}-{month}.txt' }))).toBe(true);
    expect(patternsWith({ daily: 'days/{year}{month}{day}.norg' })).toMatchObject({ daily: 'days/{year}{month}{day}.norg' });
  });
});
