/**
 * The journal: the plan of a sync that writes both sides, on disk while it writes. A sync
 * killed between Taskwarrior's import and the notes' rename is finished by the next one, which
 * replays the journal first:
 * - the import again, only where undo.data shows it did not happen (re-importing a version
 *   Taskwarrior already has would revert what a `task` changed since the crash);
 * - each note's text, if every journaled note is still what the killed sync read;
 * - else, in each note: only the id comments of the tasks the killed sync created, on their
 *   line (`tieIds`): the same line word for word, else the line an edit made of it, else (for
 *   a task nobody changed since) a new line no other created task claims. Deleting the task
 *   of an edited line and letting the next sync create another left two tasks for one line in
 *   `task all`, one of them deleted (seed 500117).
 * - the tasks so tied get the state the killed sync would have recorded (its base, in the
 *   journal), so the next sync merges the edit three-way: what the note changed since wins
 *   whatever the clocks say, and so does what a `task` changed.
 * A created task left on no line (its line removed, no new line left for it), and that nobody
 * changed in Taskwarrior either, is deleted (logged): there is one task per line, never a
 * second one on no line.
 * Before any of it, the killed sync's own `task import` (its own process group, so it outlives
 * the sync) is waited for: finishing first and letting it write after would undo the replay.
 *
 * A sync that finished its import but left a note unwritten because the user edited it
 * meanwhile (commit.ts) leaves a journal too, marked `imported`, of that note's created tasks
 * only: the next sync ties their ids into the note as it is then (the same word-for-word match
 * as above), never writes the journaled text, and imports nothing.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from './fsutil.js';
import { appendLog, type LogEntry } from './log.js';
import { DEFAULT_PRIORITIES, fromTw, type Fields } from './mapping.js';
import type { Store, TaskState } from './store.js';
import { twDate, type Taskwarrior, type TwTask } from './taskwarrior.js';
import { canon, readUndoTailSync, storedVersions } from './undo.js';
import { hashText, walkNorgFiles } from './workspace.js';
import { tieIds } from './journaltie.js';

export interface Journal {
  imports: TwTask[];
  notes: { file: string; beforeHash: string; after: string }[];
  log: LogEntry[];
  /** undo.data's size before the import (absent in journals of earlier versions). */
  undoFrom?: number;
  /** The tasks the import creates, with the note and the short id their line gets. */
  created?: Created[];
  /**
   * The import is done and these notes were edited while it ran (a finished sync's journal):
   * nothing is imported again, and a note only gets its created tasks' ids, even where it holds
   * its journaled `before` again (its journaled text may be the source of a move into the
   * edited note: written in full, it would cut a block the other note never got).
   */
  imported?: boolean;
}

export interface Created {
  uuid: string;
  file: string;
  id: string;
  /** The state the killed sync would have recorded for it (absent in earlier journals). */
  base?: Fields;
  dueText?: string | null;
  scheduledText?: string | null;
}

/** The journal's text from import lines already serialised for `task` (each one once). */
export function journalText(importLines: string[], rest: Omit<Journal, 'imports'>): string {
  const imported = rest.imported ? ',"imported":true' : '';
  return `{"imports":[${importLines.join(',')}],"notes":${JSON.stringify(rest.notes)},"log":${JSON.stringify(rest.log)},"undoFrom":${JSON.stringify(rest.undoFrom ?? null)},"created":${JSON.stringify(rest.created ?? [])}${imported}}`;
}

export async function writeJournal(store: Store, text: string): Promise<void> {
  await writeAtomic(store.journalPath(), text, true);
}

export async function dropJournal(store: Store): Promise<void> {
  await unlink(store.journalPath()).catch(() => {});
  await unlink(importerPath(store)).catch(() => {});
}

/**
 * The journal of a sync whose import ended, replaced by `text` (an `imported` one): its
 * importer's pid goes, or the next sync would wait for whatever process reuses it.
 */
export async function keepJournal(store: Store, text: string): Promise<void> {
  await writeJournal(store, text);
  await unlink(importerPath(store)).catch(() => {});
}

const importerPath = (store: Store) => join(store.dir, 'importing.pid');

/** The pid of the `task import` a journaled sync feeds (no fsync: only a replay reads it). */
export function recordImporter(store: Store, pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    writeFileSync(importerPath(store), String(pid));
  } catch {
    // Without it a replay does not wait; the harness found that race only after a SIGKILL.
  }
}

/** Wait (up to `limitMs`) for the import a killed sync started to end. */
async function importerGone(store: Store, limitMs = 30_000): Promise<boolean> {
  let pid: number;
  try {
    pid = Number(readFileSync(importerPath(store), 'utf8'));
  } catch {
    return true;
  }
  const deadline = Date.now() + limitMs;
  while (Number.isInteger(pid) && pid > 0 && isImporter(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  try {
    unlinkSync(importerPath(store));
  } catch {
    // gone already
  }
  return true;
}

function isImporter(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A pid reused by another program is not waited for (Linux: its command line tells).
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('import');
  } catch {
    return true;
  }
}

type Replay = { ok: boolean; message: string };

/** Finish an interrupted sync; null when there was none. A garbled journal is named and dropped. */
export async function replayJournal(workspace: string, store: Store, tw: Taskwarrior): Promise<Replay | null> {
  const j = await readJournal(store);
  if (j === null || 'message' in j) return j;
  if (!(await importerGone(store))) return { ok: false, message: 'the `task import` of an interrupted sync is still running; try again once it has ended' };
  const missing = j.imported ? [] : notImported(tw.dataDir(), j);
  if (missing.length > 0) {
    const imp = await tw.import(missing);
    if (!imp.ok) return { ok: false, message: `an interrupted sync could not be finished: ${imp.error.message}` };
  }
  // The created tasks as Taskwarrior holds them now, and which of them nobody changed since.
  const stored = storedVersions(
    tw.dataDir(),
    (j.created ?? []).map((c) => c.uuid),
  );
  const journaled = new Map(j.imports.map((t) => [t.uuid, t]));
  const unchanged = (u: string) => stored.has(u) && journaled.has(u) && canon(stored.get(u)!) === canon(journaled.get(u)!);
  // One note edited since, and no note gets its journaled text: the journal does not say which
  // notes a move links, and a block cut from an unedited note written in full, bound for an
  // edited one that only gets ids, was in neither (the moved line, then its task, lost). Tied
  // only, every note holds what it held; the sync that follows this replay merges the rest.
  const tieOnly = !!j.imported || !(await allIntact(workspace, j.notes));
  const untied: string[] = [];
  const tied: Created[] = [];
  for (const n of j.notes) {
    const mine = (j.created ?? []).filter((c) => c.file === n.file);
    const off = new Set(await finishNote(workspace, n, mine, tieOnly, unchanged));
    untied.push(...off);
    tied.push(...mine.filter((c) => !off.has(c.uuid)));
  }
  const moved = await tieMoved(workspace, j, untied, unchanged);
  tied.push(...moved);
  untied.splice(0, untied.length, ...untied.filter((u) => !moved.some((c) => c.uuid === u)));
  const dropped = await dropUntied(tw, j, untied.filter(unchanged), stored);
  if ('message' in dropped && !dropped.ok) return dropped;
  const index = await store.index();
  for (const u of await recordTied(store, tied, stored)) index.where[u] = tied.find((c) => c.uuid === u)!.file;
  await appendLog(store.logPath(), [...(j.log ?? []), ...('entries' in dropped ? dropped.entries : [])]);
  // Taskwarrior and the notes hold the journaled values now; forget the stamp and these notes'
  // fingerprints so the next sync compares them (equal values: nothing to do, nothing lost).
  index.stamp = null;
  for (const f of new Set([...j.notes.map((n) => n.file), ...moved.map((c) => c.file)])) delete index.notes[f];
  await store.saveIndex(index);
  await dropJournal(store);
  if (j.imported) {
    const tied = (j.created ?? []).length - untied.length;
    return {
      ok: true,
      message: `wrote the ids of ${tied} task(s) created while their note was edited during the last sync${untied.length > 0 ? `; ${untied.length} whose line changed count as new` : ''}`,
    };
  }
  return { ok: true, message: 'finished a sync that had been interrupted' };
}

async function readJournal(store: Store): Promise<Journal | Replay | null> {
  let text: string;
  try {
    text = await readFile(store.journalPath(), 'utf8');
  } catch {
    return null;
  }
  try {
    const j = JSON.parse(text) as Journal;
    if (!Array.isArray(j.imports) || !Array.isArray(j.notes)) throw new Error('shape');
    if (j.created !== undefined && !Array.isArray(j.created)) throw new Error('shape');
    return j;
  } catch {
    // Half written (a crash while writing it, before anything else was): nothing was applied.
    await dropJournal(store);
    return { ok: true, message: `${store.journalPath()} could not be read and was dropped; nothing it described had been written` };
  }
}

/** The journaled versions undo.data does not show written since `undoFrom` (all, without it). */
function notImported(dataDir: string, j: Journal): TwTask[] {
  if (typeof j.undoFrom !== 'number') return j.imports;
  const tail = readUndoTailSync(dataDir, j.undoFrom);
  if (!tail) return j.imports;
  const written = new Set(tail.transactions.map((x) => canon(x.new)));
  return j.imports.filter((t) => !written.has(canon(t)));
}

/** Whether every journaled note still holds the text the journaling sync read. */
async function allIntact(workspace: string, notes: Journal['notes']): Promise<boolean> {
  for (const n of notes) {
    const now = await readFile(join(workspace, n.file), 'utf8').catch(() => null);
    if (now === null || hashText(now) !== n.beforeHash) return false;
  }
  return true;
}

/**
 * Write a note's journaled text, or into an edited note (any note, `tieOnly`) its created
 * tasks' ids; the untied.
 */
async function finishNote(
  workspace: string,
  n: Journal['notes'][number],
  created: Created[],
  tieOnly: boolean,
  unchanged: (uuid: string) => boolean,
): Promise<string[]> {
  return tieInto(join(workspace, n.file), created, (now) =>
    !tieOnly && hashText(now) === n.beforeHash ? { text: n.after, untied: [] } : tieIds(now, n.after, created, unchanged),
  );
}

/**
 * Created tasks whose line left its journaled note before the replay, found in another note: a
 * line cut there and pasted into another (or moved by the sync's own pull) keeps its task, by its
 * text or, one line of a kind, its description (journaltie's rules that do not pair lines by
 * place). Untied, the moved line got a second task beside the first, which stayed in
 * Taskwarrior once changed there (harness seed 1337).
 */
async function tieMoved(workspace: string, j: Journal, untied: string[], unchanged: (uuid: string) => boolean): Promise<Created[]> {
  let left = (j.created ?? []).filter((c) => untied.includes(c.uuid));
  if (left.length === 0) return [];
  const out: Created[] = [];
  for (const file of walkNorgFiles(workspace)) {
    for (const n of j.notes) {
      const mine = left.filter((c) => c.file === n.file && n.file !== file);
      if (mine.length === 0) continue;
      const off = new Set(await tieInto(join(workspace, file), mine, (now) => tieIds(now, n.after, mine, unchanged, { across: true })));
      const got = mine.filter((c) => !off.has(c.uuid));
      out.push(...got.map((c) => ({ ...c, file })));
      left = left.filter((c) => !got.includes(c));
    }
  }
  return out;
}

/** Write what `tie` makes of a note's text; the created tasks it left untied. */
async function tieInto(abs: string, created: Created[], tie: (now: string) => { text: string; untied: string[] }): Promise<string[]> {
  for (let tries = 0; ; tries++) {
    const now = await readFile(abs, 'utf8').catch(() => null);
    if (now === null) return created.map((c) => c.uuid);
    const { text, untied } = tie(now);
    if (text === now) return untied;
    // The note is being edited (it was during the sync that journaled it): the ids go into the
    // text they were matched in, never over a write that came after it. Still moving after a
    // few reads, the note's ids are left untied: its lines count as new (one task each).
    const again = await readFile(abs, 'utf8').catch(() => null);
    if (again === now) {
      await writeAtomic(abs, text, true);
      return untied;
    }
    if (tries >= 2) return created.filter((c) => !(again ?? '').includes(`%#${c.id}%`)).map((c) => c.uuid);
  }
}

/**
 * The tied created tasks' state, as the killed sync would have recorded it (from the journal),
 * into their note's shard, with Taskwarrior's version as the cache: the next sync merges each
 * line against the version the killed sync created, so an edit made since counts as the note's
 * change. Without it the line and the task both look changed and the newer wins: an edit made
 * in the second of the killed sync's import, or under a clock behind Taskwarrior's, lost to the
 * task. The uuids recorded; none when a state file could not be read (the sync rebuilds those
 * as on a first sync, and a patched one would hide that).
 */
async function recordTied(store: Store, tied: Created[], stored: Map<string, TwTask>): Promise<string[]> {
  const known = tied.filter((c) => isFields(c.base));
  if (known.length === 0 || store.unreadable.length > 0) return [];
  const out: string[] = [];
  for (const file of new Set(known.map((c) => c.file))) {
    const shard = await store.shard(file);
    if (store.unreadable.includes(store.shardPath(file))) continue;
    let changed = false;
    for (const c of known) {
      // Not in the data files (purged since): no state, the sync reports the line's task gone.
      const t = stored.get(c.uuid);
      if (c.file !== file || !t) continue;
      const st: TaskState = { uuid: c.uuid, id: c.id, file, base: c.base!, dueText: c.dueText ?? null, scheduledText: c.scheduledText ?? null };
      shard.tasks[c.uuid] = st;
      shard.cache[c.uuid] = t;
      out.push(c.uuid);
      changed = true;
    }
    if (changed) await store.saveShardText(file, JSON.stringify(shard));
  }
  return out;
}

function isFields(b: unknown): b is Fields {
  if (typeof b !== 'object' || b === null) return false;
  const f = b as Partial<Fields>;
  return typeof f.description === 'string' && typeof f.status === 'string' && Array.isArray(f.tags) && Array.isArray(f.depends);
}

/** Delete the untied created tasks nobody changed in Taskwarrior since (a changed one stays). */
async function dropUntied(tw: Taskwarrior, j: Journal, drop: string[], stored: Map<string, TwTask>): Promise<Replay | { entries: LogEntry[] }> {
  if (drop.length === 0) return { entries: [] };
  const time = twDate(new Date());
  const r = await tw.import(drop.map((u) => ({ ...stored.get(u)!, status: 'deleted', end: time })));
  if (!r.ok) return { ok: false, message: `an interrupted sync could not be finished: ${r.error.message}` };
  const file = (u: string) => (j.created ?? []).find((c) => c.uuid === u);
  const entries: LogEntry[] = drop.map((u) => ({
    time: new Date().toISOString(),
    uuid: u,
    id: file(u)?.id ?? '',
    side: 'taskwarrior',
    action: 'delete',
    fields: {},
    version: fromTw(stored.get(u)!, DEFAULT_PRIORITIES),
    file: file(u)?.file,
    note: 'created by a sync that was interrupted; its line was removed (or rewritten past recognition, the line then counting as new) before its id was written',
  }));
  return { entries };
}
