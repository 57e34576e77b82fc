/**
 * What plan, agenda and capture read: every note of the workspace, parsed, and Taskwarrior in
 * one `task export`, joined into plan/'s task values. The only I/O of those commands besides
 * the note they write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NoteOutline } from '../graph/index.js';
import { ParseCache, tasksSnapshot, type CachedOutline } from './parsecache.js';
import { decodeUtf8 } from '../parser/index.js';
import { homeLinesOf, homesFrom, shortIds, TaskIndex, type HomeLines, type PlanTask, type TaskLookup } from '../plan/index.js';
import { allTasks } from '../sync/alltasks.js';
import { parseTwDate, type Taskwarrior, type TwTask } from '../sync/taskwarrior.js';
import { listNorgFiles } from '../sync/workspace.js';
import { dependsOf, priorityOfTw, statusOfTw } from '../sync/mapping.js';
import type { Inputs } from '../sync/stamps.js';

export interface Note {
  file: string;
  text: string;
  /** Its outline (from readNotes: parsed from the parse cache when first read). */
  readonly objects: NoteOutline;
  /** What homes are found by (plan/tasks.ts `homeLinesOf`); from readNotes without the whole outline. */
  homes?: HomeLines;
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
const parsed = new Map<string, { text: string; outline: CachedOutline }>();

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
    if (hit && hit.text === n.text) return noteOf(n, hit.outline);
    const outline = disk.outline(n.file, n.text);
    parsed.set(key, { text: n.text, outline });
    return noteOf(n, outline);
  });
  for (const k of parsed.keys()) if (k.startsWith(join(dir, '/')) && !seen.has(k)) parsed.delete(k);
  return out;
}

const noteOf = (n: { file: string; text: string }, outline: CachedOutline): Note => ({
  file: n.file,
  text: n.text,
  homes: outline.homes,
  get objects() {
    return outline.objects();
  },
});

/** Every Taskwarrior task but recurrence templates (not tasks to do; their instances are), with short ids. */
export function planTasks(exported: TwTask[], now: Date): PlanTask[] {
  const list = exported.filter((t) => t.status !== 'recurring');
  const ids = shortIds(list.map((t) => t.uuid));
  return list.map((t) => planTask(t, ids.get(t.uuid)!, now));
}

/**
 * Most tasks have no tags and no dependencies: they share one empty list each (frozen, so a
 * write to one throws instead of reaching the others), not 20,000 new ones to collect.
 */
const NO_TAGS: string[] = Object.freeze([]) as unknown as string[];
const NO_DEPENDS: string[] = Object.freeze([]) as unknown as string[];

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
    depends: t.depends ? dependsOf(t) : NO_DEPENDS,
    project: t.project ?? null,
    home: null,
    tags: t.tags ?? NO_TAGS,
    entry: parseTwDate(t.entry),
    estimate: typeof t.estimate === 'string' ? t.estimate : typeof t.estimate === 'number' ? String(t.estimate) : null,
  };
}

export type Loaded =
  | {
      ok: true;
      notes: Note[];
      /** Every task (but recurrence templates), with its home; made when first read. */
      readonly tasks: PlanTask[];
      /**
       * The tasks a plan section may take but for the carried ones (dated, started, on hold,
       * waiting or done; plan/refresh.ts `tasks`), in `tasks` order: of 10,000 tasks, the few a
       * plan made values for (the others were a fifth of a plan from the shell, most of it the
       * collection of them).
       */
      candidates: PlanTask[];
      /** Every task by id (the same values as `tasks`, each made when first found). */
      index: TaskLookup;
      raw: TwTask[];
      warnings: string[];
    }
  | { ok: false; message: string };

/**
 * A task no plan section can take unless carried (plan/select.ts `mayQualify` is false for its
 * value whatever the date): pending, with no due, scheduled, start or wait date and no tag.
 * Anything else is a candidate (a completed task only with an end: the completed section's).
 */
function mayShow(t: TwTask): boolean {
  if (t.status === 'deleted') return false;
  if (t.status === 'completed') return Boolean(t.end);
  if (t.status !== 'pending') return true;
  return Boolean(t.due || t.scheduled || t.start || t.wait) || (Array.isArray(t.tags) ? t.tags.length > 0 : Boolean(t.tags));
}

/** The notes and every Taskwarrior task (one export), each task with its home line. */
export async function loadAll(dir: string, tw: Taskwarrior, now: Date, inputs?: Inputs): Promise<Loaded> {
  const warnings: string[] = [];
  const [notes, exported] = await Promise.all([readNotes(dir, warnings, inputs), allTasks(tw, now, inputs, tasksSnapshot(dir) ?? undefined)]);
  if (!exported.ok) return { ok: false, message: `task export failed: ${exported.error.message}` };
  const list = exported.value.filter((t) => t.status !== 'recurring');
  const ids = shortIds(list.map((t) => t.uuid));
  // Homes are found among Taskwarrior's tasks (the same uuids as their values'), so that only
  // the tasks a plan looks at are made values.
  const raw = new TaskIndex(list);
  const homes = homesFrom(
    notes.map((n) => n.homes ?? homeLinesOf(n.objects)),
    raw,
  );
  const made = new Map<TwTask, PlanTask>();
  const value = (t: TwTask): PlanTask => {
    let p = made.get(t);
    if (p === undefined) {
      p = planTask(t, ids.get(t.uuid)!, now);
      p.home = homes.get(t.uuid) ?? null;
      made.set(t, p);
    }
    return p;
  };
  const index: TaskLookup = {
    find(id) {
      const t = raw.find(id);
      return t ? value(t) : null;
    },
  };
  const candidates = list.filter(mayShow).map(value);
  let all: PlanTask[] | null = null;
  return {
    ok: true,
    notes,
    get tasks() {
      return (all ??= list.map(value));
    },
    candidates,
    index,
    raw: exported.value,
    warnings,
  };
}
