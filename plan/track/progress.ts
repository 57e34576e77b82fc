/**
 * Projects and days: what was done, against what there was to do and what was planned. Pure;
 * days are local calendar days (the caller turns Taskwarrior's moments into them).
 *
 * - A project's figures count its tasks and those of its subprojects (`Home` holds
 *   `Home.Kitchen`), deleted ones and recurrence templates left out; `forecast` is the day the
 *   rest would be done at the rate of the last 28 days (none without a completion in them).
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
}

export interface DayFigures {
  date: string;
  done: number;
  planned: number;
  dueMet: number;
  dueMissed: number;
}

const counted = (t: TrackTask) => t.status !== 'deleted' && t.status !== 'recurring';

export function projectFigures(tasks: readonly TrackTask[], today: Day): ProjectFigures[] {
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
    out.push({
      project: p,
      done: done.length,
      total: mine.length,
      doneLast7: within(7),
      forecast: left > 0 && rate > 0 ? isoDay(addDays(today, Math.ceil(left / rate))) : null,
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
