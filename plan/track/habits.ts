/**
 * Habits: streaks, completion rates and strength, from the days a habit was done. Pure.
 *
 * - Periods start at the habit's anchor (its first due date, as Taskwarrior's recurrence does)
 *   and last one rhythm (recur.ts); `weekdays` habits count weekdays only.
 * - Streak: the periods in a row, up to now, with at least one completion. The period under way
 *   keeps the streak going while it is not over (today not done yet breaks nothing). Best: the
 *   longest such run.
 * - Rate over N days: completions in the last N days against those the rhythm asks for
 *   (N × repetitions per day), at most 1.
 * - Strength: Loop Habit Tracker's score (uhabits-core ScoreList.recompute and Score.compute):
 *   day by day from the first day, `score = previous × m + done × (1 − m)` with
 *   `m = 0.5^(√frequency / 13)`, where `done` is the share of the repetitions the last
 *   `denominator` days held (a habit done less than daily has its numerator and denominator
 *   doubled, to smooth out irregular schedules). It rises with each repetition and decays when
 *   a whole window holds none; in [0, 1].
 */
import { addDays, compareDays, diffDays, weekday, type Day } from '../day.js';
import type { Rhythm } from './recur.js';

export interface HabitInput {
  uuid: string;
  description: string;
  rhythm: Rhythm;
  /** The first period's first day. */
  anchor: Day;
  /** Days it was done (any order, repeats allowed). */
  done: readonly Day[];
}

export interface HabitFigures {
  uuid: string;
  description: string;
  streak: number;
  best: number;
  rate7: number;
  rate30: number;
  rate365: number;
  strength: number;
  /** Strength at the end of each of the last 30 days, oldest first (for sparklines). */
  recent: number[];
}

export const dayKey = (d: Day) => d.y * 10000 + d.m * 100 + d.d;
const key = dayKey;

/** The period a day falls in (−1 before the anchor, null for a weekend of a weekdays habit). */
export function habitPeriod(r: Rhythm, anchor: Day, day: Day): number | null {
  if (compareDays(day, anchor) < 0) return -1;
  if (r.weekdays) {
    if (weekday(day) >= 5) return null;
    // Weekdays since the anchor.
    const days = diffDays(day, anchor);
    const full = Math.floor(days / 7);
    let n = full * 5;
    for (let i = full * 7; i < days; i++) if (weekday(addDays(anchor, i)) < 5) n++;
    return n;
  }
  if (r.unit === 'day') return Math.floor(diffDays(day, anchor) / r.every);
  const months = (day.y - anchor.y) * 12 + (day.m - anchor.m) - (day.d < anchor.d ? 1 : 0);
  return Math.floor(months / r.every);
}

export function habitFigures(h: HabitInput, today: Day): HabitFigures {
  const doneSet = new Set(h.done.map(key));
  const met = new Set<number>();
  for (const d of h.done) {
    const p = habitPeriod(h.rhythm, h.anchor, d);
    if (p !== null && p >= 0) met.add(p);
  }
  const { streak, best } = streaks(h.rhythm, h.anchor, today, met);
  const rate = (n: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (doneSet.has(key(addDays(today, -i)))) c++;
    return Math.min(1, c / (n * h.rhythm.perDay));
  };
  const scores = strengthByDay(h.rhythm, firstDay(h), today, doneSet);
  return {
    uuid: h.uuid,
    description: h.description,
    streak,
    best,
    rate7: rate(7),
    rate30: rate(30),
    rate365: rate(365),
    strength: scores.length > 0 ? scores[scores.length - 1]! : 0,
    recent: scores.slice(-30),
  };
}

function firstDay(h: HabitInput): Day {
  let first = h.anchor;
  for (const d of h.done) if (compareDays(d, first) < 0) first = d;
  return first;
}

function streaks(r: Rhythm, anchor: Day, today: Day, met: Set<number>): { streak: number; best: number } {
  // The period under way: on a weekend of a weekdays habit, the last weekday's.
  let at = today;
  let now = habitPeriod(r, anchor, at);
  while (now === null) (at = addDays(at, -1)), (now = habitPeriod(r, anchor, at));
  if (now < 0) return { streak: 0, best: 0 };
  let best = 0;
  let run = 0;
  for (let p = 0; p <= now; p++) {
    run = met.has(p) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  let streak = 0;
  for (let p = met.has(now) ? now : now - 1; p >= 0 && met.has(p); p--) streak++;
  return { streak, best };
}

/** Loop's score, for each day from `from` to `today` (inclusive). */
export function strengthByDay(r: Rhythm, from: Day, today: Day, done: ReadonlySet<number>): number[] {
  let numerator = r.numerator;
  let denominator = r.denominator;
  const freq = numerator / denominator;
  if (freq < 1) (numerator *= 2), (denominator *= 2);
  const m = 0.5 ** (Math.sqrt(freq) / 13);
  const n = diffDays(today, from) + 1;
  const values: number[] = [];
  const out: number[] = [];
  let rolling = 0;
  let score = 0;
  for (let i = 0; i < n; i++) {
    const v = done.has(key(addDays(from, i))) ? 1 : 0;
    values.push(v);
    rolling += v;
    if (i >= denominator) rolling -= values[i - denominator]!;
    score = score * m + Math.min(1, rolling / numerator) * (1 - m);
    out.push(score);
  }
  return out;
}
