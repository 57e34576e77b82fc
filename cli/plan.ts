/**
 * `planager plan KIND [--date YYYY-MM-DD]`: open (creating when missing) the plan note of a
 * period and refresh its generated sections; print its path. Reads the notes and Taskwarrior
 * (one `task export`), writes the one note, and only when a byte changed.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { decodeUtf8, parse } from '../parser/index.js';
import {
  BUILTIN_TEMPLATES,
  dayOf,
  isError,
  isPlanPath,
  locate,
  parseDay,
  parseKind,
  parseWeekStart,
  patternsWith,
  planNote,
  DEFAULT_PATHS,
  type Day,
  type Kind,
  type PlanError,
  type PlanOptions,
  type PlanResult,
  type PlanTask,
} from '../plan/index.js';
import { lineSafe } from '../plan/mirror.js';
import { projectFigures, type Goal, type GoalFigures } from '../plan/track/index.js';
// Sync's modules one by one, not its index: a plan from the shell then loads no engine, git or backup code.
import { writeAtomic } from '../sync/fsutil.js';
import { acquireLock } from '../sync/lock.js';
import { recordPlanMirrors, unsentMirrors } from '../sync/planstate.js';
import { parseTwDate, Taskwarrior, type TwTask } from '../sync/taskwarrior.js';
import type { Inputs } from '../sync/stamps.js';
import { goalsOf, habitsOf, sparkline } from './stats.js';
import { loadAll } from './notes.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

export interface PlanFlags {
  date?: string;
  workspace?: string;
  json?: boolean;
  'week-start'?: string;
  templates?: string;
  path?: string;
  /** Patterns for several kinds at once (the editor's `plan.paths` option); `path` wins for its kind. */
  paths?: Partial<Record<Kind, string>>;
}

export interface Deps {
  tw?: Taskwarrior;
  now?: Date;
  /** Collects what the run read, for replaying it (cli/replay.ts); a run that writes says it cannot be. */
  inputs?: Inputs;
}

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager plan: ${message}\n` });

/** The day and the options a plan or agenda command names; an error message when one is bad. */
export function planSettings(flags: PlanFlags, kind: Kind | null, now: Date): { day: Day; options: PlanOptions } | string {
  const day = flags.date === undefined ? dayOf(now) : parseDay(flags.date);
  if (isError(day)) return `--date: ${day.message}`;
  const weekStart = flags['week-start'] === undefined ? 0 : parseWeekStart(flags['week-start']);
  if (isError(weekStart)) return `--week-start: ${weekStart.message}`;
  const paths = patternsWith({ ...flags.paths, ...(kind && flags.path !== undefined ? { [kind]: flags.path } : {}) });
  if (isError(paths)) return `--path: ${paths.message}`;
  return { day, options: { paths, weekStart } };
}

/** A note's text: null when missing, an error when it is not UTF-8 (it is then never rewritten). */
export function readText(path: string): string | null | { error: string } {
  if (!existsSync(path)) return null;
  const d = decodeUtf8(readFileSync(path));
  return d.ok ? d.text : { error: `${path} is not valid UTF-8 (first bad byte at offset ${d.byteOffset}); it was not changed` };
}

/** Reads a note's current text: the file (the CLI), or the editor's buffer when one holds it. */
export type ReadNote = (abs: string) => string | null | { error: string };

export interface PreparedPlan {
  ok: true;
  dir: string;
  /** The note's absolute path. */
  abs: string;
  existing: string | null;
  result: PlanResult;
  /** The same plan over another text of the note (it changed meanwhile). */
  compute(text: string | null): PlanResult | PlanError;
  warnings: string[];
  /** The workspace-relative path (the state knows notes by it). */
  rel: string;
  /** Mirrors of the note showing an edit no sync has sent yet (left as they are). */
  unsent: ReadonlySet<string>;
  /** The task a mirror's marker names. */
  uuidOf(id: string): string | null;
  /** The day the plan was asked for, and every task (for the schedule, cli/schedule.ts). */
  day: Day;
  tasks: readonly PlanTask[];
}

/**
 * Everything `planager plan` works out before it writes: the note's path, its text now and the
 * refreshed text. Shared by the CLI (which writes the file) and the Neovim host (which edits
 * the buffer when the note is open).
 */
export async function preparePlan(
  kindArg: string | undefined,
  flags: PlanFlags,
  deps: Deps = {},
  read: ReadNote = readText,
): Promise<PreparedPlan | { ok: false; message: string }> {
  const now = deps.now ?? new Date();
  const no = (message: string) => ({ ok: false as const, message });
  const kind = parseKind(kindArg);
  if (isError(kind)) return no(kind.message);
  const settings = planSettings(flags, kind, now);
  if (typeof settings === 'string') return no(settings);
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return no(w.message);
  const dir = w.dir;
  const tw = deps.tw ?? new Taskwarrior();
  const inputs = deps.inputs;
  const loaded = await loadAll(dir, tw, now, inputs);
  if (!loaded.ok) return no(loaded.message);
  const have = new Set(loaded.notes.map((n) => n.file));
  const where = locate(kind, settings.day, settings.options, (p) => have.has(p));
  const abs = join(dir, where.path);
  inputs?.file(abs);
  const existing = read(abs);
  if (existing !== null && typeof existing === 'object') return no(existing.error);
  const templates = resolve(dir, flags.templates ?? join('.planager', 'templates'));
  const own = join(templates, `${kind}.norg`);
  inputs?.file(own);
  const ownText = readText(own);
  if (ownText !== null && typeof ownText === 'object') return no(ownText.error);
  const previous = where.previous ? (loaded.notes.find((n) => n.file === where.previous) ?? null) : null;
  // Parsed once: the unsent mirrors and the refresh both read it.
  const tree = existing !== null ? parse(existing) : undefined;
  const unsent = await unsentMirrors(dir, where.path, existing, inputs, tree);
  // Weekly, monthly and review notes show the habits and the projects that moved (plan/track).
  const stats = kind === 'daily' ? [] : statsLines(loaded.raw, dayOf(now), goalsOf(loaded.notes, loaded.warnings));
  const compute = (text: string | null) =>
    planNote({
      keep: unsent,
      stats,
      period: where.period,
      path: where.path,
      existing: text,
      ...(text === existing && tree ? { tree } : {}),
      template: ownText !== null ? { source: ownText, where: own } : { source: BUILTIN_TEMPLATES[kind], where: `built-in ${kind} template` },
      tasks: loaded.candidates,
      index: loaded.index,
      // Read only for a projects section: the outlines are parsed when first read (cli/parsecache.ts).
      projectNotes: () => loaded.notes.filter((n) => !isPlanPath(n.file, settings.options.paths) && !isPlanPath(n.file, DEFAULT_PATHS)).map((n) => n.objects),
      previous,
    });
  const result = compute(existing);
  if (isError(result)) return no(result.message);
  return {
    ok: true,
    dir,
    abs,
    existing,
    result,
    compute,
    warnings: loaded.warnings,
    rel: where.path,
    unsent,
    uuidOf: (id) => loaded.index.find(id)?.uuid ?? null,
    day: settings.day,
    // Every task only for who reads them (the schedule): a plan needs its candidates alone.
    get tasks() {
      return loaded.tasks;
    },
  };
}

/** The stats section's lines: each habit, then each project that had a task done in the last 7 days. */
export function statsLines(raw: readonly TwTask[], today: Day, goals: ReadonlyMap<string, Goal> = new Map()): string[] {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const habits = habitsOf(raw, today).map(
    (h) => `${lineSafe(h.description)}: streak ${h.streak} (best ${h.best}), 7 days ${pct(h.rate7)}, strength ${pct(h.strength)} ${sparkline(h.recent)}`,
  );
  const track = raw.map((t) => ({
    uuid: t.uuid,
    description: t.description,
    status: t.status,
    project: t.project ?? null,
    end: t.end ? dayOf(parseTwDate(t.end) ?? new Date(0)) : null,
    due: t.due ? dayOf(parseTwDate(t.due) ?? new Date(0)) : null,
  }));
  const goal = (g: GoalFigures | undefined) => (g ? `, goal ${g.target}: ${pct(g.progress)}${g.onTrack === false ? ' (behind)' : ''}` : '');
  const projects = projectFigures(track, today, goals)
    .filter((p) => p.doneLast7 > 0 || p.goal)
    .map(
      (p) =>
        `${lineSafe(p.project)}: ${p.done} of ${p.total} done, ${p.doneLast7} this week${p.forecast ? `, done by ${p.forecast} at this rate` : ''}${goal(p.goal)}`,
    );
  return [...habits, ...projects];
}

/** Write a prepared plan's note when a byte changed, under the workspace lock; the result written. */
export async function writePlan(p: PreparedPlan): Promise<PlanResult | { message: string }> {
  let r: PlanResult | PlanError = p.result;
  if (!r.changed) return r;
  const locked = await acquireLock(join(p.dir, '.planager'));
  if (!locked.ok) return { message: locked.message };
  try {
    // The note may have been written meanwhile (a sync, an editor): refresh what is there now.
    const now2 = readText(p.abs);
    if (now2 !== null && typeof now2 === 'object') return { message: now2.error };
    if (now2 !== p.existing) r = p.compute(now2);
    if (isError(r)) return r;
    if (r.changed) {
      mkdirSync(dirname(p.abs), { recursive: true });
      await writeAtomic(p.abs, r.text);
      await recordPlanMirrors(p.dir, p.rel, r.text, p.uuidOf, p.unsent);
    }
    return r;
  } finally {
    await locked.lock.release();
  }
}

/** `created`, `refreshed` or `unchanged`, with the number of tasks in each section. */
export function planSummary(r: PlanResult): string {
  const counts = Object.entries(r.sections)
    .map(([k, v]) => `${v.length} ${k}`)
    .join(', ');
  const what = r.created ? 'created' : r.changed ? 'refreshed' : 'unchanged';
  return `${what}${counts ? `: ${counts}` : ''}`;
}

export async function planCommand(kindArg: string | undefined, flags: PlanFlags, deps: Deps = {}): Promise<CommandResult> {
  const p = await preparePlan(kindArg, flags, deps);
  if (!p.ok) return fail(p.message);
  const r = await writePlan(p);
  if (!('text' in r)) return fail(r.message);
  // What it wrote is an input of the next run: that one runs in full (and may then be replayed).
  if (r.changed) deps.inputs?.cannot('the note was written');
  const warnings = [...p.warnings, ...r.warnings].map((x) => `planager plan: ${x}\n`).join('');
  if (flags.json)
    return { code: 0, stdout: JSON.stringify({ path: p.abs, created: r.created, sections: r.sections }, null, 2) + '\n', stderr: warnings || undefined };
  return { code: 0, stdout: `${p.abs}\n${planSummary(r)}\n`, stderr: warnings || undefined };
}
