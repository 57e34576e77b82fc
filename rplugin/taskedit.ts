/**
 * The agenda's two changes of a task, `x` (done ⇄ not done) and `d` (a new due date): on the
 * task's home line as an edit of the note (Lua applies it and writes the buffer, and the write
 * pushes it like any other), or, for a task no note holds, as `task UUID modify` through the
 * adapter. Expected failures are values with a message.
 */
import { extractObjects, patchFile, type TaskObject } from '../graph/index.js';
import { parse } from '../parser/index.js';
import { isError, parseDay, startOf } from '../plan/index.js';
import { formatDate, resolveText, twDate, type Taskwarrior } from '../sync/index.js';
import { editsFromChanges, type NvimEdit } from './edits.js';

export type TaskChange = { op: 'toggle' } | { op: 'due'; text: string };
/** Which task the agenda showed on that line: its uuid (synced) or its description (not yet). */
export interface Expected {
  uuid?: string | null;
  description: string;
}

type Failed = { ok: false; message: string };

/** A date as the notes read it (`Fri 11th Dec 2026 12:00`, `fri`, `Dec 11`…), or YYYY-MM-DD. */
export function parseUserDate(text: string, now: Date): Date | null {
  const t = text.trim();
  const day = /^\d{4}-\d{2}-\d{2}$/.test(t) ? parseDay(t) : null;
  if (day && !isError(day)) return startOf(day);
  if (day) return null;
  return resolveText(t, now);
}

function sameTask(t: TaskObject, want: Expected): boolean {
  if (want.uuid && t.id) return want.uuid.replace(/-/g, '').startsWith(t.id);
  return t.description === want.description;
}

/** The edits that make the change on the task at `line` (1-based) of a note's lines. */
export function editHome(lines: string[], line: number, change: TaskChange, want: Expected, now = new Date()): Failed | { ok: true; edits: NvimEdit[] } {
  const text = lines.join('\n');
  const objects = extractObjects(parse(text), 'note.norg');
  const t = objects.tasks.find((x) => x.line === line);
  if (!t || !sameTask(t, want)) return { ok: false, message: `line ${line} no longer holds "${want.description}"; refresh the agenda (r)` };
  let set: { status?: TaskObject['status']; due?: string };
  if (change.op === 'toggle') set = { status: t.status === 'done' ? 'undone' : 'done' };
  else {
    const d = parseUserDate(change.text, now);
    if (!d) return { ok: false, message: `"${change.text}" is not a date (write e.g. 2026-12-11, Fri 11th Dec 2026 12:00, fri)` };
    set = { due: formatDate(d, t.due, now) };
  }
  const p = patchFile(text, objects, [{ op: 'set', key: t.key, ...set }]);
  if (p.errors.length > 0) return { ok: false, message: p.errors[0].message };
  return { ok: true, edits: editsFromChanges(text, p.changes) };
}

/** The change on a Taskwarrior task (`status`: what the agenda showed, to toggle from). */
export async function modifyTask(tw: Taskwarrior, uuid: string, status: string, change: TaskChange, now = new Date()): Promise<Failed | { ok: true }> {
  let r: Awaited<ReturnType<Taskwarrior['modify']>>;
  if (change.op === 'toggle') r = await tw.modify(uuid, status === 'done' ? ['status:pending'] : 'done');
  else {
    const d = parseUserDate(change.text, now);
    if (!d) return { ok: false, message: `"${change.text}" is not a date (write e.g. 2026-12-11, Fri 11th Dec 2026 12:00, fri)` };
    r = await tw.modify(uuid, [`due:${twDate(d)}`]);
  }
  return r.ok ? { ok: true } : { ok: false, message: `task modify failed: ${r.error.message}` };
}
