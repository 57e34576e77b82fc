/**
 * `planager report --html FILE [--since D] [--now ISO-TIME]`: the tracking report as one
 * self-contained page (plan/track/report.ts): completions per day, habit strength, project
 * burn-up, planned and done. Reads Taskwarrior's data files (no `task` process). The default
 * range is the last 365 days; a series longer than 120 points is sampled (every k-th day).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { addDays, compareDays, dayOf, diffDays, isError, isoDay, parseDay, type Day } from '../plan/index.js';
import { dayFigures, dayKey, parseRecurrence, renderReport, strengthByDay, type Goal, type ReportData } from '../plan/track/index.js';
import { allTasks, parseTwDate, Taskwarrior, writeAtomic, type TwTask } from '../sync/index.js';
import type { CommandResult } from './result.js';
import { readNotes } from './notes.js';
import { goalsOf, habitsOf, plannedCounts } from './stats.js';
import { findWorkspace } from './workspace.js';

export interface ReportFlags {
  html?: string;
  since?: string;
  now?: string;
  workspace?: string;
}

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager report: ${message}\n` });
const dayOfTw = (s: unknown): Day | null => {
  const d = parseTwDate(typeof s === 'string' ? s : undefined);
  return d ? dayOf(d) : null;
};

/** Every k-th value, the last one always kept: at most `max` points. */
function sample(xs: number[], max = 120): number[] {
  if (xs.length <= max) return xs;
  const k = Math.ceil(xs.length / max);
  const out = xs.filter((_, i) => i % k === 0);
  if ((xs.length - 1) % k !== 0) out.push(xs[xs.length - 1]!);
  return out;
}

export function reportData(
  tasks: readonly TwTask[],
  from: Day,
  to: Day,
  planned: ReadonlyMap<string, number>,
  title: string,
  goals: ReadonlyMap<string, Goal> = new Map(),
): ReportData {
  const counted = tasks.filter((t) => t.status !== 'deleted' && t.status !== 'recurring');
  const completions = new Map<string, number>();
  for (const t of counted) {
    const e = t.status === 'completed' ? dayOfTw(t.end) : null;
    if (e && compareDays(e, from) >= 0 && compareDays(e, to) <= 0) completions.set(isoDay(e), (completions.get(isoDay(e)) ?? 0) + 1);
  }
  const n = diffDays(to, from) + 1;
  const habits = habitsOf(tasks, to).map((h) => {
    const t = tasks.find((x) => x.uuid === h.uuid)!;
    const rhythm = parseRecurrence(String(t.recur))!;
    const done = tasks
      .filter((x) => x.parent === t.uuid && x.status === 'completed')
      .map((x) => dayOfTw(x.end))
      .filter((d): d is Day => d !== null);
    const first = [dayOfTw(t.due) ?? to, ...done].reduce((a, b) => (compareDays(a, b) <= 0 ? a : b));
    const all = strengthByDay(rhythm, first, to, new Set(done.map(dayKey)));
    const series = Array.from({ length: n }, (_, i) => all[diffDays(addDays(from, i), first)] ?? 0);
    return { description: h.description, streak: h.streak, best: h.best, strength: h.strength, series: sample(series) };
  });
  // Per project (its subprojects in it): tasks there were, and done, by each day: counts at the
  // day they happened, summed along (one pass over the tasks, not one per day).
  const adds = new Map<string, { total: number[]; done: number[] }>();
  const at = (d: Day | null, dflt: number) => (d ? Math.max(0, Math.min(n, diffDays(d, from))) : dflt);
  for (const t of counted) {
    if (!t.project) continue;
    const parts = t.project.split('.');
    const e = at(dayOfTw(t.entry), 0);
    const f = t.status === 'completed' ? at(dayOfTw(t.end), n) : n;
    for (let k = 1; k <= parts.length; k++) {
      const name = parts.slice(0, k).join('.');
      let a = adds.get(name);
      if (!a) adds.set(name, (a = { total: new Array(n + 1).fill(0), done: new Array(n + 1).fill(0) }));
      a.total[e]++;
      a.done[f]++;
    }
  }
  const running = (xs: number[]) => {
    let sum = 0;
    return xs.slice(0, n).map((x) => (sum += x));
  };
  const projects = [...adds.keys()].sort().map((project) => {
    const goal = goals.get(project);
    return {
      project,
      done: sample(running(adds.get(project)!.done)),
      total: sample(running(adds.get(project)!.total)),
      ...(goal ? { goal: 'count' in goal ? { count: goal.count } : { date: isoDay(goal.date) } } : {}),
    };
  });
  const track = counted.map((t) => ({
    uuid: t.uuid,
    description: t.description,
    status: t.status,
    project: t.project ?? null,
    end: dayOfTw(t.end),
    due: dayOfTw(t.due),
  }));
  return { title, from, to, completions, habits, projects, days: dayFigures(track, from, to, planned) };
}

export async function reportCommand(flags: ReportFlags, deps: { tw?: Taskwarrior } = {}): Promise<CommandResult> {
  if (!flags.html) return fail('say where the page goes: --html FILE');
  const now = flags.now === undefined ? new Date() : new Date(flags.now);
  if (Number.isNaN(now.getTime())) return fail(`--now: "${flags.now}" is not a time`);
  const to = dayOf(now);
  const from = flags.since === undefined ? addDays(to, -364) : parseDay(flags.since);
  if (isError(from)) return fail(`--since: ${from.message}`);
  if (compareDays(from, to) > 0) return fail('--since is after today');
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const read = await allTasks(deps.tw ?? new Taskwarrior(), now);
  if (!read.ok) return fail(`reading Taskwarrior failed: ${read.error.message}`);
  const warnings: string[] = [];
  const goals = goalsOf(await readNotes(w.dir, warnings), warnings);
  const html = renderReport(reportData(read.value, from, to, plannedCounts(w.dir, from, to), 'Planager report', goals));
  const out = resolve(flags.html);
  try {
    mkdirSync(dirname(out), { recursive: true });
    await writeAtomic(out, html);
  } catch (e) {
    return fail(`cannot write ${out}: ${(e as Error).message}`);
  }
  return { code: 0, stdout: `${out}\n`, stderr: warnings.map((x) => `planager report: ${x}\n`).join('') || undefined };
}
