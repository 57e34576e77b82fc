/**
 * `planager stats [--since D] [--now ISO-TIME] [--workspace DIR] [--json]`: habits (streaks,
 * rates, strength), projects (done of total, forecast) and days (done, planned, due met and
 * missed), from Taskwarrior's history and the daily plan notes. Reads Taskwarrior's data files
 * (no `task` process; one export where there are none). Days are local days (`TZ` decides).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractObjects } from '../graph/index.js';
import { extractMirrors, parse } from '../parser/index.js';
import { addDays, dayOf, isError, isoDay, parseDay, pathOf, periodOf, type Day } from '../plan/index.js';
import {
  dayFigures,
  habitFigures,
  parseGoal,
  parseRecurrence,
  projectFigures,
  weekFigures,
  type Goal,
  type HabitFigures,
  type TrackTask,
  type WeekFigures,
} from '../plan/track/index.js';
import { allTasks } from '../sync/alltasks.js';
import { parseTwDate, Taskwarrior, type TwTask } from '../sync/taskwarrior.js';
import type { CommandResult } from './result.js';
import { readNotes, type Note } from './notes.js';
import { findWorkspace } from './workspace.js';

export interface StatsFlags {
  since?: string;
  now?: string;
  workspace?: string;
  json?: boolean;
}

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager stats: ${message}\n` });

const dayOfTw = (s: string | undefined): Day | null => {
  const d = parseTwDate(s);
  return d ? dayOf(d) : null;
};

/** Habits: recurrence templates with a rhythm, done on the days their instances were completed. */
export function habitsOf(tasks: readonly TwTask[], today: Day): HabitFigures[] {
  const out: HabitFigures[] = [];
  for (const t of tasks) {
    if (t.status !== 'recurring' || typeof t.recur !== 'string') continue;
    const rhythm = parseRecurrence(t.recur);
    const anchor = dayOfTw(t.due) ?? dayOfTw(t.entry);
    if (!rhythm || !anchor) continue;
    const done = tasks
      .filter((x) => x.parent === t.uuid && x.status === 'completed')
      .map((x) => dayOfTw(x.end))
      .filter((d): d is Day => d !== null);
    out.push(habitFigures({ uuid: t.uuid, description: t.description, rhythm, anchor, done }, today));
  }
  return out.sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0));
}

function trackTask(t: TwTask): TrackTask {
  return { uuid: t.uuid, description: t.description, status: t.status, project: t.project ?? null, end: dayOfTw(t.end), due: dayOfTw(t.due) };
}

/**
 * The goals the notes' headings state (`+goal 20`, `+goal 2026-12-31`), by the project the
 * heading is home to (the sync's naming: the note's base project and the titles, dot-joined).
 * The first heading of a project that states one counts; one that reads as neither a count nor
 * a date is named in a warning.
 */
export function goalsOf(notes: readonly Pick<Note, 'file' | 'objects'>[], warnings: string[]): Map<string, Goal> {
  const out = new Map<string, Goal>();
  for (const n of notes)
    for (const p of n.objects.projects) {
      if (p.goal === null) continue;
      const project = [n.objects.baseProject, ...p.path.map((t) => t.replace(/\./g, '_'))].filter(Boolean).join('.');
      const goal = parseGoal(p.goal);
      if (!goal) warnings.push(`${n.file}: the goal of "${p.title}" (+goal ${p.goal}) is neither a count (+goal 20) nor a date (+goal 2026-12-31)`);
      else if (!out.has(project)) out.set(project, goal);
    }
  return out;
}

/** What each day's plan note shows: its mirrors and its own task lines. */
export function plannedCounts(dir: string, since: Day, today: Day): Map<string, number> {
  const out = new Map<string, number>();
  for (let d = since; isoDay(d) <= isoDay(today); d = addDays(d, 1)) {
    const path = join(dir, pathOf(periodOf('daily', d)));
    if (!existsSync(path)) continue;
    const tree = parse(readFileSync(path, 'utf8'));
    out.set(isoDay(d), extractMirrors(tree).length + extractObjects(tree, 'plan.norg').tasks.length);
  }
  return out;
}

export async function statsCommand(flags: StatsFlags, deps: { tw?: Taskwarrior } = {}): Promise<CommandResult> {
  const now = flags.now === undefined ? new Date() : new Date(flags.now);
  if (Number.isNaN(now.getTime())) return fail(`--now: "${flags.now}" is not a time (write e.g. 2026-12-04T18:00:00)`);
  const today = dayOf(now);
  const since = flags.since === undefined ? addDays(today, -29) : parseDay(flags.since);
  if (isError(since)) return fail(`--since: ${since.message}`);
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const read = await allTasks(deps.tw ?? new Taskwarrior(), now);
  if (!read.ok) return fail(`reading Taskwarrior failed: ${read.error.message}`);
  const tasks = read.value;
  const warnings: string[] = [];
  const goals = goalsOf(await readNotes(w.dir, warnings), warnings);
  const days = dayFigures(tasks.map(trackTask), since, today, plannedCounts(w.dir, since, today));
  const result = {
    today: isoDay(today),
    habits: habitsOf(tasks, today),
    projects: projectFigures(tasks.map(trackTask), today, goals),
    days,
    weeks: weekFigures(days),
  };
  const stderr = warnings.map((x) => `planager stats: ${x}\n`).join('') || undefined;
  if (flags.json) return { code: 0, stdout: `${JSON.stringify(result, null, 2)}\n`, stderr };
  return { code: 0, stdout: formatStats(result), stderr };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** A project's figures in words: done of total, the week, the 8-week trend, the goal. */
export function projectLine(p: ReturnType<typeof projectFigures>[number]): string {
  const top = Math.max(1, ...p.trend);
  const parts = [`${p.done}/${p.total} done`, `${p.doneLast7} in 7 days`, `8 weeks ${sparkline(p.trend.map((x) => x / top))}`];
  const g = p.goal;
  if (g) {
    const when = g.by ? `, reached by ${g.by} at this rate` : '';
    const track = g.onTrack === null ? '' : g.onTrack ? ' (on track)' : ' (behind)';
    parts.push(`goal ${g.target}: ${pct(g.progress)}${when}${track}`);
  } else if (p.forecast) parts.push(`done by ${p.forecast} at this rate`);
  return parts.join(', ');
}
const SPARK = '▁▂▃▄▅▆▇█';
export const sparkline = (xs: readonly number[]) => xs.map((x) => SPARK[Math.min(7, Math.max(0, Math.floor(x * 8)))]).join('');

export function formatStats(r: {
  today: string;
  habits: HabitFigures[];
  projects: ReturnType<typeof projectFigures>;
  days: ReturnType<typeof dayFigures>;
  weeks: WeekFigures[];
}): string {
  const out: string[] = [`Habits (${r.today})`];
  if (r.habits.length === 0) out.push('  none (a habit is a recurring task: task add … recur:daily due:today)');
  for (const h of r.habits)
    out.push(
      `  ${h.description}: streak ${h.streak} (best ${h.best}), 7 days ${pct(h.rate7)}, 30 days ${pct(h.rate30)}, strength ${pct(h.strength)} ${sparkline(h.recent)}`,
    );
  out.push('', 'Projects');
  if (r.projects.length === 0) out.push('  none');
  for (const p of r.projects) out.push(`  ${p.project}: ${projectLine(p)}`);
  out.push('', 'Days (done / planned, due met / missed)');
  for (const d of r.days) if (d.done + d.planned + d.dueMet + d.dueMissed > 0) out.push(`  ${d.date}: ${d.done} / ${d.planned}, ${d.dueMet} / ${d.dueMissed}`);
  out.push('', 'Weeks (done / planned, due met / missed)');
  for (const w of r.weeks) out.push(`  ${w.week}: ${w.done} / ${w.planned}, ${w.dueMet} / ${w.dueMissed}`);
  return `${out.join('\n')}\n`;
}
