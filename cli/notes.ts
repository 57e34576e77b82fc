/**
 * What plan, agenda and capture read: every note of the workspace, parsed, and Taskwarrior in
 * one `task export`, joined into plan/'s task values. The only I/O of those commands besides
 * the note they write.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractObjects, type FileObjects } from '../graph/index.js';
import { decodeUtf8, parse } from '../parser/index.js';
import { shortIds, withHomes, type PlanTask } from '../plan/index.js';
import { allTasks, fromTw, listNorgFiles, parseTwDate, type Taskwarrior, type TwTask } from '../sync/index.js';

export interface Note {
  file: string;
  text: string;
  objects: FileObjects;
}

/** Notes that are not valid UTF-8 are skipped with a warning (they are never rewritten). */
export async function readNotes(dir: string, warnings: string[]): Promise<Note[]> {
  const files = await listNorgFiles(dir, [join(dir, '.planager')]);
  const out = await Promise.all(
    files.map(async (file): Promise<Note | null> => {
      const decoded = decodeUtf8(await readFile(join(dir, file)));
      if (!decoded.ok) {
        warnings.push(`${file}: not valid UTF-8 (first bad byte at offset ${decoded.byteOffset}); skipped`);
        return null;
      }
      return { file, text: decoded.text, objects: extractObjects(parse(decoded.text), file) };
    }),
  );
  return out.filter((n): n is Note => n !== null);
}

/** A Taskwarrior task as plan/ sees it (no home yet). */
export function planTask(t: TwTask, id: string, now: Date): PlanTask {
  const f = fromTw(t);
  const wait = parseTwDate(typeof t.wait === 'string' ? t.wait : undefined);
  return {
    uuid: t.uuid,
    id,
    description: f.description,
    status: f.status,
    waiting: t.status === 'waiting' || (wait !== null && wait > now && t.status === 'pending'),
    priority: f.priority,
    due: parseTwDate(t.due),
    scheduled: parseTwDate(t.scheduled),
    end: parseTwDate(t.end),
    depends: f.depends,
    project: f.project,
    home: null,
    tags: t.tags ?? [],
    entry: parseTwDate(t.entry),
    estimate: typeof t.estimate === 'string' ? t.estimate : typeof t.estimate === 'number' ? String(t.estimate) : null,
  };
}

export type Loaded = { ok: true; notes: Note[]; tasks: PlanTask[]; warnings: string[] } | { ok: false; message: string };

/** The notes and every Taskwarrior task (one export), each task with its home line. */
export async function loadAll(dir: string, tw: Taskwarrior, now: Date): Promise<Loaded> {
  const warnings: string[] = [];
  const [notes, exported] = await Promise.all([readNotes(dir, warnings), allTasks(tw, now)]);
  if (!exported.ok) return { ok: false, message: `task export failed: ${exported.error.message}` };
  // Recurrence templates (status recurring) are not tasks to do; their instances are.
  const list = exported.value.filter((t) => t.status !== 'recurring');
  const ids = shortIds(list.map((t) => t.uuid));
  const tasks = withHomes(
    list.map((t) => planTask(t, ids.get(t.uuid)!, now)),
    notes.map((n) => n.objects),
  );
  return { ok: true, notes, tasks, warnings };
}
