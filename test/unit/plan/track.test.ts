/**
 * Tracking figures (issue 17): streaks, rates and Loop's habit strength on hand-computed
 * fixtures (daily, weekly, every-3-days and weekdays habits, gaps), its laws as properties, and
 * projects and days. Pure: no `task` here (test/unit/cli/stats.test.ts runs the command).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isoDay, type Day } from '../../../plan/day.js';
import {
  dayFigures,
  habitFigures,
  parseRecurrence,
  parseGoal,
  projectFigures,
  strengthByDay,
  type Goal,
  type Rhythm,
  type TrackTask,
} from '../../../plan/track/index.js';

const D0: Day = { y: 2026, m: 11, d: 2 }; // a Monday
const day = (n: number) => addDays(D0, n);
const key = (d: Day) => d.y * 10000 + d.m * 100 + d.d;
const r = (s: string) => parseRecurrence(s)!;
const habit = (recur: string, doneOn: number[]) => ({ uuid: 'u', description: 'h', rhythm: r(recur), anchor: D0, done: doneOn.map(day) });

describe('recurrences', () => {
  it('read the forms Taskwarrior writes', () => {
    expect(r('daily')).toMatchObject({ every: 1, unit: 'day', numerator: 1, denominator: 1 });
    expect(r('weekly')).toMatchObject({ every: 7, unit: 'day', denominator: 7 });
    expect(r('3d')).toMatchObject({ every: 3, unit: 'day' });
    expect(r('2w')).toMatchObject({ every: 14 });
    expect(r('P1W')).toMatchObject({ every: 7 });
    expect(r('monthly')).toMatchObject({ every: 1, unit: 'month', denominator: 30 });
    expect(r('quarterly')).toMatchObject({ every: 3, unit: 'month' });
    expect(r('weekdays')).toMatchObject({ weekdays: true, numerator: 5, denominator: 7 });
    expect(parseRecurrence('sometimes')).toBeNull();
    expect(parseRecurrence('0d')).toBeNull();
  });
});

describe('streaks and rates', () => {
  it('a daily habit: the streak counts days in a row; today not done yet breaks nothing', () => {
    // Done days 0-4, missed 5, done 6-8; today is day 9 (not done yet).
    const f = habitFigures(habit('daily', [0, 1, 2, 3, 4, 6, 7, 8]), day(9));
    expect(f.streak).toBe(3);
    expect(f.best).toBe(5);
    expect(f.rate7).toBeCloseTo(5 / 7, 10); // days 3-9: 3,4,6,7,8
    // Today done too.
    expect(habitFigures(habit('daily', [0, 1, 2, 3, 4, 6, 7, 8, 9]), day(9)).streak).toBe(4);
    // Missed yesterday: the streak is over.
    expect(habitFigures(habit('daily', [0, 1, 2]), day(4)).streak).toBe(0);
  });

  it('a weekly habit done once a week, on different days, keeps its streak', () => {
    const f = habitFigures(habit('weekly', [0, 9, 20, 22]), day(25));
    expect(f.streak).toBe(4); // weeks 0, 1, 2, 3 (day 25 is in week 3, done on 22)
    expect(f.best).toBe(4);
    expect(f.rate7).toBe(1); // one of the one asked for (day 22)
    // Week 1 missed; week 2 done; week 3 under way: the streak is week 2's.
    expect(habitFigures(habit('weekly', [0, 20]), day(25)).streak).toBe(1);
    expect(habitFigures(habit('weekly', [0, 20]), day(25)).best).toBe(1);
  });

  it('an every-3-days habit counts periods of 3 days from its anchor', () => {
    // Periods: 0-2, 3-5, 6-8, 9-11. Done in the first three; today day 10 (period 3 under way).
    const f = habitFigures(habit('3d', [2, 3, 8]), day(10));
    expect(f.streak).toBe(3);
    expect(habitFigures(habit('3d', [2, 8]), day(10)).streak).toBe(1);
  });

  it('a weekdays habit: weekends neither count nor break', () => {
    // Mon-Fri of week one, Mon of week two; today is that Monday.
    expect(habitFigures(habit('weekdays', [0, 1, 2, 3, 4, 7]), day(7)).streak).toBe(6);
    // On the Sunday between, the streak is Friday's.
    expect(habitFigures(habit('weekdays', [0, 1, 2, 3, 4]), day(6)).streak).toBe(5);
  });
});

describe('strength (Loop Habit Tracker)', () => {
  const m1 = 0.5 ** (1 / 13);
  it('a daily habit done n days in a row from the start: 1 − m^n', () => {
    for (const n of [1, 2, 3, 10, 100]) {
      const f = habitFigures(
        habit(
          'daily',
          Array.from({ length: n }, (_, i) => i),
        ),
        day(n - 1),
      );
      expect(f.strength).toBeCloseTo(1 - m1 ** n, 12);
    }
  });

  it('a daily habit then a miss: the score decays by m', () => {
    const f = habitFigures(habit('daily', [0, 1, 2]), day(3));
    expect(f.strength).toBeCloseTo((1 - m1 ** 3) * m1, 12);
  });

  it('a weekly habit done on its first day: half the window for 14 days (numerator and denominator doubled)', () => {
    const m7 = 0.5 ** (Math.sqrt(1 / 7) / 13);
    const s = strengthByDay(r('weekly'), D0, day(15), new Set([key(D0)]));
    for (let d = 0; d <= 13; d++) expect(s[d]).toBeCloseTo(0.5 * (1 - m7 ** (d + 1)), 12);
    // Day 14: the window no longer holds the repetition; it decays.
    expect(s[14]).toBeCloseTo(s[13]! * m7, 12);
  });

  it('stays in [0, 1]; a completion never lowers it; a day whose window holds none never raises it', () => {
    const arb = fc.record({
      recur: fc.constantFrom('daily', 'weekly', '3d', 'monthly', 'weekdays', '2w'),
      done: fc.uniqueArray(fc.integer({ min: 0, max: 120 }), { maxLength: 60 }),
      extra: fc.integer({ min: 0, max: 120 }),
    });
    fc.assert(
      fc.property(arb, ({ recur, done, extra }) => {
        const rh: Rhythm = r(recur);
        const set = new Set(done.map((n) => key(day(n))));
        const s = strengthByDay(rh, D0, day(120), set);
        for (const x of s) expect(x >= 0 && x <= 1).toBe(true);
        const more = strengthByDay(rh, D0, day(120), new Set([...set, key(day(extra))]));
        more.forEach((x, i) => expect(x).toBeGreaterThanOrEqual(s[i]! - 1e-12));
        const window = (rh.numerator / rh.denominator < 1 ? 2 : 1) * rh.denominator;
        for (let i = 1; i < s.length; i++) {
          const empty = Array.from({ length: Math.min(window, i + 1) }, (_, k) => i - k).every((j) => !set.has(key(day(j))));
          if (empty) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]! + 1e-12);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('projects and days', () => {
  const t = (p: string | null, status: TrackTask['status'], end: number | null, due: number | null): TrackTask => ({
    uuid: `${p}-${status}-${end}-${due}`,
    description: 'x',
    status,
    project: p,
    end: end === null ? null : day(end),
    due: due === null ? null : day(due),
  });
  const tasks = [
    t('Home.Kitchen', 'completed', 20, 20),
    t('Home.Kitchen', 'completed', 26, 25),
    t('Home.Kitchen', 'pending', null, 24),
    t('Home', 'pending', null, null),
    t('Home', 'deleted', null, null),
    t('Work', 'recurring', null, null),
    t(null, 'completed', 27, null),
  ];
  it('count subprojects in their parent and forecast from the last 28 days', () => {
    expect(projectFigures(tasks, day(27))).toEqual([
      { project: 'Home', done: 2, total: 4, doneLast7: 1, forecast: '2026-12-27', trend: [0, 0, 0, 0, 0, 0, 1, 1] },
      { project: 'Home.Kitchen', done: 2, total: 3, doneLast7: 1, forecast: '2026-12-13', trend: [0, 0, 0, 0, 0, 0, 1, 1] },
    ]);
  });
  it('goals: a count (done of it, when reached) and a date (done of all, on track or behind)', () => {
    expect(parseGoal('20')).toEqual({ count: 20 });
    expect(parseGoal('2026-12-31')).toEqual({ date: { y: 2026, m: 12, d: 31 } });
    expect(parseGoal('0')).toBeNull();
    expect(parseGoal('soon')).toBeNull();
    const goals = new Map<string, Goal>([
      ['Home.Kitchen', { count: 4 }],
      ['Home', { date: day(30) }],
    ]);
    const [home, kitchen] = projectFigures(tasks, day(27), goals);
    // 2 done in the last 28 days: 2 more take 28 days.
    expect(kitchen.goal).toEqual({ target: '4', progress: 0.5, by: isoDay(day(55)), onTrack: null });
    expect(home.goal).toEqual({ target: isoDay(day(30)), progress: 0.5, by: isoDay(day(55)), onTrack: false });
    expect(projectFigures(tasks, day(27), new Map([['Home', { date: day(60) }]]))[0].goal?.onTrack).toBe(true);
    // Reached: no date to reach it by, and on track.
    expect(projectFigures(tasks, day(27), new Map([['Home', { count: 2 }]]))[0].goal).toEqual({ target: '2', progress: 1, by: null, onTrack: null });
  });
  it('days: done, planned, due met and missed', () => {
    const f = dayFigures(tasks, day(24), day(27), new Map([['2026-11-27', 4]]));
    expect(f).toEqual([
      { date: '2026-11-26', done: 0, planned: 0, dueMet: 0, dueMissed: 1 },
      { date: '2026-11-27', done: 0, planned: 4, dueMet: 0, dueMissed: 1 },
      { date: '2026-11-28', done: 1, planned: 0, dueMet: 0, dueMissed: 0 },
      { date: '2026-11-29', done: 1, planned: 0, dueMet: 0, dueMissed: 0 },
    ]);
  });
});
