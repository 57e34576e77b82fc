/**
 * Projects and days: what was done, against what there was to do and what was planned. Pure;
 * days are local calendar days (the caller turns Taskwarrior's moments into them).
 *
 * - A project's figures count its tasks and those of its subprojects (`Home` holds
 *   `Home.Kitchen`), deleted ones and recurrence templates left out; `forecast` is the day the
 *   rest would be done at the rate of the last 28 days (none without a completion in them);
 *   `trend`, the tasks done in each of the last 8 weeks (7-day spans ending today, oldest first).
 * - A goal, written on the project's heading as a carryover tag: `+goal 20` (20 tasks done) or
 *   `+goal 2026-12-31` (everything done by then). `progress` is done of the target (a count
 *   goal) or of the total (a date goal), in [0, 1]; `by` the day the target is reached at the
 *   recent rate; `onTrack` whether that is on or before the goal's date (a count goal has none;
 *   null when there is no recent rate to tell).
 * - A day's `done` counts tasks completed that day; `planned`, the tasks its daily plan note
 *   shows (mirrors and task lines); `dueMet`, tasks due that day and done by its end;
 *   `dueMissed`, those due that day and done later or not at all (once the day is over).
 */
import { addDays, compareDays, diffDays, isoDay, isoWeek, parseDay, pad, type Day } from '../day.js';

export interface TrackTask {
  uuid: string;
  description: string;
  status: 'pending' | 'completed' | 'deleted' | 'waiting' | 'recurring';
  project: string | null;
  end: Day | null;
  due: Day | null;
}

export interface ProjectFigures {
  project: string;
  done: number;
  total: number;
  /** Done in the last 7 days. */
  doneLast7: number;
  /** YYYY-MM-DD, or null when nothing was done in the last 28 days (or nothing is left). */
  forecast: string | null;
  /** Done in each of the last 8 weeks, oldest first. */
  trend: number[];
  goal?: GoalFigures;
}

export type Goal = { count: number } | { date: Day };

export interface GoalFigures {
  /** As written: `20`, or `2026-12-31`. */
  target: string;
  progress: number;
  /** When the target is reached at the recent rate (null: no recent rate, or reached). */
  by: string | null;
  onTrack: boolean | null;
}

/** A goal's parameters (`20`, `2026-12-31`), or null when they are neither. */
export function parseGoal(s: string): Goal | null {
  if (/^\d+$/.test(s) && Number(s) > 0) return { count: Number(s) };
  const d = parseDay(s);
  return 'code' in d ? null : { date: d };
}

function goalFigures(goal: Goal, done: number, total: number, rate: number, today: Day): GoalFigures {
  const target = 'count' in goal ? goal.count : total;
  const left = Math.max(0, target - done);
  const by = left === 0 ? null : rate > 0 ? addDays(today, Math.ceil(left / rate)) : null;
  const progress = target === 0 ? 1 : Math.min(1, done / target);
  if ('count' in goal) return { target: String(goal.count), progress, by: by && isoDay(by), onTrack: null };
  return { target: isoDay(goal.date), progress, by: by && isoDay(by), onTrack: left === 0 ? true : by ? compareDays(by, goal.date) <= 0 : null };
}

export interface DayFigures {
  date: string;
  done: number;
  planned: number;
  dueMet: number;
  dueMissed: number;
}

const counted = (t: TrackTask) => t.status !== 'deleted' && t.status !== 'recurring';

export function projectFigures(tasks: readonly TrackTask[], today: Day, goals: ReadonlyMap<string, Goal> = new Map()): ProjectFigures[] {
  const names = new Set<string>();
  for (const t of tasks) {
    if (!counted(t) || !t.project) continue;
    const parts = t.project.split('.');
    for (let i = 1; i <= parts.length; i++) names.add(parts.slice(0, i).join('.'));
  }
  const out: ProjectFigures[] = [];
  for (const p of [...names].sort()) {
    const mine = tasks.filter((t) => counted(t) && !!t.project && (t.project === p || t.project.startsWith(`${p}.`)));
    const done = mine.filter((t) => t.status === 'completed');
    const within = (n: number) => done.filter((t) => t.end && diffDays(today, t.end) >= 0 && diffDays(today, t.end) < n).length;
    const left = mine.length - done.length;
    const rate = within(28) / 28;
    const between = (from: number, to: number) => done.filter((t) => t.end && diffDays(today, t.end) >= from && diffDays(today, t.end) < to).length;
    const goal = goals.get(p);
    out.push({
      project: p,
      done: done.length,
      total: mine.length,
      doneLast7: within(7),
      forecast: left > 0 && rate > 0 ? isoDay(addDays(today, Math.ceil(left / rate))) : null,
      trend: [7, 6, 5, 4, 3, 2, 1, 0].map((w) => between(w * 7, w * 7 + 7)),
      ...(goal ? { goal: goalFigures(goal, done.length, mine.length, rate, today) } : {}),
    });
  }
  return out;
}

/** Each day from `since` to `today`; `planned` maps YYYY-MM-DD to the count of its plan note. */
export function dayFigures(tasks: readonly TrackTask[], since: Day, today: Day, planned: ReadonlyMap<string, number>): DayFigures[] {
  const out: DayFigures[] = [];
  const byDay = new Map<string, DayFigures>();
  for (let d = since; compareDays(d, today) <= 0; d = addDays(d, 1)) {
    const f = { date: isoDay(d), done: 0, planned: planned.get(isoDay(d)) ?? 0, dueMet: 0, dueMissed: 0 };
    out.push(f);
    byDay.set(f.date, f);
  }
  for (const t of tasks) {
    if (!counted(t)) continue;
    if (t.status === 'completed' && t.end) {
      const f = byDay.get(isoDay(t.end));
      if (f) f.done++;
    }
    if (!t.due) continue;
    const f = byDay.get(isoDay(t.due));
    if (!f) continue;
    if (t.status === 'completed' && t.end && compareDays(t.end, t.due) <= 0) f.dueMet++;
    else if ((t.status === 'completed' && t.end && compareDays(t.end, t.due) > 0) || compareDays(t.due, today) < 0) f.dueMissed++;
  }
  return out;
}

export interface WeekFigures {
  /** ISO 8601 week, `2026-W49`. */
  week: string;
  done: number;
  planned: number;
  dueMet: number;
  dueMissed: number;
}

/** The days summed per ISO week (Monday first), in order. */
export function weekFigures(days: readonly DayFigures[]): WeekFigures[] {
  const out: WeekFigures[] = [];
  for (const d of days) {
    const day = parseDay(d.date) as Day;
    const w = isoWeek(day);
    const name = `${w.year}-W${pad(w.week)}`;
    let f = out[out.length - 1];
    if (!f || f.week !== name) out.push((f = { week: name, done: 0, planned: 0, dueMet: 0, dueMissed: 0 }));
    f.done += d.done;
    f.planned += d.planned;
    f.dueMet += d.dueMet;
    f.dueMissed += d.dueMissed;
  }
  return out;
}
