/**
 * What plan, agenda and capture read: every note of the workspace, parsed, and Taskwarrior in
 * one `task export`, joined into plan/'s task values. The only I/O of those commands besides
 * the note they write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NoteOutline } from '../graph/index.js';
import { ParseCache, tasksSnapshot } from './parsecache.js';
import { decodeUtf8 } from '../parser/index.js';
import { homesOf, shortIds, TaskIndex, type PlanTask } from '../plan/index.js';
import { allTasks } from '../sync/alltasks.js';
import { parseTwDate, type Taskwarrior, type TwTask } from '../sync/taskwarrior.js';
import { listNorgFiles } from '../sync/workspace.js';
import { dependsOf, priorityOfTw, statusOfTw } from '../sync/mapping.js';
import type { Inputs } from '../sync/stamps.js';

export interface Note {
  file: string;
  text: string;
  objects: NoteOutline;
}

/**
 * The notes' texts; one that is not valid UTF-8 is skipped with a warning (never rewritten).
 * `inputs`: the folders and the notes, stamped before they are read (sync/stamps.ts).
 */
export async function readNoteTexts(dir: string, warnings: string[], inputs?: Inputs): Promise<{ file: string; text: string }[]> {
  const files = await listNorgFiles(dir, [join(dir, '.planager')], inputs);
  const out: { file: string; text: string }[] = [];
  // Synchronous: a note is a few KB, and a thread-pool round trip each (100 of them at 10,000
  // tasks) cost more than the reads, and kept the process up after its work was done.
  for (const file of files) {
    inputs?.file(join(dir, file));
    const decoded = decodeUtf8(readFileSync(join(dir, file)));
    if (!decoded.ok) warnings.push(`${file}: not valid UTF-8 (first bad byte at offset ${decoded.byteOffset}); skipped`);
    else out.push({ file, text: decoded.text });
  }
  return out;
}

/**
 * Parsed notes by path, kept for the next call in the same process: in the Neovim host (which
 * stays up) a plan refresh then parses only the notes that changed since, instead of every note
 * (at 10,000 tasks that parse was most of a plan's time). The CLI runs once and gains nothing.
 */
const parsed = new Map<string, { text: string; objects: NoteOutline }>();

/** Forget what this process parsed (the benchmark's way to measure a fresh command). */
export function forgetParsed(): void {
  parsed.clear();
}

/** Notes, parsed (a note whose text is the same as last time keeps its objects). */
export async function readNotes(dir: string, warnings: string[], inputs?: Inputs): Promise<Note[]> {
  const seen = new Set<string>();
  const disk = new ParseCache(dir);
  const out = (await readNoteTexts(dir, warnings, inputs)).map((n) => {
    const key = join(dir, n.file);
    seen.add(key);
    const hit = parsed.get(key);
    if (hit && hit.text === n.text) return { ...n, objects: hit.objects };
    const objects = disk.objects(n.file, n.text);
    parsed.set(key, { text: n.text, objects });
    return { ...n, objects };
  });
  for (const k of parsed.keys()) if (k.startsWith(join(dir, '/')) && !seen.has(k)) parsed.delete(k);
  return out;
}

/** Every Taskwarrior task but recurrence templates (not tasks to do; their instances are), with short ids. */
export function planTasks(exported: TwTask[], now: Date): PlanTask[] {
  const list = exported.filter((t) => t.status !== 'recurring');
  const ids = shortIds(list.map((t) => t.uuid));
  return list.map((t) => planTask(t, ids.get(t.uuid)!, now));
}

/** A Taskwarrior task as plan/ sees it (no home yet): fromTw's fields, dates as dates. */
export function planTask(t: TwTask, id: string, now: Date): PlanTask {
  const wait = parseTwDate(typeof t.wait === 'string' ? t.wait : undefined);
  return {
    uuid: t.uuid,
    id,
    description: t.description ?? '',
    status: statusOfTw(t),
    waiting: t.status === 'waiting' || (wait !== null && wait > now && t.status === 'pending'),
    priority: priorityOfTw(t),
    due: parseTwDate(t.due),
    scheduled: parseTwDate(t.scheduled),
    end: parseTwDate(t.end),
    depends: dependsOf(t),
    project: t.project ?? null,
    home: null,
    tags: t.tags ?? [],
    entry: parseTwDate(t.entry),
    estimate: typeof t.estimate === 'string' ? t.estimate : typeof t.estimate === 'number' ? String(t.estimate) : null,
  };
}

export type Loaded =
  | {
      ok: true;
      notes: Note[];
      tasks: PlanTask[];
      /** The tasks by id, built once: every lookup of the command uses it (one is a pass over 10,000 tasks). */
      index: TaskIndex;
      raw: TwTask[];
      warnings: string[];
    }
  | { ok: false; message: string };

/** The notes and every Taskwarrior task (one export), each task with its home line. */
export async function loadAll(dir: string, tw: Taskwarrior, now: Date, inputs?: Inputs): Promise<Loaded> {
  const warnings: string[] = [];
  const [notes, exported] = await Promise.all([readNotes(dir, warnings, inputs), allTasks(tw, now, inputs, tasksSnapshot(dir) ?? undefined)]);
  if (!exported.ok) return { ok: false, message: `task export failed: ${exported.error.message}` };
  const tasks = planTasks(exported.value, now);
  // Made here, so given their homes in place: a copy of 10,000 tasks was garbage to collect.
  const index = new TaskIndex(tasks);
  const homes = homesOf(
    tasks,
    notes.map((n) => n.objects),
    index,
  );
  for (const t of tasks) t.home = homes.get(t.uuid) ?? null;
  return { ok: true, notes, tasks, index, raw: exported.value, warnings };
}
