/**
 * `planager plan KIND [--date YYYY-MM-DD]`: open (creating when missing) the plan note of a
 * period and refresh its generated sections; print its path. Reads the notes and Taskwarrior
 * (one `task export`), writes the one note, and only when a byte changed.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { decodeUtf8 } from '../parser/index.js';
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
  type PlanOptions,
} from '../plan/index.js';
import { acquireLock, Taskwarrior, writeAtomic } from '../sync/index.js';
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
}

export interface Deps {
  tw?: Taskwarrior;
  now?: Date;
}

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager plan: ${message}\n` });

/** The day and the options a plan or agenda command names; an error message when one is bad. */
export function planSettings(flags: PlanFlags, kind: Kind | null, now: Date): { day: Day; options: PlanOptions } | string {
  const day = flags.date === undefined ? dayOf(now) : parseDay(flags.date);
  if (isError(day)) return `--date: ${day.message}`;
  const weekStart = flags['week-start'] === undefined ? 0 : parseWeekStart(flags['week-start']);
  if (isError(weekStart)) return `--week-start: ${weekStart.message}`;
  const paths = patternsWith(kind && flags.path !== undefined ? { [kind]: flags.path } : {});
  if (isError(paths)) return `--path: ${paths.message}`;
  return { day, options: { paths, weekStart } };
}

function readText(path: string): string | null | { error: string } {
  if (!existsSync(path)) return null;
  const d = decodeUtf8(readFileSync(path));
  return d.ok ? d.text : { error: `${path} is not valid UTF-8 (first bad byte at offset ${d.byteOffset}); it was not changed` };
}

export async function planCommand(kindArg: string | undefined, flags: PlanFlags, deps: Deps = {}): Promise<CommandResult> {
  const now = deps.now ?? new Date();
  const kind = parseKind(kindArg);
  if (isError(kind)) return fail(kind.message);
  const settings = planSettings(flags, kind, now);
  if (typeof settings === 'string') return fail(settings);
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const dir = w.dir;
  const tw = deps.tw ?? new Taskwarrior();
  const loaded = await loadAll(dir, tw, now);
  if (!loaded.ok) return fail(loaded.message);
  const have = new Set(loaded.notes.map((n) => n.file));
  const where = locate(kind, settings.day, settings.options, (p) => have.has(p));
  const abs = join(dir, where.path);
  const existing = readText(abs);
  if (existing !== null && typeof existing === 'object') return fail(existing.error);
  const templates = resolve(dir, flags.templates ?? join('.planager', 'templates'));
  const own = join(templates, `${kind}.norg`);
  const ownText = readText(own);
  if (ownText !== null && typeof ownText === 'object') return fail(ownText.error);
  const previous = where.previous ? (loaded.notes.find((n) => n.file === where.previous) ?? null) : null;
  const compute = (text: string | null) =>
    planNote({
      period: where.period,
      path: where.path,
      existing: text,
      template: ownText !== null ? { source: ownText, where: own } : { source: BUILTIN_TEMPLATES[kind], where: `built-in ${kind} template` },
      tasks: loaded.tasks,
      projectNotes: loaded.notes.filter((n) => !isPlanPath(n.file, settings.options.paths) && !isPlanPath(n.file, DEFAULT_PATHS)).map((n) => n.objects),
      previous,
    });
  let r = compute(existing);
  if (isError(r)) return fail(r.message);
  if (r.changed) {
    const locked = await acquireLock(join(dir, '.planager'));
    if (!locked.ok) return fail(locked.message);
    try {
      // The note may have been written meanwhile (a sync, an editor): refresh what is there now.
      const now2 = readText(abs);
      if (now2 !== null && typeof now2 === 'object') return fail(now2.error);
      if (now2 !== existing) r = compute(now2);
      if (isError(r)) return fail(r.message);
      if (r.changed) {
        mkdirSync(dirname(abs), { recursive: true });
        await writeAtomic(abs, r.text);
      }
    } finally {
      await locked.lock.release();
    }
  }
  const warnings = [...loaded.warnings, ...r.warnings].map((x) => `planager plan: ${x}\n`).join('');
  if (flags.json)
    return { code: 0, stdout: JSON.stringify({ path: abs, created: r.created, sections: r.sections }, null, 2) + '\n', stderr: warnings || undefined };
  const counts = Object.entries(r.sections)
    .map(([k, v]) => `${v.length} ${k}`)
    .join(', ');
  const what = r.created ? 'created' : r.changed ? 'refreshed' : 'unchanged';
  return { code: 0, stdout: `${abs}\n${what}${counts ? `: ${counts}` : ''}\n`, stderr: warnings || undefined };
}
