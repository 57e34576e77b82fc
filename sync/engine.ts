/**
 * The sync engine: notes and Taskwarrior, three-way per field against the last synced base.
 *
 * - A field changed on one side only takes that side; changed on both to different values,
 *   the newer change wins (Taskwarrior's `modified` against the note file's edit time) and the
 *   losing value goes to the activity log with its whole version. Every value a sync
 *   overwrites, conflict or not, is logged, so nothing is unrecoverable.
 * - Our own pushes are not taken for remote edits: the base stores what we pushed and
 *   comparison is by value, not by `modified`.
 * - Process budget on Taskwarrior 2.6: nothing changed (same database stamp, same note
 *   fingerprints) starts no process; a change in Taskwarrior is read from the part of undo.data
 *   written since the last sync, checked against pending/completed.data, with no process (an
 *   export when that cannot be trusted: `readChangesFromUndo`); a note change needs one
 *   `import` (started early, see `EarlyImport`) and no `export` (the tasks are cached in the
 *   state shards); a sync is one `export` and one `import` at most, unless another `task`
 *   writes the same tasks meanwhile (then a few correcting imports, bounded).
 * - Crash-safe: Taskwarrior is written first, then the notes, then the state, so re-running a
 *   sync finishes the job; a sync that writes both sides journals its plan first and the next
 *   sync replays it. Import is by uuid with full tasks, so replaying duplicates nothing.
 * - Concurrency: a lock serialises Planager's writers across processes. Taskwarrior 2.6's own
 *   writers do not serialise; lost updates are recovered from undo.data (undo.ts), and the
 *   database stamp is recorded as this sync read it, so nothing written meanwhile looks seen.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { applyChanges, hashString, patchFile, propagateStatuses, resolveFile, WorkspaceGraph, type TaskEdit, type TaskObject } from '../graph/index.js';
import { decodeUtf8, type TaskStatus } from '../parser/index.js';
import { formatDate, matchesText, resolveText } from './dates.js';
import { readJson, stageAll, writeAtomic, writeAtomicAll, type Staged } from './fsutil.js';
import { acquireLock } from './lock.js';
import { appendLog, type LogEntry } from './log.js';
import { DEFAULT_PRIORITIES, FIELD_NAMES, fromTw, sameValue, toTw, type Fields, type PriorityMap } from './mapping.js';
import { emptyByStamp, importLine, utcMs, type PendingImport, type Taskwarrior, type TwError, type TwResult, type TwTask } from './taskwarrior.js';
import { Store, type FileProjects, type Index, type NoteStamp, type SyncState, type TaskState } from './store.js';
import { canon, deltaFromJson, deltaToJson, diff, expectedVersions, lostUpdates, readUndoTail, readUndoTailSync, storedVersions, undoMark, undoSize as undoFileSize, versionKey, type Delta } from './undo.js';
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

interface Journal {
  imports: TwTask[];
  notes: { file: string; beforeHash: string; after: string }[];
  log: LogEntry[];
}

export function stateDirOf(opts: Pick<SyncOptions, 'workspace' | 'stateDir'>): string {
  return opts.stateDir ?? join(opts.workspace, '.planager');
}

/** Every task's state, assembled from the shards (for history and backups). */
export function loadState(dir: string): Promise<SyncState> {
  return new Store(dir).all();
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
  return (others instanceof UuidIndex ? others : new UuidIndex(others)).shortId(uuid);
}

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A uuid's hex digits, lower case (slices for the usual form: a sync does this per task). */
function hexOf(uuid: string): string {
  if (CANONICAL.test(uuid)) return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);
  return uuid.replace(/-/g, '').toLowerCase();
}

/** A UuidIndex built on first use; uuids added before that are remembered. */
class LazyUuids {
  private idx: UuidIndex | null = null;
  private readonly extra: string[] = [];
  constructor(private readonly base: () => Iterable<string>) {}
  get(): UuidIndex {
    if (!this.idx) {
      this.idx = new UuidIndex(this.base());
      for (const u of this.extra) this.idx.add(u);
    }
    return this.idx;
  }
  add(u: string): void {
    if (this.idx) this.idx.add(u);
    else this.extra.push(u);
  }
}

/**
 * Uuids as sorted hex strings: the shortest unambiguous prefix and the uuids under a prefix
 * are binary searches, so ids for 10,000 tasks cost O(n log n), not O(n²).
 */
export class UuidIndex implements Iterable<string> {
  private hex: string[] = [];
  private readonly byHex = new Map<string, string>();
  private sorted = true;

  constructor(uuids: Iterable<string> = []) {
    for (const u of uuids) this.add(u);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.byHex.values();
  }

  add(uuid: string): void {
    const h = hexOf(uuid);
    if (this.byHex.has(h)) return;
    this.byHex.set(h, uuid);
    this.hex.push(h);
    this.sorted = false;
  }

  private list(): string[] {
    if (!this.sorted) {
      this.hex.sort();
      this.sorted = true;
    }
    return this.hex;
  }

  private lower(p: string): number {
    const l = this.list();
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (l[m] < p) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** Uuids whose hex digits start with `prefix`. */
  withPrefix(prefix: string): string[] {
    const p = prefix.toLowerCase();
    const l = this.list();
    const out: string[] = [];
    for (let i = this.lower(p); i < l.length && l[i].startsWith(p); i++) out.push(this.byHex.get(l[i])!);
    return out;
  }

  shortId(uuid: string): string {
    const h = hexOf(uuid);
    const l = this.list();
    const i = this.lower(h);
    let need = 8;
    for (let j = i - 1; j <= i + 1; j++) {
      const o = l[j];
      if (o === undefined || o === h) continue;
      let k = 0;
      while (k < h.length && h[k] === o[k]) k++;
      need = Math.max(need, k + 1);
    }
    return h.slice(0, Math.min(need, 32));
  }
}

interface NoteFile {
  file: string;
  text: string;
  mtime: number;
  size: number;
  hash: string;
  exists: boolean;
}

async function fingerprint(abs: string, hash: string): Promise<NoteStamp> {
  const s = statSync(abs, { throwIfNoEntry: false });
  return { hash, size: s ? s.size : 0, mtime: s ? s.mtimeMs : 0 };
}

function projectsOf(graph: WorkspaceGraph, file: string): FileProjects {
  const o = graph.objects(file);
  if (!o) return { base: null, projects: [] };
  return { base: o.baseProject, projects: o.projects.map((p) => ({ path: p.path, project: [o.baseProject, ...p.path.map((x) => x.replace(/\./g, '_'))].filter(Boolean).join('.') })) };
}

function extractProjects(text: string, file: string): FileProjects {
  const g = new WorkspaceGraph({ propagate: false, derive: false });
  g.setFile(file, text);
  return projectsOf(g, file);
}

/**
 * The notes to look at: every tracked file is fingerprinted by size and mtime, and read only
 * when that changed (then hashed: a touched file with the same text is unchanged).
 */
async function scanNotes(opts: SyncOptions, index: Pick<Index, 'notes'>, warnings: string[]): Promise<{ files: string[]; changed: NoteFile[]; touched: Map<string, NoteStamp>; removed: string[] } | { error: string }> {
  const files = opts.files ?? (await listNorgFiles(opts.workspace, [stateDirOf(opts)]));
  const changed: NoteFile[] = [];
  const touched = new Map<string, NoteStamp>();
  const removed: string[] = [];
  // Synchronous stats: on a workspace of 100 notes this is most of a no-change sync, and a
  // stat costs microseconds where a thread-pool round trip costs a tenth of a millisecond.
  const stats = files.map((f): Stats | Error | null => {
    if (opts.texts?.has(f)) return null;
    try {
      return statSync(join(opts.workspace, f), { throwIfNoEntry: false }) ?? null;
    } catch (e) {
      return e as Error;
    }
  });
  for (let fi = 0; fi < files.length; fi++) {
    const file = files[fi];
    const given = opts.texts?.get(file);
    if (given) {
      const hash = hashText(given.text);
      if (index.notes[file]?.hash !== hash) changed.push({ file, text: given.text, mtime: given.mtime, size: given.text.length, hash, exists: true });
      continue;
    }
    const abs = join(opts.workspace, file);
    const s = stats[fi];
    if (s instanceof Error) return { error: `${file}: ${s.message}` };
    const known = index.notes[file];
    if (!s) {
      // Named (pull/push FILE) but gone: its tasks go, like removed lines.
      if (known) changed.push({ file, text: '', mtime: 0, size: 0, hash: hashText(''), exists: false });
      continue;
    }
    if (known && known.size === s.size && known.mtime === s.mtimeMs) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch (e) {
      return { error: `${file}: ${(e as Error).message}` };
    }
    const d = decodeUtf8(bytes);
    if (!d.ok) {
      // Never rewrite a file we cannot decode; leave it and its tasks alone.
      warnings.push(`${file}: not valid UTF-8 (byte ${d.byteOffset}); skipped and left as it is`);
      continue;
    }
    const hash = hashText(d.text);
    if (known && known.hash === hash) touched.set(file, { hash, size: s.size, mtime: s.mtimeMs });
    else changed.push({ file, text: d.text, mtime: s.mtimeMs, size: s.size, hash, exists: true });
  }
  if (!opts.files) {
    const present = new Set(files);
    for (const f of Object.keys(index.notes)) if (!present.has(f)) removed.push(f);
  }
  return { files, changed, touched, removed };
}

/** One full sync. Never throws for expected failures: the report says what happened. */
export async function sync(opts: SyncOptions): Promise<SyncReport> {
  const dir = stateDirOf(opts);
  const report = emptyReport(!!opts.dryRun);
  const calls0 = opts.tw.calls;
  // Read-only first: when nothing changed, no lock, no process, nothing written.
  if (!opts.texts && (await nothingChanged(opts, dir))) return report;
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
      const early = new EarlyImport(opts.tw);
      const notes: { staged: Staged[] } = { staged: [] };
      let r: SyncReport | 'retry';
      try {
        r = await attemptSync(opts, dir, emptyReport(!!opts.dryRun), early, notes);
      } finally {
        early.cancel();
        // Temp files of notes an attempt staged and did not rename (it failed or threw).
        for (const st of notes.staged) st.abort();
      }
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

async function nothingChanged(opts: SyncOptions, dir: string): Promise<boolean> {
  if (existsSync(join(dir, 'journal.json'))) return false;
  const head = await new Store(dir).head();
  if (head.stamp === null) return false;
  const scanned = await scanNotes(opts, head, []);
  if ('error' in scanned || scanned.changed.length > 0 || scanned.removed.length > 0 || scanned.touched.size > 0) return false;
  return (await opts.tw.stamp()) === head.stamp;
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
    if (hashText(now) === n.beforeHash) await writeAtomic(abs, n.after, true);
  }
  await appendLog(join(dir, 'activity.jsonl'), j.log);
  // Taskwarrior and the notes hold the journaled values now; forget the stamp and these notes'
  // fingerprints so the next sync compares them (equal values: nothing to do, nothing lost).
  const store = new Store(dir);
  const index = await store.index();
  index.stamp = null;
  for (const n of j.notes) delete index.notes[n.file];
  await store.saveIndex(index);
  await unlink(path).catch(() => {});
  return { ok: true, message: 'finished a sync that had been interrupted' };
}

/**
 * The import of a sync that will probably need one (a note changed), started as soon as that
 * is known: `task` starts up while the notes are parsed and merged, and gets its tasks when
 * they are ready. Unused, it is closed with no input (it writes nothing).
 */
class EarlyImport {
  private pending: PendingImport | null = null;
  constructor(private readonly tw: Taskwarrior) {}
  start(): void {
    this.pending ??= this.tw.startImport();
  }
  /** Send the tasks; `written` settles once they are all in `task`'s stdin pipe. */
  send(tasks: TwTask[], lines?: string[]): { result: Promise<TwResult<void>>; written: Promise<void> } {
    const p = this.pending ?? this.tw.startImport();
    this.pending = null;
    const result = p.send(tasks, lines);
    return { result, written: p.written() };
  }
  cancel(): void {
    this.pending?.cancel();
    this.pending = null;
  }
}

/**
 * One attempt at a sync. Every loop over tasks runs in a function of its own (named closures
 * below), never in this body: V8 compiles a function whose loops get hot as a whole, and this
 * one, whole, took 360 ms of compiling on the other core (beside `task` importing) and was
 * thrown away at the next sync that took another path (measured with --trace-opt; a first sync
 * of 1,000 tasks: 70-75 ms with it, 58-60 ms without).
 */
async function attemptSync(opts: SyncOptions, dir: string, report: SyncReport, early: EarlyImport, notesOut: { staged: Staged[] }): Promise<SyncReport | 'retry'> {
  const now = opts.now?.() ?? new Date();
  const direction = opts.direction ?? 'both';
  const priorities = opts.priorities ?? DEFAULT_PRIORITIES;
  const store = new Store(dir);
  const head = await store.head();
  const scanned = await scanNotes(opts, head, report.warnings);
  if ('error' in scanned) return fail(report, 'read-failed', scanned.error);
  const { changed, touched: refreshed, removed } = scanned;

  // Zero processes, and only the small head of the index read, when nothing changed.
  const stamp = await opts.tw.stamp();
  if (stamp === head.stamp && changed.length === 0 && removed.length === 0) {
    if (refreshed.size > 0 && !opts.dryRun) {
      for (const [f, n] of refreshed) head.notes[f] = n;
      await store.saveHead(head);
    }
    return report;
  }
  if ((changed.length > 0 || removed.length > 0) && direction !== 'pull' && !opts.dryRun) early.start();
  const index = await store.index();

  // Taskwarrior's side: when the database changed, what changed from undo.data's new part
  // (2.6, no process), else an export; when it did not, the cached tasks.
  let source: 'cache' | 'undo' | 'export' = 'cache';
  let exportedAt = 0;
  let seen = stamp;
  let twTasks: TwTask[] = [];
  const twChanged = new Set<string>();
  let undoSize = index.undoSize ?? 0;
  const repairs: TwTask[] = [];
  const exportedVersion = new Map<string, TwTask>();
  // What the last sync meant by the versions it wrote: its imports replace whole tasks, which
  // must not be read as other writers' edits when undo.data is replayed.
  const prevIntents = new Map((index.intents ?? []).map(([k, d]) => [k, deltaFromJson(d)] as const));
  const twByUuid = new Map<string, TwTask>();

  // The notes to load: changed ones, those holding tasks Taskwarrior changed, and what
  // those link to or where new tasks go. Every other note keeps its state untouched.
  const graph = new WorkspaceGraph({ propagate: false, derive: false });
  const loaded = new Map<string, NoteFile>();
  // Maps, not objects: uuids made or read in this sync are new strings, and an object lookup
  // with a new string costs a string-table probe (measured 0.7 µs; 13 ms a first sync of 10,000).
  const known = new Map<string, TaskState>();
  const knownCache = new Map<string, TwTask>();
  const changedByFile = new Map(changed.map((n) => [n.file, n]));
  const load = async (file: string): Promise<void> => {
    if (loaded.has(file)) return;
    let n = changedByFile.get(file);
    if (!n) {
      const given = opts.texts?.get(file);
      if (given) n = { file, text: given.text, mtime: given.mtime, size: given.text.length, hash: hashText(given.text), exists: true };
      else {
        const abs = join(opts.workspace, file);
        let bytes: Buffer | null = null;
        try {
          bytes = readFileSync(abs);
        } catch {
          // gone: its tasks go
        }
        const d = bytes ? decodeUtf8(bytes) : null;
        if (d && !d.ok) return; // reported by the scan; never rewritten
        const s = statSync(abs, { throwIfNoEntry: false });
        const text = d && d.ok ? d.text : '';
        n = { file, text, mtime: s?.mtimeMs ?? 0, size: s?.size ?? 0, hash: hashText(text), exists: !!bytes };
      }
    }
    loaded.set(file, n);
    graph.setFile(file, n.text);
    const sh = await store.shard(file);
    for (const [u, st] of Object.entries(sh.tasks)) known.set(u, st);
    for (const [u, c] of Object.entries(sh.cache)) knownCache.set(u, c);
  };

  if (stamp !== index.stamp || index.stamp === null) {
    const fromUndo = index.stamp !== null ? readChangesFromUndo(opts.tw.dataDir(), index, stamp, prevIntents) : null;
    if (fromUndo) {
      source = 'undo';
      undoSize = fromUndo.size;
      for (const t of fromUndo.tasks) {
        twByUuid.set(t.uuid, t);
        twChanged.add(t.uuid);
      }
    } else {
      // The changed notes are parsed while `task` exports (another process, the other core).
      // A database with no task yet (its first sync, usually) has nothing to export.
      const exporting = emptyByStamp(stamp) ? null : opts.tw.export();
      for (const n of changed) await load(n.file);
      const e: TwResult<TwTask[]> = exporting ? await exporting : { ok: true, value: [] };
      if (!e.ok) return twFail(report, e.error);
      source = 'export';
      twTasks = e.value;
      // The first call on a new database creates its files: compare later writes to this.
      // Without an export, the stamp that showed the database empty: a task added since
      // makes the sync start again (and export).
      seen = exporting ? await opts.tw.stamp() : stamp;
      exportedAt = Date.now();
      indexExport(twTasks, index, twByUuid, twChanged);
      // Versions a concurrent `task` process overwrote are brought back from undo.data.
      const tail = index.undoSize !== undefined ? await readUndoTail(opts.tw.dataDir(), index.undoSize, prevIntents) : { size: await undoFileSize(opts.tw.dataDir()), latest: new Map<string, TwTask>(), transactions: [] };
      if (index.undoSize !== undefined) {
        for (const t of lostUpdates(twByUuid, tail.latest)) {
          const was = twByUuid.get(t.uuid);
          if (was) exportedVersion.set(t.uuid, was);
          repairs.push(t);
          twByUuid.set(t.uuid, t);
          twChanged.add(t.uuid);
        }
        if (repairs.length > 0) {
          twTasks = [...twByUuid.values()];
          report.warnings.push(`repaired ${repairs.length} task(s) that a concurrent \`task\` process had overwritten (from undo.data)`);
        }
      }
      undoSize = tail.size;
    }
  }
  const exported = source === 'export';
  for (const n of changed) await load(n.file);
  for (const f of removed) await load(f);
  // The loops over tasks collect notes; loading (async) goes note by note.
  const notesOfChanged = (): Set<string> => {
    const out = new Set<string>();
    for (const u of twChanged) {
      const f = index.where[u];
      if (f && !removed.includes(f) && (!opts.files || opts.files.includes(f))) out.add(f);
    }
    return out;
  };
  for (const f of notesOfChanged()) await load(f);
  // An id written in another note than the one that had it: load that one too, so that a
  // copy (both notes have it) and a move (only the new one) are told apart.
  const idOwners = (): Set<string> => {
    const idIndex = new LazyUuids(() => Object.keys(index.where));
    const ownIds = new Map<string, string>();
    for (const k of known.values()) ownIds.set(k.id, k.file);
    const out = new Set<string>();
    for (const f of loaded.keys()) {
      for (const t of graph.objects(f)?.tasks ?? []) {
        if (!t.id || ownIds.get(t.id) === f) continue;
        const hits = idIndex.get().withPrefix(t.id);
        const ownerFile = hits.length === 1 ? index.where[hits[0]] : undefined;
        if (ownerFile && ownerFile !== f && !removed.includes(ownerFile) && index.notes[ownerFile] && (!opts.files || opts.files.includes(ownerFile))) out.add(ownerFile);
      }
    }
    return out;
  };
  for (const f of idOwners()) await load(f);
  // Cross-file links: their targets' tasks are needed for `depends`.
  const linkTargets = (): Set<string> => {
    const out = new Set<string>();
    for (const f of loaded.keys()) {
      for (const t of graph.objects(f)?.tasks ?? []) {
        for (const l of t.links) {
          if (l.kind !== 'file') continue;
          const target = resolveFile(f, l.path);
          if (index.notes[target] || scanned.files.includes(target)) out.add(target);
        }
      }
    }
    return out;
  };
  for (const f of linkTargets()) await load(f);
  // Project homes: loaded notes as they are now, the others as the index remembers them.
  const homes = new Map<string, { file: string; path: string[]; score: number }>();
  const bases: { base: string; file: string }[] = [];
  const addHomes = (file: string, p: FileProjects) => {
    if (p.base) bases.push({ base: p.base, file });
    for (const x of p.projects) {
      const prev = homes.get(x.project);
      if (!prev || prev.score < x.path.length + 1) homes.set(x.project, { file, path: x.path, score: x.path.length + 1 });
    }
  };
  for (const [f, p] of Object.entries(index.files)) if (!loaded.has(f) && !removed.includes(f)) addHomes(f, p);
  for (const f of loaded.keys()) addHomes(f, projectsOf(graph, f));
  const home = (project: string | null): { file: string; path: string[] } | null => {
    if (!project) return null;
    const h = homes.get(project);
    if (h) return { file: h.file, path: h.path };
    for (const b of bases) if (project === b.base || project.startsWith(b.base + '.')) return { file: b.file, path: project === b.base ? [] : project.slice(b.base.length + 1).split('.') };
    return null;
  };
  const candidates: TwTask[] = [];
  const candidateHomes = (): Set<string> => {
    const out = new Set<string>();
    for (const u of twChanged) {
      const t = twByUuid.get(u);
      if (!t || index.where[u] || (t.status !== 'pending' && t.status !== 'waiting')) continue;
      const at = home(t.project ?? null) ?? (opts.inbox ? { file: opts.inbox, path: [] } : null);
      if (at && (!opts.files || opts.files.includes(at.file))) {
        if (scanned.files.includes(at.file) || !existsSync(join(opts.workspace, at.file))) out.add(at.file);
        candidates.push(t);
      }
    }
    return out;
  };
  if (source !== 'cache' && direction !== 'push') for (const f of candidateHomes()) await load(f);
  const addCached = () => {
    for (const [u, t] of knownCache) if (!twByUuid.has(u)) twByUuid.set(u, t);
  };
  if (!exported) addCached();
  const notes = [...loaded.values()];
  const noteMtime = new Map(notes.map((n) => [n.file, n.mtime]));

  // Identity: note id → uuid (state first, then a unique uuid prefix in Taskwarrior).
  const idToUuid = new Map<string, string>();
  const knownIds = () => {
    for (const t of known.values()) idToUuid.set(t.id, t.uuid);
  };
  knownIds();
  // Built only when an id is not in the loaded state, or a new task needs an id.
  const allUuids = new LazyUuids(() => [...twByUuid.keys(), ...known.keys(), ...Object.keys(index.where)]);
  const uuidOfId = (id: string): string | null => {
    const hit = idToUuid.get(id);
    if (hit) return hit;
    const matches = allUuids.get().withPrefix(id);
    return matches.length === 1 ? matches[0] : null;
  };

  const keyToUuid = new Map<string, string>();
  const newKeys: TaskObject[] = [];
  const owner = new Map<string, TaskObject>();
  const identify = () => {
    for (const n of notes) {
      for (const t of graph.objects(n.file)!.tasks) {
        if (t.id) {
          // An id the state never knew (written by the editor before its first push, or a
          // state folder that was lost) is a new task, with a uuid that starts with the id.
          const u = uuidOfId(t.id) ?? uuidFromId(t.id);
          const first = owner.get(u);
          if (first) {
            // The same id in two notes: the note that had it keeps it; the other line is a copy.
            const keeper = index.where[u] === t.file ? t : first;
            const copy = keeper === t ? first : t;
            report.warnings.push(`${copy.file}:${copy.line}: task id ${t.id} is also in ${keeper.file}; this copy gets a new id`);
            keyToUuid.delete(copy.key);
            newKeys.push(copy);
            if (keeper === t) {
              owner.set(u, t);
              keyToUuid.set(t.key, u);
            }
            continue;
          }
          owner.set(u, t);
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
  };
  identify();
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
  const kept = new Map<string, TaskState>();
  /** Note keys (pull) and Taskwarrior uuids (push) whose change a one-direction sync left for later. */
  const deferredNote = new Set<string>();
  const deferredTw = new Set<string>();
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

  // Tasks unchanged on both sides since the last sync need no merge: same note object (by
  // content hash), Taskwarrior not changed. Their ancestors still merge (a child's change may
  // derive their status), and so do tasks with links (what they point at can change elsewhere).
  const unchanged = new Set<string>();
  const findUnchanged = () => {
    const dirty = new Set<string>();
    for (const n of notes) {
      for (const t of graph.objects(n.file)!.tasks) {
        const uuid = keyToUuid.get(t.key);
        const st = uuid ? known.get(uuid) : undefined;
        const same = !!uuid && !!st && st.noteHash === t.hash && st.file === t.file && !twChanged.has(uuid) && (exported ? twByUuid.has(uuid) : knownCache.has(uuid)) && t.links.length === 0;
        if (same) continue;
        for (let k: string | null = t.key; k && !dirty.has(k); k = graph.tasks.get(k)?.parent ?? null) dirty.add(k);
      }
    }
    for (const n of notes) for (const t of graph.objects(n.file)!.tasks) if (!dirty.has(t.key)) unchanged.add(t.key);
  };
  findUnchanged();

  const mergeAll = () => {
    for (const n of notes) {
      for (const t of graph.objects(n.file)!.tasks) {
        const uuid = keyToUuid.get(t.key);
        if (!uuid) continue;
        const st = known.get(uuid);
        if (unchanged.has(t.key)) {
          // Carried over as it was (it stays in the note, so it is not a deletion).
          kept.set(uuid, st!);
          continue;
        }
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
          for (const f of FIELD_NAMES) {
            const nv = note[f];
            const tv = twf[f];
            if (sameValue(nv, tv)) continue;
            const bv = base ? base[f] : undefined;
            const nChanged = base ? !sameValue(nv, bv) : true;
            const tChanged = base ? !sameValue(tv, bv) : true;
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
            if (f === 'project' && take === 'taskwarrior' && !home(tv as string | null)) take = 'note';
            // One-direction syncs defer the other direction's winner: neither side is
            // overwritten and the old base stays, so the next sync the other way sends it.
            if ((direction === 'pull' && take === 'note') || (direction === 'push' && take === 'taskwarrior')) {
              // Remember what waits, so that this sync does not record it as seen.
              if (direction === 'pull') deferredNote.add(t.key);
              else deferredTw.add(uuid);
              set(f, merged as never, nv);
              set(f, forTw as never, tv);
              set(f, newBase as never, base ? bv : direction === 'pull' ? tv : nv);
              continue;
            }
            const v = take === 'note' ? nv : tv;
            for (const target of [merged, forTw, newBase]) set(f, target as never, v);
          }
        }
        merges.set(uuid, { uuid, id: t.id ?? allUuids.get().shortId(uuid), obj: t, note, base, tw, twf, merged, forTw, newBase, isNew });
      }
    }
  };
  mergeAll();

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

  const noted = new Set(keyToUuid.values());
  // Tasks the notes no longer have: the line was removed (or the file was).
  const deletions: { uuid: string; st: TaskState; tw: TwTask }[] = [];
  const findDeletions = () => {
    for (const st of known.values()) {
      if (merges.has(st.uuid) || !inScope(st.file) || !loaded.has(st.file)) continue;
      const stillNoted = noted.has(st.uuid);
      if (stillNoted) continue;
      const tw = twByUuid.get(st.uuid);
      if (tw && tw.status !== 'deleted' && direction !== 'pull') deletions.push({ uuid: st.uuid, st, tw });
    }
  };
  findDeletions();

  // Taskwarrior tasks that belong in a note: new, pending, and with a project a note holds.
  const additions: { file: string; path: string[]; tw: TwTask; uuid: string; id: string }[] = [];
  const findAdditions = () => {
    if (direction !== 'push') {
      for (const tw of candidates) {
        if (known.has(tw.uuid) || index.where[tw.uuid] || merges.has(tw.uuid) || noted.has(tw.uuid)) continue;
        if (tw.status !== 'pending' && tw.status !== 'waiting') continue;
        const at = home(tw.project ?? null) ?? (opts.inbox && inScope(opts.inbox) ? { file: opts.inbox, path: [] } : null);
        if (!at || !inScope(at.file)) continue;
        additions.push({ ...at, tw, uuid: tw.uuid, id: allUuids.get().shortId(tw.uuid) });
      }
    }
  };
  findAdditions();

  const conflicted = new Map(report.conflicts.map((c) => [c.uuid, c.winner]));
  /** The Taskwarrior version each import was computed from (to check nobody wrote in between). */
  const basisOf = new Map<string, TwTask>();
  // Build the two sides' writes.
  const imports: TwTask[] = [];
  const edits = new Map<string, TaskEdit[]>();
  const addEdit = (file: string, e: TaskEdit) => {
    const l = edits.get(file) ?? [];
    l.push(e);
    edits.set(file, l);
  };
  const newState = { tasks: new Map<string, TaskState>(), cache: new Map<string, TwTask>() };
  const st0 = (uuid: string): TaskState | undefined => known.get(uuid);
  const keepState = () => {
    for (const [uuid, st] of kept) {
      newState.tasks.set(uuid, st);
      const c = knownCache.get(uuid) ?? twByUuid.get(uuid);
      if (c) newState.cache.set(uuid, c);
    }
    // Tasks of loaded notes outside this sync's files keep what they had.
    for (const st of known.values()) {
      if (inScope(st.file)) continue;
      newState.tasks.set(st.uuid, st);
      const c = knownCache.get(st.uuid);
      if (c) newState.cache.set(st.uuid, c);
    }
  };
  keepState();
  let bulk = 0;

  const buildWrites = () => {
    for (const m of merges.values()) {
      const t = m.obj!;
      const mergedTw = toTw(m.forTw, m.tw, m.uuid, now, priorities);
      const toTwChanged = !m.twf || FIELD_NAMES.some((f) => !sameValue(m.forTw[f], m.twf![f])) || (m.forTw.status === 'pending' && !m.tw?.start);
      if (toTwChanged && direction !== 'pull') {
        imports.push(mergedTw);
        if (m.tw) basisOf.set(m.uuid, m.tw);
        if (m.isNew) report.taskwarrior.created.push(m.uuid);
        else report.taskwarrior.updated.push(m.uuid);
        if (m.twf) {
          const lost = diffFields(m.twf, m.forTw);
          if (Object.keys(lost).length > 0) log.push({ time: now.toISOString(), uuid: m.uuid, id: m.id, side: 'taskwarrior', action: conflicted.get(m.uuid) === 'note' ? 'conflict' : 'overwrite', fields: lost, version: m.twf, file: t.file });
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
      if (!sameValue(m.merged.tags, n.tags)) (e.tags = m.merged.tags), (noteChanged = true);
      let moved = false;
      if (m.merged.project !== n.project && m.merged.project) {
        const to = home(m.merged.project);
        if (to && direction !== 'push') {
          moved = true;
          if (to.file === t.file) addEdit(t.file, { op: 'move', key: t.key, headingPath: to.path });
          else {
            addEdit(t.file, { op: 'remove', key: t.key });
            addEdit(to.file, { op: 'add', headingPath: to.path, task: { status: m.merged.status, description: m.merged.description, priority: m.merged.priority, due: dueText, start: schedText, recurrence: m.merged.recurrence, tags: m.merged.tags, id: m.id } });
          }
        }
      }
      if (noteChanged) {
        if (!moved) addEdit(t.file, e);
        const lost = diffFields(n, m.merged);
        if (!m.isNew && Object.keys(lost).length > 0) log.push({ time: now.toISOString(), uuid: m.uuid, id: m.id, side: 'note', action: conflicted.get(m.uuid) === 'taskwarrior' ? 'conflict' : 'overwrite', fields: lost, version: n, file: t.file });
      }
      // A pull gives a new line its id but does not create the task: the next push does.
      if (m.isNew && direction === 'pull') continue;
      const baseDue = sameValue(m.newBase.due, m.merged.due) ? dueText : (st0(m.uuid)?.dueText ?? t.due);
      const baseSched = sameValue(m.newBase.scheduled, m.merged.scheduled) ? schedText : (st0(m.uuid)?.scheduledText ?? t.start);
      // The hash of the note object as it now stands: only when the note was left as it is.
      const noteHash = !noteChanged && !moved && !deferredNote.has(t.key) ? t.hash : undefined;
      newState.tasks.set(m.uuid, { uuid: m.uuid, id: m.id, file: t.file, base: m.newBase, dueText: baseDue, scheduledText: baseSched, ...(noteHash ? { noteHash } : {}) });
      newState.cache.set(m.uuid, toTwChanged && direction !== 'pull' ? mergedTw : (m.tw ?? mergedTw));
    }

    for (const d of deletions) {
      const f = fromTw(d.tw, priorities);
      const merged = { ...f, status: 'cancelled' as TaskStatus };
      const t = toTw(merged, d.tw, d.uuid, now, priorities);
      imports.push(t);
      basisOf.set(d.uuid, d.tw);
      report.taskwarrior.deleted.push(d.uuid);
      log.push({ time: now.toISOString(), uuid: d.uuid, id: d.st.id, side: 'taskwarrior', action: 'delete', fields: { status: { lost: f.status, kept: 'cancelled' } }, version: f, file: d.st.file, note: 'line removed from the note' });
      bulk++;
      newState.cache.set(d.uuid, t);
    }

    for (const a of additions) {
      const f = fromTw(a.tw, priorities);
      const due = f.due ? formatDate(new Date(f.due), null, now) : null;
      const sched = f.scheduled ? formatDate(new Date(f.scheduled), null, now) : null;
      addEdit(a.file, { op: 'add', headingPath: a.path, task: { status: f.status, description: f.description, priority: f.priority, due, start: sched, recurrence: f.recurrence, tags: f.tags, id: a.id } });
      newState.tasks.set(a.uuid, { uuid: a.uuid, id: a.id, file: a.file, base: { ...f, project: f.project }, dueText: due, scheduledText: sched });
      newState.cache.set(a.uuid, a.tw);
    }
  };
  buildWrites();

  // A purge writes nothing to undo.data, so without an export a deleted task may be gone:
  // look before writing to one, so that it is reported and never re-created.
  if (!exported) {
    const deleted = imports.filter((t) => basisOf.get(t.uuid)?.status === 'deleted').map((t) => t.uuid);
    if (deleted.length > 0) {
      const there = storedVersions(opts.tw.dataDir(), deleted);
      for (const u of deleted) {
        if (there.has(u)) continue;
        imports.splice(imports.findIndex((t) => t.uuid === u), 1);
        report.taskwarrior.updated = report.taskwarrior.updated.filter((x) => x !== u);
        const st = known.get(u);
        report.warnings.push(`${st?.file ?? ''}: task ${st?.id ?? u} is gone from Taskwarrior (purged?); the line is kept and the task is not re-created`);
        if (st) newState.tasks.set(u, st);
        else newState.tasks.delete(u);
        const c = knownCache.get(u);
        if (c) newState.cache.set(u, c);
      }
    }
  }

  // Repaired versions go back in even where nothing else changed them.
  const importing = new Set(imports.map((t) => t.uuid));
  for (const r of repairs) {
    if (importing.has(r.uuid)) continue;
    imports.push(r);
    const was = exportedVersion.get(r.uuid);
    if (was) basisOf.set(r.uuid, was);
    if (newState.cache.has(r.uuid)) newState.cache.set(r.uuid, r);
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
  const writes = (file: string) => (typeof opts.writeNotes === 'function' ? opts.writeNotes(file) : (opts.writeNotes ?? true));
  const toWrite = noteChanges.filter((x) => writes(x.file));
  if (source !== 'cache' && imports.length > 0 && (await opts.tw.stamp()) !== seen) return 'retry';
  // Only a sync that writes both sides needs a journal: with one side, the order (Taskwarrior,
  // then notes, then state) already lets a re-run finish the job.
  const journaled = imports.length > 0 && toWrite.length > 0;
  // Each import serialised once, for the journal and for `task` (a journal import stripped of
  // id and urgency replays the same). The text is a `Journal`, built from those lines.
  const importLines = imports.map(importLine);
  if (journaled) {
    const notes: Journal['notes'] = toWrite.map((c) => ({ file: c.file, beforeHash: hashText(c.before), after: c.after }));
    await writeAtomic(join(dir, 'journal.json'), `{"imports":[${importLines.join(',')}],"notes":${JSON.stringify(notes)},"log":${JSON.stringify(log)}}`, true);
  }
  await appendLog(join(dir, 'activity.jsonl'), log);
  // The stamp to record is the one this sync read: a write that lands while it runs must
  // still look new to the next sync. After our own import the new stamp counts only if
  // undo.data shows nothing but our tasks was written meanwhile.
  // Without an import: the stamp from before the export (a write during the export must
  // still look new next time; at worst the next sync exports once more).
  // The state to write afterwards does not depend on what the import does, only on whether it
  // succeeds: the shards and the catalog are prepared (serialised) while `task` imports.
  let prepared: { shards: { file: string }[]; shardTexts: string[]; catalog: string } | null = null;
  const prepare = () => {
    if (prepared) return prepared;
    // The shards of the notes this sync loaded (and created), each as `JSON.stringify` of a
    // `Shard` would write it (built from the maps, without uuid-keyed objects).
    const byFile = new Map<string, TaskState[]>();
    for (const f of loaded.keys()) byFile.set(f, []);
    for (const st of newState.tasks.values()) {
      let sh = byFile.get(st.file);
      if (!sh) byFile.set(st.file, (sh = []));
      sh.push(st);
    }
    for (const [u, f] of Object.entries(index.where)) if (byFile.has(f)) delete index.where[u];
    for (const [file, sts] of byFile) for (const st of sts) index.where[st.uuid] = file;
    if (exported) for (const t of twTasks) index.modified[t.uuid] = versionStamp(t, exportedAt);
    // Versions read from undo.data are not what an export shows byte for byte (numbers are
    // strings there): the next export compares these tasks again (equal values: nothing to do).
    if (source === 'undo') for (const u of twChanged) delete index.modified[u];
    // What we imported gets a `modified` we do not know yet: the next export looks at it again.
    for (const t of imports) delete index.modified[t.uuid];
    // Deferred Taskwarrior changes stay unseen: the next sync exports and merges them.
    for (const u of deferredTw) delete index.modified[u];
    for (const f of removed) delete index.files[f];
    for (const f of new Set([...loaded.keys(), ...noteChanges.map((c) => c.file)])) {
      if (removed.includes(f)) continue;
      const change = noteChanges.find((c) => c.file === f);
      const n = loaded.get(f);
      // Field edits never add, remove or rename a heading: the projects stay as parsed.
      if (change) index.files[f] = n && change.edits.every((e) => e.op === 'set') ? projectsOf(graph, f) : extractProjects(change.after, f);
      else if (n && !n.exists) delete index.files[f];
      else if (n) index.files[f] = projectsOf(graph, f);
    }
    const shards = [...byFile.keys()].map((file) => ({ file }));
    const shardTexts = [...byFile].map(([file, sts]) => {
      const tasks = sts.map((st) => `${JSON.stringify(st.uuid)}:${JSON.stringify(st)}`);
      const cache: string[] = [];
      for (const st of sts) {
        const c = newState.cache.get(st.uuid);
        if (c) cache.push(`${JSON.stringify(st.uuid)}:${JSON.stringify(c)}`);
      }
      return `{"file":${JSON.stringify(file)},"tasks":{${tasks.join(',')}},"cache":{${cache.join(',')}}}`;
    });
    return (prepared = { shards, shardTexts, catalog: store.catalogText(index) });
  };
  let recordStamp: string | null = stamp;
  /** What each version this sync writes means (by content key), kept for the next sync. */
  const intent = new Map<string, Delta | null>();
  /** Where undo.data ended after this sync's creations (Index.created). */
  const createdMarks: [number, string][] = [];
  let staged: Staged | null = null;
  let stagedState: Staged | null = null;
  if (imports.length > 0) {
    // From where undo.data stood when this sync read the database (the stamp holds its size):
    // any write since that is not ours means the next sync must look again.
    const undoBefore = /undo\.data:(\d+):/.exec(stamp) ? Number(/undo\.data:(\d+):/.exec(stamp)![1]) : await undoFileSize(opts.tw.dataDir());
    const sending = early.send(imports, importLines);
    const importing = sending.result;
    // While `task` imports (another process, the other core): the state, the intents, and the
    // notes written and flushed under temp names. They are renamed over the notes only once
    // the import succeeded; a failed import removes them. The input goes into the pipe first.
    await sending.written;
    // Tasks this sync creates: a transaction that creates one of them, and is the only one on
    // it, is our own write as we sent it, with nothing to compare (a first sync of 10,000 tasks
    // spent 160 ms parsing and comparing those), and needs no intent (see `created`).
    const fresh = new Set(imports.filter((t) => !basisOf.has(t.uuid) && !twByUuid.has(t.uuid)).map((t) => t.uuid));
    try {
      prepare();
      const intents = () => {
        for (const t of imports) if (!fresh.has(t.uuid)) intent.set(versionKey(t), basisOf.has(t.uuid) ? diff(basisOf.get(t.uuid)!, t) : null);
      };
      intents();
      staged = stageAll(toWrite.map((c) => ({ path: join(opts.workspace, c.file), data: c.after })), true);
      notesOut.staged.push(staged);
      // The state too (not flushed: it is recoverable), renamed after the notes as before.
      const { shards, shardTexts, catalog } = prepare();
      stagedState = stageAll([...shards.map((sh, i) => ({ path: store.shardPath(sh.file), data: shardTexts[i] })), { path: store.catalogPath(), data: catalog }]);
      notesOut.staged.push(stagedState);
    } catch (e) {
      await importing;
      throw e;
    }
    const r = await importing;
    if (!r.ok) {
      staged.abort();
      stagedState?.abort();
      if (journaled) await unlink(join(dir, 'journal.json')).catch(() => {});
      return twFail(report, r.error);
    }
    // Import replaces whole tasks: a `task` that wrote one of them between our read and our
    // import lost its change under ours. Our own transaction in undo.data shows it (its `old`
    // is not what we read): rebase our change onto that and import it once more.
    // What Taskwarrior should hold now: every transaction since our read, in order. A write
    // by someone else applies its own change (rebased when it started from a stale copy); a
    // write of ours applies only what we meant (our version against the one we computed it
    // from), a correction of ours nothing. Where the last version differs, write the expected
    // one; repeat while other writers keep racing (bounded).
    const created = new Set<string>();
    const written: TwTask[] = [...imports];
    const transactions: { old: TwTask | null; new: TwTask }[] = [];
    let from = undoBefore;
    let refixed = 0;
    let settled = false;
    for (let round = 0; round < 4; round++) {
      const tail = await readUndoTail(opts.tw.dataDir(), from, undefined, round === 0 ? fresh : undefined);
      transactions.push(...tail.transactions);
      for (const u of tail.created) created.add(u);
      from = tail.size;
      const fixes = fixesAfter(imports, created, transactions, new Map([...prevIntents, ...intent]));
      if (fixes.length === 0) {
        settled = true;
        break;
      }
      if (round === 3) break;
      const r2 = await opts.tw.import(fixes);
      if (!r2.ok) break;
      // A correction restates what is expected: it changes nothing in the model.
      for (const f of fixes) intent.set(versionKey(f), new Map());
      refixed += fixes.length;
      written.push(...fixes);
    }
    if (fresh.size > 0) {
      const mark = undoMark(opts.tw.dataDir(), from);
      if (mark !== null) createdMarks.push([from, mark]);
      // No mark (undo.data unreadable): the creations' intents do the check, as other writes'.
      else for (const t of imports) if (fresh.has(t.uuid)) intent.set(versionKey(t), null);
    }
    if (refixed > 0) report.warnings.push(`kept ${refixed} change(s) a concurrent \`task\` made while this sync wrote`);
    const after = await opts.tw.stamp();
    // The stamp counts only if every transaction since our read is one of our writes (by
    // content: a foreign write to a task we also wrote must still look new).
    const ours = transactions.length > 0 ? new Set(written.map(canon)) : new Set<string>();
    recordStamp = settled && refixed === 0 && transactions.every((x) => ours.has(canon(x.new))) ? after : null;
  }
  const skipped = new Set<string>();
  const noteWrites: { path: string; data: string }[] = [];
  for (const c of toWrite) {
    const abs = join(opts.workspace, c.file);
    const current = opts.texts?.get(c.file)?.text ?? readText(abs);
    if (current !== c.before) {
      // Edited while we synced: keep the user's text; the next sync merges it.
      report.warnings.push(`${c.file} changed during the sync; its note edits wait for the next sync`);
      skipped.add(c.file);
      continue;
    }
    noteWrites.push({ path: abs, data: c.after });
  }
  if (staged) {
    const go = new Set(noteWrites.map((w) => w.path));
    staged.commit((path) => go.has(path));
  } else await writeAtomicAll(noteWrites, true);

  // State: the shards, the catalog, then the head of the index.
  if (stagedState) stagedState.commit();
  else {
    const { shards, shardTexts, catalog } = prepare();
    for (let i = 0; i < shards.length; i++) await store.saveShardText(shards[i].file, shardTexts[i]);
    await store.saveCatalogText(catalog);
  }
  if (deferredTw.size > 0) recordStamp = null;
  // Notes holding deferred changes are read again next time.
  const deferredFiles = new Set([...deferredNote].map((k) => graph.tasks.get(k)?.file).filter((f): f is string => !!f));
  for (const f of removed) delete index.notes[f];
  for (const [f, n] of refreshed) index.notes[f] = n;
  for (const f of new Set([...loaded.keys(), ...noteChanges.map((c) => c.file)])) {
    if (removed.includes(f)) continue;
    if (skipped.has(f)) {
      delete index.notes[f];
      continue;
    }
    const after = noteChanges.find((c) => c.file === f)?.after;
    const n = loaded.get(f);
    if (after !== undefined) {
      // Written by us or by the editor (applyNotes): fingerprint as it is on disk now.
      index.notes[f] = await fingerprint(join(opts.workspace, f), hashText(after));
    } else if (n) {
      if (!n.exists) {
        delete index.notes[f];
        continue;
      }
      index.notes[f] = opts.texts?.has(f) ? await fingerprint(join(opts.workspace, f), n.hash) : { hash: n.hash, size: n.size, mtime: n.mtime };
    }
  }
  for (const f of deferredFiles) delete index.notes[f];
  index.stamp = recordStamp;
  // From before our import: the next sync checks that our own writes survived, too.
  index.undoSize = undoSize;
  index.undoMark = undoMark(opts.tw.dataDir(), undoSize);
  // The next sync reads undo.data from `undoSize`: it needs this sync's intents, and the last
  // one's too while that window has not moved past them (no export this time).
  const keep = source !== 'cache' ? intent : new Map([...prevIntents, ...intent]);
  index.intents = [...keep].map(([k, d]) => [k, deltaToJson(d)]);
  index.created = source !== 'cache' ? createdMarks : [...(index.created ?? []), ...createdMarks];
  await store.saveHead(index);
  if (journaled) await unlink(join(dir, 'journal.json')).catch(() => {});
  return report;
}

/**
 * What changed in Taskwarrior since the last sync, without a `task` process (2.6): every write
 * appends the new version to undo.data, so the part appended since holds every changed task.
 * Null (export instead) when that cannot be trusted: undo.data was rewritten (`task undo`: the
 * bytes before the part read changed, or a version the last sync wrote is gone) or is missing
 * (3.x), completed.data shrank (a purge writes no undo entry), or pending.data /
 * completed.data do not hold the version undo.data says (a concurrent writer's update was lost,
 * or a file is half written): the export path repairs those.
 */
function readChangesFromUndo(dataDir: string, index: Index, stamp: string, intents: Map<string, Delta | null>): { size: number; tasks: TwTask[] } | null {
  if (index.undoSize === undefined || index.undoMark === undefined || index.undoMark === null || index.stamp === null) return null;
  if (undoMark(dataDir, index.undoSize) !== index.undoMark) return null;
  // Creations the last sync wrote are still there: `task undo` rewrites the bytes after them.
  for (const [size, mark] of index.created ?? []) if (undoMark(dataDir, size) !== mark) return null;
  const completed = (s: string) => {
    const m = /completed\.data:(\d+):/.exec(s);
    return m ? Number(m[1]) : -1;
  };
  if (completed(stamp) < completed(index.stamp)) return null;
  const tail = readUndoTailSync(dataDir, index.undoSize, intents);
  if (!tail) return null;
  // Every version the last sync wrote must still be there: `task undo` of one of them removes
  // it from undo.data without making the file shorter than what was read.
  const written = new Set(tail.transactions.map((x) => versionKey(x.new)));
  for (const k of intents.keys()) if (!written.has(k)) return null;
  const stored = storedVersions(dataDir, tail.latest.keys());
  for (const [u, want] of tail.latest) {
    const have = stored.get(u);
    if (!have || canon(have) !== canon(want)) return null;
  }
  return { size: tail.size, tasks: [...tail.latest.values()] };
}

/** A task's content (without `id` and `urgency`, which change when other tasks do). */
function versionOf(t: TwTask): string {
  const { id: _i, urgency: _u, ...rest } = t;
  return hashString(JSON.stringify(rest));
}

/**
 * What to remember of a task's version: its `modified`, and for a task modified within two
 * seconds of the export also a content hash. Every write sets `modified`, so an older task
 * whose `modified` is unchanged is unchanged; only within the same second (its resolution)
 * can two versions share it. Hashing only those keeps a 10,000-task export cheap.
 */
function versionStamp(t: TwTask, exportedAt: number): string {
  const m = t.modified ?? '';
  const at = parseTwTime(m) ?? 0;
  return at >= exportedAt - 2000 ? `${m}#${versionOf(t)}` : m;
}

function changedSince(stamp: string | undefined, t: TwTask): boolean {
  if (stamp === undefined) return true;
  const hash = stamp.indexOf('#');
  const m = hash < 0 ? stamp : stamp.slice(0, hash);
  if (m !== (t.modified ?? '')) return true;
  return hash >= 0 && stamp.slice(hash + 1) !== versionOf(t);
}

function readText(abs: string): string {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return '';
  }
}

function twFail(r: SyncReport, e: TwError): SyncReport {
  return fail(r, e.code, `${e.message}; notes and Taskwarrior are as they were`);
}

function parseTwTime(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? utcMs(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : null;
}

function diffFields(from: Fields, to: Fields): LogEntry['fields'] {
  const out: LogEntry['fields'] = {};
  for (const f of FIELD_NAMES) if (!sameValue(from[f], to[f])) out[f] = { lost: from[f], kept: to[f] };
  return out;
}

/** An export by uuid, and what changed since the last sync saw it (gone ones included). */
function indexExport(twTasks: TwTask[], index: Index, twByUuid: Map<string, TwTask>, twChanged: Set<string>): void {
  for (const t of twTasks) {
    twByUuid.set(t.uuid, t);
    if (changedSince(index.modified[t.uuid], t)) twChanged.add(t.uuid);
  }
  for (const u of Object.keys(index.where)) if (!twByUuid.has(u)) twChanged.add(u);
}

/** Versions to write again after an import: where the last one is not what the model expects. */
function fixesAfter(imports: TwTask[], created: Set<string>, transactions: { old: TwTask | null; new: TwTask }[], intents: Map<string, Delta | null>): TwTask[] {
  const expected = expectedVersions(transactions, intents);
  const current = new Map<string, TwTask>();
  for (const x of transactions) current.set(x.new.uuid, x.new);
  const fixes: TwTask[] = [];
  for (const t of imports) {
    if (created.has(t.uuid)) continue;
    const want = expected.get(t.uuid);
    const have = current.get(t.uuid);
    if (want && have && canon(want) !== canon(have)) fixes.push(want);
  }
  return fixes;
}
