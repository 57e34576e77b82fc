/**
 * The sync engine: notes and Taskwarrior, three-way per field against the last synced base.
 *
 * - A field changed on one side only takes that side; changed on both to different values,
 *   the newer change wins (Taskwarrior's `modified` against the note file's edit time) and the
 *   losing value goes to the activity log with its whole version. Every value a sync
 *   overwrites, conflict or not, is logged, so nothing is unrecoverable.
 * - Our own pushes are not taken for remote edits: the base stores what we pushed and
 *   comparison is by value, not by `modified`.
 * - Process budget on Taskwarrior 2.6: nothing changed (same database stamp, same note hashes)
 *   starts no process; a note change needs one `import` and no `export` while the database
 *   stamp is unchanged (the last export is cached in the state); any sync is at most one
 *   `export` and one `import`.
 * - Crash-safe: the plan (tasks to import, notes to write, the next state) is journaled before
 *   anything is written; a sync that finds a journal replays it first. Import is by uuid with
 *   full tasks, so replaying it duplicates nothing.
 * - Concurrency: a lock serialises Planager's writers across processes; an outside `task`
 *   write between our export and import is caught by the stamp and the sync re-plans.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { applyChanges, patchFile, propagateStatuses, WorkspaceGraph, type TaskEdit, type TaskObject } from '../graph/index.js';
import { decodeUtf8, type TaskStatus } from '../parser/index.js';
import { formatDate, matchesText, resolveText } from './dates.js';
import { readJson, writeAtomic } from './fsutil.js';
import { acquireLock } from './lock.js';
import { appendLog, type LogEntry } from './log.js';
import { DEFAULT_PRIORITIES, FIELD_NAMES, fromTw, sameValue, toTw, type Fields, type PriorityMap } from './mapping.js';
import type { Taskwarrior, TwError, TwTask } from './taskwarrior.js';
import { readUndoTail, lostUpdates } from './undo.js';
import { hashText, listNorgFiles } from './workspace.js';

export interface SyncOptions {
  /** Absolute path of the workspace folder. */
  workspace: string;
  tw: Taskwarrior;
  /** Limit the note side to these workspace-relative files (pull/push of one file). */
  files?: string[];
  /** Folder for state, journal, log and backups (default `<workspace>/.planager`). */
  stateDir?: string;
  direction?: 'both' | 'pull' | 'push';
  dryRun?: boolean;
  force?: boolean;
  /** Share of touched tasks a sync may delete or complete before it stops and asks. */
  bulkShare?: number;
  /** …and it never stops for fewer than this many. */
  bulkMin?: number;
  /** Workspace-relative file for Taskwarrior tasks whose project matches no note (null: leave them). */
  inbox?: string | null;
  propagate?: boolean;
  priorities?: PriorityMap;
  now?: () => Date;
  /**
   * Called with the planned note changes before anything is written (journal, Taskwarrior,
   * state). An editor applies them to its open buffers here; returning false (a buffer changed
   * meanwhile) abandons the sync with nothing written, to be run again.
   */
  applyNotes?: (changes: NoteChange[]) => Promise<boolean>;
  /** Text to use instead of the file on disk (an open, modified buffer), by relative path. */
  texts?: Map<string, { text: string; mtime: number }>;
  /** Write planned note changes to disk (default true); a function decides per file (the
   * Neovim host patches open buffers itself and lets the engine write the others). */
  writeNotes?: boolean | ((file: string) => boolean);
}

export interface NoteChange {
  file: string;
  before: string;
  after: string;
  edits: TaskEdit[];
}

export interface Conflict {
  uuid: string;
  id: string;
  field: keyof Fields;
  note: unknown;
  taskwarrior: unknown;
  winner: 'note' | 'taskwarrior';
}

export interface SyncReport {
  ok: boolean;
  /** 0 success, 1 stopped to ask (bulk guard), 2 error. */
  code: 0 | 1 | 2;
  error?: { code: string; message: string };
  notes: { file: string; edits: number }[];
  taskwarrior: { created: string[]; updated: string[]; deleted: string[] };
  conflicts: Conflict[];
  warnings: string[];
  /** `task` processes this sync started. */
  processes: number;
  dryRun: boolean;
  changed: boolean;
  /** Note changes (for the host to apply to open buffers). */
  noteChanges: NoteChange[];
}

export interface TaskState {
  uuid: string;
  id: string;
  file: string;
  base: Fields;
  /** The date texts as the note had them at the last sync. */
  dueText: string | null;
  scheduledText: string | null;
  /**
   * When we last imported this task (ms, whole second). Taskwarrior 2.6 writers do not
   * serialise: an outside `task` that loaded the file before our import can write the old
   * version back after it. Such a version has a `modified` older than this, so it is taken
   * for what it is (stale) and our values are sent again, instead of being pulled as an edit.
   */
  pushedAt?: number;
}

export interface SyncState {
  version: 1;
  stamp: string | null;
  notes: Record<string, string>;
  tasks: Record<string, TaskState>;
  /** Full Taskwarrior tasks as of `stamp` (import replaces whole tasks; no export needed). */
  cache: Record<string, TwTask>;
  /** Bytes of undo.data already checked for lost updates (undo.ts). */
  undoSize?: number;
}

interface Journal {
  imports: TwTask[];
  notes: { file: string; beforeHash: string; after: string }[];
  state: SyncState;
  log: LogEntry[];
}

const EMPTY_STATE = (): SyncState => ({ version: 1, stamp: null, notes: {}, tasks: {}, cache: {} });

export function stateDirOf(opts: Pick<SyncOptions, 'workspace' | 'stateDir'>): string {
  return opts.stateDir ?? join(opts.workspace, '.planager');
}

export async function loadState(dir: string): Promise<SyncState> {
  const s = await readJson<SyncState>(join(dir, 'state.json'));
  return s && s.version === 1 ? s : EMPTY_STATE();
}

function emptyReport(dryRun: boolean): SyncReport {
  return { ok: true, code: 0, notes: [], taskwarrior: { created: [], updated: [], deleted: [] }, conflicts: [], warnings: [], processes: 0, dryRun, changed: false, noteChanges: [] };
}

function fail(r: SyncReport, code: string, message: string, exit: 1 | 2 = 2): SyncReport {
  return { ...r, ok: false, code: exit, error: { code, message } };
}

/** A version-4-shaped uuid whose hex digits start with `id`. */
export function uuidFromId(id: string): string {
  let hex = id.toLowerCase().replace(/[^0-9a-f]/g, '').slice(0, 32);
  hex += randomUUID().replace(/-/g, '').slice(hex.length);
  const h = hex.split('');
  if (id.length <= 12) h[12] = '4';
  if (id.length <= 16) h[16] = '89ab'[parseInt(h[16], 16) & 3];
  const x = h.join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Short id: the uuid's first 8 hex digits, longer while another uuid shares the prefix. */
export function shortId(uuid: string, others: Iterable<string>): string {
  const hex = uuid.replace(/-/g, '');
  const list = [...others].map((u) => u.replace(/-/g, '')).filter((u) => u !== hex);
  for (let n = 8; n < 32; n++) {
    const p = hex.slice(0, n);
    if (!list.some((u) => u.startsWith(p))) return p;
  }
  return hex;
}

interface NoteFile {
  file: string;
  text: string;
  mtime: number;
  hash: string;
}

async function readNotes(opts: SyncOptions, warnings: string[]): Promise<NoteFile[] | { error: string }> {
  const all = opts.files ?? (await listNorgFiles(opts.workspace, [stateDirOf(opts)]));
  const out: NoteFile[] = [];
  for (const file of all) {
    const given = opts.texts?.get(file);
    if (given) {
      out.push({ file, text: given.text, mtime: given.mtime, hash: hashText(given.text) });
      continue;
    }
    const abs = join(opts.workspace, file);
    let bytes: Buffer;
    let mtime: number;
    try {
      bytes = await readFile(abs);
      mtime = (await stat(abs)).mtimeMs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && opts.files) {
        out.push({ file, text: '', mtime: 0, hash: hashText('') });
        continue;
      }
      return { error: `${file}: ${(e as Error).message}` };
    }
    const d = decodeUtf8(bytes);
    if (!d.ok) {
      // Never rewrite a file we cannot decode; leave it and its tasks alone.
      warnings.push(`${file}: not valid UTF-8 (byte ${d.byteOffset}); skipped and left as it is`);
      continue;
    }
    out.push({ file, text: d.text, mtime, hash: hashText(d.text) });
  }
  return out;
}

/** One full sync. Never throws for expected failures: the report says what happened. */
export async function sync(opts: SyncOptions): Promise<SyncReport> {
  const dir = stateDirOf(opts);
  const report = emptyReport(!!opts.dryRun);
  const calls0 = opts.tw.calls;
  const locked = opts.dryRun ? null : await acquireLock(dir);
  if (locked && !locked.ok) return fail(report, locked.code, locked.message);
  try {
    if (!opts.dryRun) {
      const replay = await replayJournal(opts, dir);
      if (replay) {
        report.warnings.push(replay.message);
        if (!replay.ok) return fail(report, 'journal-replay-failed', replay.message);
      }
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await attemptSync(opts, dir, emptyReport(!!opts.dryRun));
      if (r === 'retry') continue;
      r.processes = opts.tw.calls - calls0;
      r.warnings.unshift(...report.warnings);
      return r;
    }
    return fail({ ...report, processes: opts.tw.calls - calls0 }, 'busy', 'Taskwarrior kept changing while syncing; try again');
  } finally {
    if (locked && locked.ok) await locked.lock.release();
  }
}

async function replayJournal(opts: SyncOptions, dir: string): Promise<{ ok: boolean; message: string } | null> {
  const path = join(dir, 'journal.json');
  const j = await readJson<Journal>(path);
  if (!j) return null;
  const imp = await opts.tw.import(j.imports);
  if (!imp.ok) return { ok: false, message: `an interrupted sync could not be finished: ${imp.error.message}` };
  for (const n of j.notes) {
    const abs = join(opts.workspace, n.file);
    const now = await readFile(abs, 'utf8').catch(() => '');
    // Only if the note is still what the interrupted sync read; otherwise the normal sync
    // that follows merges the user's newer text.
    if (hashText(now) === n.beforeHash) await writeAtomic(abs, n.after);
  }
  await appendLog(join(dir, 'activity.jsonl'), j.log.filter((e) => !e.note?.includes('replayed')));
  j.state.stamp = null; // re-read Taskwarrior after the replayed import
  await writeAtomic(join(dir, 'state.json'), JSON.stringify(j.state));
  await unlink(path).catch(() => {});
  return { ok: true, message: 'finished a sync that had been interrupted' };
}

async function attemptSync(opts: SyncOptions, dir: string, report: SyncReport): Promise<SyncReport | 'retry'> {
  const now = opts.now?.() ?? new Date();
  const direction = opts.direction ?? 'both';
  const priorities = opts.priorities ?? DEFAULT_PRIORITIES;
  const state = await loadState(dir);
  const notesRead = await readNotes(opts, report.warnings);
  if ('error' in notesRead) return fail(report, 'read-failed', notesRead.error);
  const notes = notesRead;

  // Zero processes when nothing changed on either side.
  const stamp = await opts.tw.stamp();
  const notesSame = notes.every((n) => state.notes[n.file] === n.hash) && (opts.files !== undefined || Object.keys(state.notes).every((f) => notes.some((n) => n.file === f)));
  if (stamp === state.stamp && notesSame) return report;

  let twTasks: TwTask[];
  let exported = false;
  let seen = stamp;
  if (stamp === state.stamp && state.stamp !== null) twTasks = Object.values(state.cache);
  else {
    const e = await opts.tw.export();
    if (!e.ok) return twFail(report, e.error);
    twTasks = e.value;
    exported = true;
    // The first call on a new database creates its files: compare later writes to this.
    seen = await opts.tw.stamp();
  }
  const twByUuid = new Map(twTasks.map((t) => [t.uuid, t]));
  // Versions a concurrent `task` process overwrote are brought back from undo.data.
  let undoSize = state.undoSize ?? 0;
  const repairs: TwTask[] = [];
  if (exported) {
    const tail = await readUndoTail(opts.tw.dataDir(), state.undoSize ?? Number.MAX_SAFE_INTEGER);
    if (state.undoSize !== undefined) {
      for (const t of lostUpdates(twByUuid, tail.latest)) {
        repairs.push(t);
        twByUuid.set(t.uuid, t);
      }
      if (repairs.length > 0) {
        twTasks = [...twByUuid.values()];
        report.warnings.push(`repaired ${repairs.length} task(s) that a concurrent \`task\` process had overwritten (from undo.data)`);
      }
    }
    undoSize = tail.size;
  }

  const graph = new WorkspaceGraph({ propagate: false });
  for (const n of notes) graph.setFile(n.file, n.text);
  const noteMtime = new Map(notes.map((n) => [n.file, n.mtime]));

  // Identity: note id → uuid (state first, then a unique uuid prefix in Taskwarrior).
  const idToUuid = new Map<string, string>();
  for (const t of Object.values(state.tasks)) idToUuid.set(t.id, t.uuid);
  const allUuids = new Set([...twByUuid.keys(), ...Object.keys(state.tasks)]);
  const uuidOfId = (id: string): string | null => {
    const known = idToUuid.get(id);
    if (known) return known;
    const matches = [...allUuids].filter((u) => u.replace(/-/g, '').startsWith(id));
    return matches.length === 1 ? matches[0] : null;
  };

  const keyToUuid = new Map<string, string>();
  const newKeys: TaskObject[] = [];
  for (const n of notes) {
    for (const t of graph.objects(n.file)!.tasks) {
      if (t.id) {
        // An id the state never knew (written by the editor before its first push, or a
        // state folder that was lost) is a new task, with a uuid that starts with the id.
        const u = uuidOfId(t.id) ?? uuidFromId(t.id);
        keyToUuid.set(t.key, u);
        allUuids.add(u);
      } else newKeys.push(t);
    }
  }
  for (const t of newKeys) {
    const u = randomUUID();
    allUuids.add(u);
    keyToUuid.set(t.key, u);
  }
  for (const d of notes.flatMap((n) => graph.objects(n.file)!.duplicateIds)) report.warnings.push(`duplicate task id ${d.id} (line ${d.line}): the copy gets a new id; the first line (line ${d.keptAt}) keeps it`);

  // Merge every task that is in the notes.
  interface Merge {
    uuid: string;
    id: string;
    obj: TaskObject | null;
    note: Fields | null;
    base: Fields | null;
    tw: TwTask | null;
    twf: Fields | null;
    /** What the note should say after this sync. */
    merged: Fields;
    /** What Taskwarrior should hold (differs from `merged` only for deferred fields). */
    forTw: Fields;
    /** The base to record: a deferred field keeps its old base, so the other direction sends it later. */
    newBase: Fields;
    isNew: boolean;
  }
  const merges = new Map<string, Merge>();
  const log: LogEntry[] = [];
  const inScope = (file: string) => !opts.files || opts.files.includes(file);

  const noteFields = (t: TaskObject, st: TaskState | undefined, twf: Fields | null): Fields => {
    const date = (text: string | null, baseText: string | null | undefined, baseIso: string | null | undefined): string | null => {
      if (text === null) return null;
      if (baseIso && (text === baseText || matchesText(text, new Date(baseIso)))) return baseIso;
      if (!st && twf) {
        const k = twf.due !== null && matchesText(text, new Date(twf.due)) ? twf.due : null;
        if (k) return k;
      }
      const r = resolveText(text, now);
      if (!r) {
        report.warnings.push(`${t.file}:${t.line}: cannot read the date "${text}"; Taskwarrior keeps its value`);
        return baseIso ?? null;
      }
      return r.toISOString();
    };
    const deps = graph
      .dependencies(t.key)
      .map((k) => keyToUuid.get(k))
      .filter((u): u is string => !!u)
      .sort();
    return {
      description: t.description,
      status: t.status,
      priority: t.priority,
      due: date(t.due, st?.dueText, st?.base.due),
      scheduled: date(t.start, st?.scheduledText, st?.base.scheduled),
      tags: [...t.tags].sort(),
      project: t.project || null,
      depends: deps,
      recurrence: t.recurrence,
    };
  };

  for (const n of notes) {
    for (const t of graph.objects(n.file)!.tasks) {
      const uuid = keyToUuid.get(t.key);
      if (!uuid) continue;
      const st = state.tasks[uuid];
      const tw = twByUuid.get(uuid) ?? null;
      const isNew = !tw && !st;
      if (!isNew && !tw) {
        report.warnings.push(`${t.file}:${t.line}: task ${t.id} is gone from Taskwarrior (purged?); the line is kept and the task is not re-created`);
        continue;
      }
      const twf = tw ? fromTw(tw, priorities) : null;
      const note = noteFields(t, st, twf);
      const base = st?.base ?? null;
      const merged: Fields = { ...note };
      const forTw: Fields = { ...note };
      const newBase: Fields = { ...note };
      const set = (f: keyof Fields, target: Record<string, unknown>, v: unknown) => (target[f] = v);
      if (twf) {
        const noteTime = noteMtime.get(t.file) ?? 0;
        const twTime = tw?.modified ? (parseTwTime(tw.modified) ?? 0) : 0;
        const stale = !!st?.pushedAt && twTime < st.pushedAt;
        if (stale) report.warnings.push(`task ${t.id} in Taskwarrior is older than Planager's last write (a concurrent \`task\` wrote an old copy back); sending it again`);
        for (const f of FIELD_NAMES) {
          const nv = note[f];
          const tv = twf[f];
          if (sameValue(nv, tv)) continue;
          const bv = base ? base[f] : undefined;
          const nChanged = base ? !sameValue(nv, bv) : true;
          const tChanged = base ? !stale && !sameValue(tv, bv) : true;
          let take: 'note' | 'taskwarrior';
          if (f === 'depends') {
            // Structure decides: the note's subtasks and links, plus what Taskwarrior added.
            const added = (tv as string[]).filter((x) => !(base?.depends ?? []).includes(x));
            const v = [...new Set([...(nv as string[]), ...added])].sort();
            for (const target of [merged, forTw, newBase]) set(f, target as never, v);
            continue;
          }
          if (nChanged && !tChanged) take = 'note';
          else if (tChanged && !nChanged) take = 'taskwarrior';
          else {
            take = twTime > noteTime ? 'taskwarrior' : 'note';
            report.conflicts.push({ uuid, id: t.id ?? '', field: f, note: nv, taskwarrior: tv, winner: take });
          }
          if (f === 'project' && take === 'taskwarrior' && !projectHome(graph, notes, tv as string | null)) take = 'note';
          // One-direction syncs defer the other direction's winner: neither side is
          // overwritten and the old base stays, so the next sync the other way sends it.
          if ((direction === 'pull' && take === 'note') || (direction === 'push' && take === 'taskwarrior')) {
            set(f, merged as never, nv);
            set(f, forTw as never, tv);
            set(f, newBase as never, base ? bv : direction === 'pull' ? tv : nv);
            continue;
          }
          const v = take === 'note' ? nv : tv;
          for (const target of [merged, forTw, newBase]) set(f, target as never, v);
        }
      }
      merges.set(uuid, { uuid, id: t.id ?? shortId(uuid, allUuids), obj: t, note, base, tw, twf, merged, forTw, newBase, isNew });
    }
  }

  // Derived statuses: a parent whose children changed takes the status they imply.
  if (opts.propagate ?? true) {
    const changed = [...merges.values()].filter((m) => m.obj && (!m.base || m.base.status !== m.merged.status || m.note?.status !== m.merged.status)).map((m) => m.obj!.key);
    const derived = propagateStatuses(graph, changed, (k) => merges.get(keyToUuid.get(k) ?? '')?.merged.status ?? graph.tasks.get(k)?.status);
    for (const [k, st] of derived) {
      const pm = merges.get(keyToUuid.get(k) ?? '');
      if (!pm) continue;
      pm.merged.status = st;
      // A pull leaves Taskwarrior alone: the derived status goes there with the next push.
      if (direction !== 'pull') pm.forTw.status = pm.newBase.status = st;
    }
  }

  // Tasks the notes no longer have: the line was removed (or the file was).
  const deletions: { uuid: string; st: TaskState; tw: TwTask }[] = [];
  for (const st of Object.values(state.tasks)) {
    if (merges.has(st.uuid) || !inScope(st.file)) continue;
    const stillNoted = [...keyToUuid.values()].includes(st.uuid);
    if (stillNoted) continue;
    const tw = twByUuid.get(st.uuid);
    if (tw && tw.status !== 'deleted' && direction !== 'pull') deletions.push({ uuid: st.uuid, st, tw });
  }

  // Taskwarrior tasks that belong in a note: new, pending, and with a project a note holds.
  const additions: { file: string; path: string[]; tw: TwTask; uuid: string; id: string }[] = [];
  if (direction !== 'push') {
    for (const tw of twTasks) {
      if (state.tasks[tw.uuid] || merges.has(tw.uuid) || [...keyToUuid.values()].includes(tw.uuid)) continue;
      if (tw.status !== 'pending' && tw.status !== 'waiting') continue;
      const home = projectHome(graph, notes, tw.project ?? null) ?? (opts.inbox && inScope(opts.inbox) ? { file: opts.inbox, path: [] } : null);
      if (!home || !inScope(home.file)) continue;
      additions.push({ ...home, tw, uuid: tw.uuid, id: shortId(tw.uuid, allUuids) });
    }
  }

  // Build the two sides' writes.
  const imports: TwTask[] = [];
  const edits = new Map<string, TaskEdit[]>();
  const addEdit = (file: string, e: TaskEdit) => {
    const l = edits.get(file) ?? [];
    l.push(e);
    edits.set(file, l);
  };
  const newState: SyncState = { version: 1, stamp: null, notes: { ...state.notes }, tasks: {}, cache: {} };
  const st0 = (uuid: string): TaskState | undefined => state.tasks[uuid];
  for (const st of Object.values(state.tasks)) if (!inScope(st.file)) newState.tasks[st.uuid] = st;
  let bulk = 0;

  for (const m of merges.values()) {
    const t = m.obj!;
    const mergedTw = toTw(m.forTw, m.tw, m.uuid, now, priorities);
    const twChanged = !m.twf || FIELD_NAMES.some((f) => !sameValue(m.forTw[f], m.twf![f])) || (m.forTw.status === 'pending' && !m.tw?.start);
    if (twChanged && direction !== 'pull') {
      imports.push(mergedTw);
      if (m.isNew) report.taskwarrior.created.push(m.uuid);
      else report.taskwarrior.updated.push(m.uuid);
      if (m.twf) {
        const lost = diffFields(m.twf, m.forTw);
        if (Object.keys(lost).length > 0) log.push({ time: now.toISOString(), uuid: m.uuid, id: m.id, side: 'taskwarrior', action: report.conflicts.some((c) => c.uuid === m.uuid && c.winner === 'note') ? 'conflict' : 'overwrite', fields: lost, version: m.twf, file: t.file });
      }
      if ((m.forTw.status === 'done' || m.forTw.status === 'cancelled') && m.twf?.status !== m.forTw.status) bulk++;
    }
    // The note side: fields that differ from what the line says.
    const e: Extract<TaskEdit, { op: 'set' }> = { op: 'set', key: t.key };
    let noteChanged = false;
    if (m.isNew) {
      e.id = m.id;
      noteChanged = true;
    }
    const n = m.note!;
    if (m.merged.status !== n.status) (e.status = m.merged.status), (noteChanged = true);
    if (m.merged.recurrence !== n.recurrence) (e.recurrence = m.merged.recurrence), (noteChanged = true);
    if (m.merged.description !== n.description) (e.description = m.merged.description), (noteChanged = true);
    if (m.merged.priority !== n.priority) (e.priority = m.merged.priority), (noteChanged = true);
    let dueText = t.due;
    let schedText = t.start;
    if (m.merged.due !== n.due) {
      dueText = m.merged.due ? (t.due && matchesText(t.due, new Date(m.merged.due)) ? t.due : formatDate(new Date(m.merged.due), t.due, now)) : null;
      if (dueText !== t.due) (e.due = dueText), (noteChanged = true);
    }
    if (m.merged.scheduled !== n.scheduled) {
      schedText = m.merged.scheduled ? (t.start && matchesText(t.start, new Date(m.merged.scheduled)) ? t.start : formatDate(new Date(m.merged.scheduled), t.start, now)) : null;
      if (schedText !== t.start) (e.start = schedText), (noteChanged = true);
    }
    if (!sameValue(m.merged.tags, n.tags)) {
      const extra = m.merged.tags.filter((x) => !n.tags.includes(x));
      if (extra.length > 0) (e.tags = m.merged.tags), (noteChanged = true);
      // Tags the note does not have any more stay removed on the Taskwarrior side.
    }
    let moved = false;
    if (m.merged.project !== n.project && m.merged.project) {
      const home = projectHome(graph, notes, m.merged.project);
      if (home && direction !== 'push') {
        moved = true;
        if (home.file === t.file) addEdit(t.file, { op: 'move', key: t.key, headingPath: home.path });
        else {
          addEdit(t.file, { op: 'remove', key: t.key });
          addEdit(home.file, { op: 'add', headingPath: home.path, task: { status: m.merged.status, description: m.merged.description, priority: m.merged.priority, due: dueText, start: schedText, recurrence: m.merged.recurrence, tags: m.merged.tags, id: m.id } });
        }
      }
    }
    if (noteChanged) {
      if (!moved) addEdit(t.file, e);
      const lost = diffFields(n, m.merged);
      if (!m.isNew && Object.keys(lost).length > 0) log.push({ time: now.toISOString(), uuid: m.uuid, id: m.id, side: 'note', action: report.conflicts.some((c) => c.uuid === m.uuid && c.winner === 'taskwarrior') ? 'conflict' : 'overwrite', fields: lost, version: n, file: t.file });
    }
    // A pull gives a new line its id but does not create the task: the next push does.
    if (m.isNew && direction === 'pull') continue;
    const baseDue = sameValue(m.newBase.due, m.merged.due) ? dueText : (st0(m.uuid)?.dueText ?? t.due);
    const baseSched = sameValue(m.newBase.scheduled, m.merged.scheduled) ? schedText : (st0(m.uuid)?.scheduledText ?? t.start);
    const pushedAt = twChanged && direction !== 'pull' ? Math.floor(now.getTime() / 1000) * 1000 : st0(m.uuid)?.pushedAt;
    newState.tasks[m.uuid] = { uuid: m.uuid, id: m.id, file: t.file, base: m.newBase, dueText: baseDue, scheduledText: baseSched, ...(pushedAt ? { pushedAt } : {}) };
    newState.cache[m.uuid] = twChanged && direction !== 'pull' ? mergedTw : (m.tw ?? mergedTw);
  }

  for (const d of deletions) {
    const f = fromTw(d.tw, priorities);
    const merged = { ...f, status: 'cancelled' as TaskStatus };
    const t = toTw(merged, d.tw, d.uuid, now, priorities);
    imports.push(t);
    report.taskwarrior.deleted.push(d.uuid);
    log.push({ time: now.toISOString(), uuid: d.uuid, id: d.st.id, side: 'taskwarrior', action: 'delete', fields: { status: { lost: f.status, kept: 'cancelled' } }, version: f, file: d.st.file, note: 'line removed from the note' });
    bulk++;
    newState.cache[d.uuid] = t;
  }

  for (const a of additions) {
    const f = fromTw(a.tw, priorities);
    const due = f.due ? formatDate(new Date(f.due), null, now) : null;
    const sched = f.scheduled ? formatDate(new Date(f.scheduled), null, now) : null;
    addEdit(a.file, { op: 'add', headingPath: a.path, task: { status: f.status, description: f.description, priority: f.priority, due, start: sched, recurrence: f.recurrence, tags: f.tags, id: a.id } });
    newState.tasks[a.uuid] = { uuid: a.uuid, id: a.id, file: a.file, base: { ...f, project: f.project }, dueText: due, scheduledText: sched };
    newState.cache[a.uuid] = a.tw;
  }
  // Keep the cache complete for tasks we did not touch (they may be linked to later).
  for (const t of twTasks) if (!newState.cache[t.uuid] && (state.tasks[t.uuid] || state.cache[t.uuid])) newState.cache[t.uuid] = t;

  // Repaired versions go back in even where nothing else changed them.
  for (const r of repairs) {
    if (!imports.some((t) => t.uuid === r.uuid)) imports.push(r);
    if (newState.cache[r.uuid] && !imports.some((t) => t.uuid === r.uuid && t !== r)) newState.cache[r.uuid] = r;
  }

  // Note texts.
  const noteChanges: NoteChange[] = [];
  for (const n of notes) {
    const list = edits.get(n.file);
    if (!list || list.length === 0) continue;
    const p = patchFile(n.text, graph.objects(n.file)!, list);
    for (const e of p.errors) report.warnings.push(`${n.file}: ${e.message}`);
    const after = applyChanges(n.text, p.changes);
    if (after !== n.text) noteChanges.push({ file: n.file, before: n.text, after, edits: list });
  }
  // Files that do not exist yet (an inbox).
  for (const [file, list] of edits) {
    if (notes.some((n) => n.file === file)) continue;
    const p = patchFile('', { file, tasks: [], projects: [], baseProject: null, duplicateIds: [] }, list);
    noteChanges.push({ file, before: '', after: applyChanges('', p.changes), edits: list });
  }

  const touched = new Set([...imports.map((t) => t.uuid), ...noteChanges.flatMap((c) => c.edits.map((e) => ('key' in e ? e.key : 'add')))]).size;
  const share = opts.bulkShare ?? 0.5;
  const min = opts.bulkMin ?? 3;
  report.noteChanges = noteChanges;
  report.notes = noteChanges.map((c) => ({ file: c.file, edits: c.edits.length }));
  report.changed = imports.length > 0 || noteChanges.length > 0;
  if (bulk >= min && bulk > share * Math.max(1, touched) && !opts.force) {
    return { ...report, ok: false, code: 1, error: { code: 'bulk-guard', message: `this sync would delete or complete ${bulk} of the ${touched} tasks it touches; run again with --force to go ahead` } };
  }
  if (opts.dryRun) return report;

  if (opts.applyNotes && noteChanges.length > 0 && !(await opts.applyNotes(noteChanges))) {
    return { ...report, changed: false, noteChanges: [], notes: [], taskwarrior: { created: [], updated: [], deleted: [] }, warnings: [...report.warnings, 'a buffer changed while syncing; nothing was written'], error: { code: 'stale', message: 'a buffer changed while syncing' }, ok: false, code: 2 };
  }

  // Write: journal, log, import, notes, state.
  for (const c of noteChanges) newState.notes[c.file] = hashText(c.after);
  for (const n of notes) if (!noteChanges.some((c) => c.file === n.file)) newState.notes[n.file] = n.hash;
  if (!opts.files) for (const f of Object.keys(newState.notes)) if (!notes.some((n) => n.file === f)) delete newState.notes[f];
  const writes = (file: string) => (typeof opts.writeNotes === 'function' ? opts.writeNotes(file) : (opts.writeNotes ?? true));
  const journal: Journal = { imports, notes: noteChanges.filter((c) => writes(c.file)).map((c) => ({ file: c.file, beforeHash: hashText(c.before), after: c.after })), state: newState, log };
  if (exported && imports.length > 0 && (await opts.tw.stamp()) !== seen) return 'retry';
  await writeAtomic(join(dir, 'journal.json'), JSON.stringify(journal));
  await appendLog(join(dir, 'activity.jsonl'), log);
  if (imports.length > 0) {
    const r = await opts.tw.import(imports);
    if (!r.ok) {
      await unlink(join(dir, 'journal.json')).catch(() => {});
      return twFail(report, r.error);
    }
  }
  {
    for (const c of noteChanges.filter((x) => writes(x.file))) {
      const abs = join(opts.workspace, c.file);
      const current = opts.texts?.get(c.file)?.text ?? (await readFile(abs, 'utf8').catch(() => ''));
      if (current !== c.before) {
        // Edited while we synced: keep the user's text; the next sync merges it.
        report.warnings.push(`${c.file} changed during the sync; its note edits wait for the next sync`);
        delete newState.notes[c.file];
        continue;
      }
      await writeAtomic(abs, c.after);
    }
  }
  newState.stamp = await opts.tw.stamp();
  // From before our import: the next sync checks that our own writes survived, too.
  newState.undoSize = undoSize;
  await writeAtomic(join(dir, 'state.json'), JSON.stringify(newState));
  await unlink(join(dir, 'journal.json')).catch(() => {});
  return report;
}

function twFail(r: SyncReport, e: TwError): SyncReport {
  return fail(r, e.code, `${e.message}; notes and Taskwarrior are as they were`);
}

function parseTwTime(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : null;
}

function diffFields(from: Fields, to: Fields): LogEntry['fields'] {
  const out: LogEntry['fields'] = {};
  for (const f of FIELD_NAMES) if (!sameValue(from[f], to[f])) out[f] = { lost: from[f], kept: to[f] };
  return out;
}

/** Which note and heading path a Taskwarrior project belongs to, if any. */
function projectHome(graph: WorkspaceGraph, notes: NoteFile[], project: string | null): { file: string; path: string[] } | null {
  if (!project) return null;
  let best: { file: string; path: string[]; score: number } | null = null;
  for (const n of notes) {
    const o = graph.objects(n.file)!;
    const base = o.baseProject;
    for (const p of o.projects) {
      const proj = [base, ...p.path.map((x) => x.replace(/\./g, '_'))].filter(Boolean).join('.');
      if (proj === project && (!best || p.path.length + 1 > best.score)) best = { file: n.file, path: p.path, score: p.path.length + 1 };
    }
    if (base && (project === base || project.startsWith(base + '.'))) {
      const rest = project === base ? [] : project.slice(base.length + 1).split('.');
      if (!best || best.score < 1) best = { file: n.file, path: rest, score: 1 };
    }
  }
  return best ? { file: best.file, path: best.path } : null;
}
