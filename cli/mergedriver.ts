/**
 * `planager merge-driver BASE OURS THEIRS PATH`: git's custom merge driver for norg notes
 * (`merge.planager.driver = planager merge-driver %O %A %B %P`, `*.norg merge=planager` in
 * .gitattributes; `planager remote setup` writes both). Git gives three temp files and the
 * note's path; the result goes into OURS; exit 0 means merged (git then commits it), anything
 * else that the merge failed (only a real failure: a file that cannot be read or written).
 *
 * The merge itself is sync/notemerge.ts. Which side wins a field both changed: the newer one,
 * as in a sync. Git tells the driver no times, so:
 * - ours: the note's mtime in the work tree (the file as it was before the merge: the last
 *   time this device wrote it);
 * - theirs: $PLANAGER_MERGE_THEIRS_TIME (seconds since the epoch), which `planager sync
 *   --remote` sets to the incoming commit's author time before it merges (its notes commits are dated when the newest note was written);
 * - without that variable (a plain `git pull` by hand) the incoming version wins: it is the
 *   one the other devices already have, so fewer devices change.
 * The value that lost, with the whole version it belonged to, goes into this workspace's
 * activity log (`planager history ID` lists it, `planager restore ID` brings it back), and a
 * report of every conflict goes to stderr (git shows it).
 */
import { statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { extractTasks, parse, type TaskItem } from '../parser/index.js';
// Modules, not the sync's index: git starts this once per note both sides changed, and its own
// bundle (cli/driver.ts) holds only what these need.
import { resolveText } from '../sync/dates.js';
import { appendLog, type LogEntry } from '../sync/log.js';
import { DEFAULT_PRIORITIES, type Fields } from '../sync/mapping.js';
import { Store, type SyncState, type TaskState } from '../sync/store.js';
import { mergeNotes, type NoteMerge } from '../sync/notemerge.js';
import { keepTasks, takeTasks } from '../sync/parses.js';
import type { Side } from '../sync/taskline.js';
import type { CommandResult } from './result.js';
import { findUpward } from './workspace.js';

const loadState = (dir: string): Promise<SyncState> => new Store(dir).all();

/** Which side wins a field both changed; see the header. */
export function preferredSide(path: string, env: NodeJS.ProcessEnv, cwd: string): Side {
  let ours: number | null = null;
  try {
    ours = statSync(resolve(cwd, path)).mtimeMs;
  } catch {
    // unreadable: the incoming side wins (as without a time)
  }
  return sideByTimes(ours, Number(env.PLANAGER_MERGE_THEIRS_TIME));
}

/** The same rule from the times themselves: ours (ms, null when unknown) and theirs (seconds). */
export function sideByTimes(oursMs: number | null, theirs: number): Side {
  if (!Number.isFinite(theirs) || theirs <= 0 || oursMs === null) return 'theirs';
  // One-second resolution, as commit times have; a tie goes to the incoming side (as above).
  return Math.floor(oursMs / 1000) > Math.floor(theirs) ? 'ours' : 'theirs';
}

/** The version a lost line stood for: the last synced fields, with what the line says over them. */
export function versionOf(line: string, base: Fields | undefined, now: Date): Fields {
  return versionOfItem(extractTasks(parse(line))[0], line, base, now);
}

/** The same from the line's task as its note's parse gave it (a merge has the notes parsed already). */
function versionOfItem(t: TaskItem | undefined, line: string, base: Fields | undefined, now: Date): Fields {
  const f: Fields = base
    ? { ...base }
    : { description: '', status: 'undone', priority: null, due: null, scheduled: null, tags: [], project: null, depends: [], recurrence: null };
  if (!t) return { ...f, description: line.trim() };
  const date = (s: string | null): string | null => (s ? (resolveText(s, now)?.toISOString() ?? null) : null);
  return {
    ...f,
    description: t.description,
    status: t.status,
    priority: t.priority ? (DEFAULT_PRIORITIES[t.priority] ?? t.priority) : null,
    due: date(t.due),
    scheduled: date(t.start),
    recurrence: t.recurrence,
  };
}

export async function logLosers(m: NoteMerge, path: string, cwd: string, now: Date): Promise<void> {
  if (m.tasks.length === 0) return;
  const workspace = findUpward(resolve(cwd, path, '..')) ?? cwd;
  const stateDir = join(workspace, '.planager');
  const state = await loadState(stateDir).catch(() => null);
  const byId = new Map(Object.values(state?.tasks ?? {}).map((t) => [t.id, t]));
  const entries: LogEntry[] = m.tasks.map((c) => {
    const st = byId.get(c.id);
    return {
      time: now.toISOString(),
      uuid: st?.uuid ?? c.id,
      id: c.id,
      side: 'note',
      action: 'conflict',
      fields: Object.fromEntries(c.conflicts.map((x) => [x.field, { lost: x.lost, kept: x.kept }])),
      version: versionOf(c.lostLine, st?.base, now),
      file: path,
      note: `git merge of ${path}: the ${c.loser === 'ours' ? "this device's" : 'incoming'} line lost: ${c.lostLine.trim()}`,
    };
  });
  await appendLog(join(stateDir, 'activity.jsonl'), entries);
}

export function report(m: NoteMerge, path: string): string {
  const out: string[] = [];
  for (const c of m.tasks)
    out.push(
      `planager merge ${path}: task ${c.id}: ${c.conflicts.map((x) => x.field).join(', ')} changed on both sides; kept ${c.loser === 'ours' ? 'the incoming' : "this device's"} (newer) value; the other is in the history (planager history ${c.id})`,
    );
  for (const id of m.keptOverDelete) out.push(`planager merge ${path}: task ${id} was deleted on one side and edited on the other: kept with the edit`);
  for (const c of m.textConflicts)
    out.push(`planager merge ${path}:${c.line}: both sides changed these lines; kept this device's, the other version is in the @comment block below them`);
  return out.length ? `${out.join('\n')}\n` : '';
}

export async function mergeDriverCommand(args: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<CommandResult> {
  const [basePath, oursPath, theirsPath, path = oursPath] = args;
  if (!basePath || !oursPath || !theirsPath) return { code: 2, stderr: 'planager merge-driver: needs BASE OURS THEIRS [PATH] (git passes %O %A %B %P)\n' };
  try {
    const [base, ours, theirs] = await Promise.all([basePath, oursPath, theirsPath].map((p) => readFile(p, 'utf8')));
    const now = new Date();
    const m = mergeNotes(base, ours, theirs, preferredSide(path, env, cwd));
    await writeFile(oursPath, m.text, 'utf8');
    await logLosers(m, path, cwd, now);
    return { code: 0, stderr: report(m, path) };
  } catch (e) {
    return { code: 2, stderr: `planager merge-driver: ${(e as Error).message}\n` };
  }
}

/** The task lines of a note by id (the line holding the id comment), each with its parsed task. */
function taskLinesOf(text: string, tasks: TaskItem[]): Map<string, { line: string; item: TaskItem }> {
  const lines = text.split('\n');
  const out = new Map<string, { line: string; item: TaskItem }>();
  for (const t of tasks) {
    const line = lines[t.line - 1];
    if (t.id && line?.includes(`%#${t.id}%`)) out.set(t.id, { line, item: t });
  }
  return out;
}

/** Tasks by id, the first of each id kept (as a search in order would find it). */
function firstById(tasks: TaskState[]): Map<string, TaskState> {
  const out = new Map<string, TaskState>();
  for (const t of tasks) if (!out.has(t.id)) out.set(t.id, t);
  return out;
}

/**
 * A merge that changed a task line of this device's note (the other device's edit came in)
 * overwrote this device's value: it goes into the log as a sync's overwrite does, so the
 * device whose value lost can see and restore it. Lines the driver already logged as a
 * conflict (`skip`) are not logged twice.
 */
export async function logIncoming(
  workspace: string,
  before: Map<string, string>,
  after: (file: string) => string | null,
  skip: Set<string>,
  what: string,
  now = new Date(),
): Promise<number> {
  const stateDir = join(workspace, '.planager');
  const entries: LogEntry[] = [];
  // By id, built once: a merge bringing in a thousand changed lines looked each up in every task (seconds).
  let byId: Map<string, TaskState> | undefined;
  for (const [file, text] of before) {
    const next = after(file);
    if (next === null || next === text) continue;
    // The merge parsed this device's text already, and the sync that follows loads the merged one (parses.ts).
    const was = taskLinesOf(text, takeTasks(text));
    for (const [id, cur] of taskLinesOf(next, keepTasks(next))) {
      const old = was.get(id);
      if (old === undefined || old.line === cur.line || skip.has(id)) continue;
      byId ??= firstById(Object.values((await loadState(stateDir).catch(() => null))?.tasks ?? {}));
      const st = byId.get(id);
      // From the notes' own parse (parsing each line again was a third of a 2,000-line merge's log).
      const lost = versionOfItem(old.item, old.line, st?.base, now);
      const kept = versionOfItem(cur.item, cur.line, st?.base, now);
      const fields = Object.fromEntries(
        (Object.keys(lost) as (keyof Fields)[])
          .filter((k) => JSON.stringify(lost[k]) !== JSON.stringify(kept[k]))
          .map((k) => [k, { lost: lost[k], kept: kept[k] }]),
      );
      if (Object.keys(fields).length === 0) continue;
      entries.push({ time: now.toISOString(), uuid: st?.uuid ?? id, id, side: 'note', action: 'overwrite', fields, version: lost, file, note: what });
    }
  }
  await appendLog(join(stateDir, 'activity.jsonl'), entries);
  return entries.length;
}
