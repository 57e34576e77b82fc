/**
 * A sync: notes and Taskwarrior brought into step, as a pipeline of phases with a typed value
 * between each (the flow is `attempt` below, top to bottom):
 *
 *   scan the notes (notes.ts) → read Taskwarrior (twread.ts) → choose the notes involved
 *   (scope.ts) → identity (identity.ts) → merge per task (reconcile.ts, the rule: merge.ts)
 *   → plan the writes (plan.ts) → render the notes (render.ts) → links read again in the
 *   rendered notes (links.ts) → commit (commit.ts: journal, import, notes, state, log).
 *
 * One-note pulls and pushes are the same pipeline limited to one note's tasks (and what moved in
 * or out of it); a Taskwarrior change they read and do not merge waits in the state
 * (`unmerged`) for the sync that covers its note, so nothing is marked seen by a sync that
 * did not look at it.
 *
 * Process budget on Taskwarrior 2.6: nothing changed starts no process; a change in Taskwarrior
 * is read from undo.data's new part with no process where it can be trusted, else one export;
 * a note change with tasks to send needs one import (started once the plan holds them). A lock
 * serialises Planager's writers across processes; other `task` writers are handled by undo.data
 * (commit.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commit, EarlyImport, withholdUnwritable } from './commit.js';
import type { Staged } from './fsutil.js';
import { identify, type Identity } from './identity.js';
import { linkDepends } from './links.js';
import { replayJournal } from './journal.js';
import { acquireLock } from './lock.js';
import { DEFAULT_PRIORITIES, fromTw, type PriorityMap } from './mapping.js';
import type { Direction } from './merge.js';
import { NoteSource, type NoteScan } from './notes.js';
import { planWrites, type WritePlan } from './plan.js';
import { reconcile } from './reconcile.js';
import { renderNotes, rerenderMirrors } from './render.js';
import { emptyReport, fail, fsFail, twFail, type NoteChange, type SyncReport } from './report.js';
import { chooseNotes, Loaded, notesHolding, type Scope, type ScopeInput } from './scope.js';
import { idLengthOf } from './workspace.js';
import { Store, type Head, type Index, type SyncState } from './store.js';
import type { Taskwarrior } from './taskwarrior.js';
import { readTwSide, type TwRead } from './twread.js';
import { deltaFromJson, storedVersions } from './undo.js';

export { shortId, uuidFromId, UuidIndex } from './ids.js';
export type { Conflict, NoteChange, SyncReport } from './report.js';

export interface SyncOptions {
  /** Absolute path of the workspace folder. */
  workspace: string;
  tw: Taskwarrior;
  /** Limit the sync to these workspace-relative notes (pull/push of one file). */
  files?: string[];
  /** Folder for state, journal, log and backups (default `<workspace>/.planager`). */
  stateDir?: string;
  direction?: Direction;
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
   * state), but those of notes the sync withholds (read-only or unreadable ones, and the notes
   * a move links to them). An editor applies them to its open buffers here; returning false (a
   * buffer changed meanwhile) abandons the sync with nothing written, to be run again.
   */
  applyNotes?: (changes: NoteChange[]) => Promise<boolean>;
  /** Text to use instead of the file on disk (an open, modified buffer), by relative path. */
  texts?: Map<string, { text: string; mtime: number }>;
  /** Write planned note changes to disk (default true); a function decides per file (the
   * Neovim host patches open buffers itself and lets the engine write the others). */
  writeNotes?: boolean | ((file: string) => boolean);
  /**
   * Notes this sync must not write (open in an editor with unsaved changes): their changes
   * are left out, as for a read-only note, and wait for the next sync of that note.
   */
  holds?: (file: string) => boolean;
  /** Hex digits of a new task's id (default: ids.ts's, longer in a shared workspace). */
  idLength?: number;
}

export function stateDirOf(opts: Pick<SyncOptions, 'workspace' | 'stateDir'>): string {
  return opts.stateDir ?? join(opts.workspace, '.planager');
}

/** Every task's state, assembled from the shards (for history and backups). */
export function loadState(dir: string): Promise<SyncState> {
  return new Store(dir).all();
}

export async function sync(opts: SyncOptions): Promise<SyncReport> {
  const dir = stateDirOf(opts);
  const report = emptyReport(!!opts.dryRun);
  const calls0 = opts.tw.calls;
  const done = (r: SyncReport) => ({ ...r, processes: opts.tw.calls - calls0, warnings: [...report.warnings, ...r.warnings] });
  // Read-only first: when nothing changed, no lock, no process, nothing written.
  if (!opts.texts && !opts.inbox && (await nothingChanged(opts, dir))) return report;
  let locked: Awaited<ReturnType<typeof acquireLock>> | null = null;
  try {
    // Inside: a state folder that cannot be made (a file in its place, no permission) is a report.
    locked = opts.dryRun ? null : await acquireLock(dir);
    if (locked && !locked.ok) return fail(report, locked.code, locked.message);
    const replay = opts.dryRun ? null : await replayJournal(opts.workspace, new Store(dir), opts.tw);
    if (replay) report.warnings.push(replay.message);
    if (replay && !replay.ok) return done(fail(report, 'journal-replay-failed', replay.message));
    let forceExport = false;
    for (let n = 0; n < 3; n++) {
      const early = new EarlyImport(opts.tw);
      const staged: Staged[] = [];
      let r: SyncReport | 'retry' | 'export';
      try {
        r = await attempt(opts, new Store(dir), emptyReport(!!opts.dryRun), early, staged, forceExport);
      } finally {
        await early.cancel();
        // Temp files an attempt staged and did not rename (it failed or threw).
        for (const s of staged) s.abort();
      }
      if (r === 'export') forceExport = true;
      else if (r !== 'retry') return done(r);
    }
    return done(fail(report, 'busy', 'Taskwarrior kept changing while syncing; try again'));
  } catch (e) {
    const f = fsFail(report, e);
    if (f) return done(f);
    throw e;
  } finally {
    if (locked && locked.ok) await locked.lock.release();
  }
}

/**
 * Whether a sync now would find nothing to do, as `sync` first asks (read-only, no process):
 * `sync --remote` records that it ended at rest only when this holds (cli/remotequiet.ts).
 */
export function syncIsIdle(opts: Pick<SyncOptions, 'workspace' | 'tw' | 'stateDir'>): Promise<boolean> {
  return nothingChanged(opts, stateDirOf(opts));
}

/** Nothing to do: same database stamp, same notes, no journal, nothing held back for these notes. */
async function nothingChanged(opts: Pick<SyncOptions, 'workspace' | 'tw' | 'files' | 'texts'>, dir: string): Promise<boolean> {
  const store = new Store(dir);
  const head = await store.head().catch(() => null);
  if (!head || head.stamp === null || waitingFor(head, opts.files ?? null)) return false;
  if (existsSync(store.journalPath())) return false;
  const scan = await notesOf(opts, dir).scan(head.notes, []);
  if ('error' in scan || scan.changed.length > 0 || scan.removed.length > 0 || scan.touched.size > 0) return false;
  return (await opts.tw.stamp()) === head.stamp;
}

/**
 * Taskwarrior changes an earlier sync read and left for a note these files include. A task with
 * no note yet (null) waits for a full sync: a one-note sync already knew these notes' headings.
 */
function waitingFor(head: Head, files: string[] | null): boolean {
  for (const f of Object.values(head.unmerged ?? {})) if (!files || (f !== null && files.includes(f))) return true;
  return false;
}

function notesOf(opts: SyncOptions, dir: string): NoteSource {
  return new NoteSource({ workspace: opts.workspace, stateDir: dir, files: opts.files ?? null, texts: opts.texts });
}

async function attempt(
  opts: SyncOptions,
  store: Store,
  report: SyncReport,
  early: EarlyImport,
  staged: Staged[],
  forceExport: boolean,
): Promise<SyncReport | 'retry' | 'export'> {
  const now = opts.now?.() ?? new Date();
  const direction = opts.direction ?? 'both';
  const priorities = opts.priorities ?? DEFAULT_PRIORITIES;
  const notes = notesOf(opts, store.dir);
  const head = await store.head();
  if (stateLost(store)) report.warnings.push(STATE_LOST);
  let scan = await notes.scan(head.notes, report.warnings);
  if ('error' in scan) return fail(report, 'read-failed', scan.error);
  const stamp = await opts.tw.stamp();
  if (!forceExport && (await nothingToMerge(opts, store, head, scan, stamp))) return report;
  const index = await store.index(head);
  // A catalog that could not be read knows no note: every note is read again, or the state
  // this sync records would hold only the notes that changed (harness finding mirror-F11).
  if (store.unreadable.includes(store.catalogPath())) {
    const all = await notes.scan({}, report.warnings);
    if ('error' in all) return fail(report, 'read-failed', all.error);
    scan = all;
    // What the shards still know comes back: where each task lives, which notes mirror it.
    Object.assign(index, await store.rebuiltCatalog(all.files));
  }
  const prevIntents = new Map((index.intents ?? []).map(([k, d]) => [k, deltaFromJson(d)] as const));
  const loaded = new Loaded(notes, store, scan);
  const read = forceExport ? { ...index, stamp: null } : index;
  const twr = await readTwSide(opts.tw, read, stamp, prevIntents, opts.inbox ? (index.unclaimed ?? []) : [], report.warnings, () => loadAll(loaded, scan));
  if ('code' in twr) return twFail(report, twr);
  const input: ScopeInput = {
    workspace: opts.workspace,
    stateDir: store.dir,
    dataDir: opts.tw.dataDir(),
    files: opts.files ?? null,
    inbox: opts.inbox ?? null,
    pulls: direction !== 'push',
    pushes: direction !== 'pull',
    priorities,
    now,
    idLength: opts.idLength ?? idLengthOf(opts.workspace),
  };
  const scope = await chooseNotes(input, scan, index, twr, loaded);
  report.warnings.push(...scope.mirrorWarnings);
  const id = await identifyFollowingMoves(input, scope, index, twr, notes, report);
  recoverLostShards(scope, index, id, twr, priorities);
  // An id no task was found for, after a read that was not a full export: look at everything
  // before creating a task for it (identity.ts `minted`; issue 18: a merged note brings back a
  // line whose task this device had dropped from its state).
  if (id.minted.size > 0 && twr.source !== 'export') return 'export';
  // A line whose task has neither a state here nor a version in this read: its note's state
  // could not be loaded (the note it moved from is not valid UTF-8, seed 300379). Merged with
  // nothing, its import would replace the task (annotations, UDAs, entry gone).
  if (twr.source !== 'export' && unread(id, scope, twr)) return 'export';
  // A state file that could not be read: what it knew comes from a full export instead.
  if (store.unreadable.length > 0 && twr.source !== 'export') return 'export';
  for (const f of store.unreadable) report.warnings.push(`${f} could not be read; what it held was rebuilt from the notes and Taskwarrior`);
  const rec = reconcile(scope, id, twr, { direction, priorities, now, propagate: opts.propagate ?? true }, report.warnings);
  const plan = planWrites(scope, id, rec, twr, { direction, priorities, now }, report);
  keepPurged(plan, scope, twr, opts.tw, report);
  addRepairs(plan, twr);
  // Started now, not when the scan saw a changed note: a note git merge rewrote to what `task
  // sync` had already brought sends nothing (issue 18: three of five `sync --remote` runs
  // started an import that got no task). `task` still starts while the notes are rendered and
  // staged; it reads its whole input before it opens a data file (strace, 2.6.2), so starting
  // earlier only hid its exec and rc parse.
  if (plan.imports.length > 0 && !opts.dryRun) early.start();
  const writes = (f: string) => (typeof opts.writeNotes === 'function' ? opts.writeNotes(f) : (opts.writeNotes ?? true));
  const rendered = renderNotes(loaded, plan, report.warnings);
  const withheld = withholdUnwritable({ notes, plan, rec, writes, scope }, rendered, report);
  // Before the mirrors: they show the imports as this sync leaves them.
  linkDepends(scope, id, rec, plan, rendered, { direction, priorities, now }, report);
  const changes = rerenderMirrors(
    scope,
    plan,
    rendered,
    twr,
    { priorities, direction, dataDir: opts.tw.dataDir(), now, lineOf: (u) => rec.merges.get(u)?.obj },
    report.warnings,
  );
  summarize(report, plan, changes);
  const stop = bulkGuard(opts, plan, changes, report);
  if (stop || opts.dryRun) return stop ?? report;
  // Not the withheld notes': the commit writes none of them, and an editor that applied one
  // (the source of a move into a read-only note) cut the moved block from its buffer while
  // the note it was bound for kept its text: the line, then its task, lost.
  const applying = withheld.size > 0 ? changes.filter((x) => !withheld.has(x.file)) : changes;
  if (opts.applyNotes && applying.length > 0 && !(await opts.applyNotes(applying))) return stale(report);
  return commit(
    {
      workspace: opts.workspace,
      store,
      tw: opts.tw,
      notes,
      index,
      stamp,
      twr,
      scan,
      scope,
      rec,
      plan,
      changes,
      writes,
      holds: opts.holds ?? (() => false),
      withheld,
      prevIntents,
      early,
      staged,
    },
    report,
  );
}

const STATE_LOST =
  'the sync state is missing (deleted?) while its activity log is there: this sync merges as a first one, and a line removed since the last sync brings its task back';

/**
 * Earlier syncs logged here, yet no head nor catalog: the state went (deleted by hand). What it
 * alone knew (a line removed since the last sync) cannot be carried out; the user is told
 * (harness round5-a3).
 */
function stateLost(store: Store): boolean {
  return !existsSync(join(store.dir, 'index.json')) && !existsSync(store.catalogPath()) && existsSync(store.logPath());
}

/** Same stamp, no note changed, nothing held back: only refreshed fingerprints to record. */
async function nothingToMerge(opts: SyncOptions, store: Store, head: Head, scan: NoteScan, stamp: string): Promise<boolean> {
  if (stamp !== head.stamp || scan.changed.length > 0 || scan.removed.length > 0 || waitingFor(head, opts.files ?? null)) return false;
  if (opts.inbox && ((await store.index(head)).unclaimed ?? []).length > 0) return false;
  if (scan.touched.size > 0 && !opts.dryRun) {
    for (const [f, n] of scan.touched) head.notes[f] = n;
    await store.saveHead(head);
  }
  return true;
}

/** The changed notes are parsed while `task` exports (another process, the other core). */
async function loadAll(loaded: Loaded, scan: NoteScan): Promise<void> {
  for (const n of scan.changed) await loaded.load(n.file);
}

/**
 * Identity, and for a sync that no longer sees some of its lines where the state puts them:
 * the notes that hold their ids now are loaded (the line moved there), and identity is
 * resolved again.
 */
async function identifyFollowingMoves(
  input: ScopeInput,
  scope: Scope,
  index: Parameters<typeof identify>[1],
  twr: TwRead,
  notes: NoteSource,
  report: SyncReport,
): Promise<Identity> {
  const warnings: string[] = [];
  let id = identify(scope.loaded, index, twr, warnings, input.idLength);
  // Full syncs too: a note the sync did not load (unchanged since) may hold the line now, and
  // taking it for removed would delete its task. Read only when a line is missing.
  {
    const seen = new Set(id.keyToUuid.values());
    const missing = [...scope.loaded.known.values()].filter((st) => scope.inScope(st.file) && !seen.has(st.uuid)).map((st) => st.id);
    const more = await notesHolding(missing, input, new Set(scope.loaded.notes.keys()), notes);
    if (more.length > 0) {
      for (const f of more) await scope.loaded.load(f);
      warnings.length = 0;
      id = identify(scope.loaded, index, twr, warnings, input.idLength);
    }
  }
  report.warnings.push(...warnings);
  return id;
}

/**
 * A note whose shard was lost (unreadable): the catalog still says which tasks lived there.
 * One that is pending, waiting or done in Taskwarrior and on no line now had its line removed
 * (a done one too, as with its shard: seed 1002175 kept a done task whose line the user had
 * removed, unlogged, when the shard was lost before the removal was synced): it gets a state
 * (Taskwarrior's version as its base) so that the removal is carried out, never undone by
 * pulling the task back in as if it were new. Tasks still on a line keep no base: both sides
 * count as changed and the newer wins, as on a first sync.
 */
function recoverLostShards(scope: Scope, index: Index, id: Identity, twr: TwRead, priorities: PriorityMap): void {
  if (scope.loaded.lostShards.size === 0) return;
  const onLine = new Set(id.keyToUuid.values());
  for (const [u, file] of Object.entries(index.where)) {
    const t = twr.byUuid.get(u);
    if (
      !scope.loaded.lostShards.has(file) ||
      onLine.has(u) ||
      scope.loaded.known.has(u) ||
      !t ||
      (t.status !== 'pending' && t.status !== 'waiting' && t.status !== 'completed')
    )
      continue;
    scope.loaded.known.set(u, { uuid: u, id: id.uuids.get().shortId(u), file, base: fromTw(t, priorities), dueText: null, scheduledText: null });
    scope.loaded.knownCache.set(u, t);
  }
}

/**
 * A purge writes nothing to undo.data, so without an export a deleted task may be gone: look
 * before writing to one, so that it is reported and never re-created.
 */
function keepPurged(plan: WritePlan, scope: Scope, twr: TwRead, tw: Taskwarrior, report: SyncReport): void {
  if (twr.source === 'export') return;
  const deleted = plan.imports.filter((t) => plan.basisOf.get(t.uuid)?.status === 'deleted').map((t) => t.uuid);
  if (deleted.length === 0) return;
  const there = storedVersions(tw.dataDir(), deleted);
  for (const u of deleted) {
    if (there.has(u)) continue;
    plan.imports = plan.imports.filter((t) => t.uuid !== u);
    report.taskwarrior.updated = report.taskwarrior.updated.filter((x) => x !== u);
    const st = scope.loaded.known.get(u);
    report.warnings.push(`${st?.file ?? ''}: task ${st?.id ?? u} is gone from Taskwarrior (purged?); the line is kept and the task is not re-created`);
    if (st) plan.tasks.set(u, st);
    else plan.tasks.delete(u);
    const c = scope.loaded.knownCache.get(u);
    if (c) plan.cache.set(u, c);
  }
}

/**
 * Versions a concurrent `task` overwrote go back in even where nothing else changed them. A
 * repaired task the notes change too is imported from the export as its basis when the export
 * shows a version a stale rewrite put back (`staleExport`): its intent then carries the repair.
 * From the repaired version, the intent was the note change alone; rebased onto the import's
 * undo `old` (the files' version) it dropped the repair again, and the commit's correction
 * wrote that (seeds 1002426, 1002525). Not when the export may show a write still in flight:
 * the repair then reverts that write, and an intent carrying it would keep it reverted.
 */
function addRepairs(plan: WritePlan, twr: TwRead): void {
  const importing = new Set(plan.imports.map((t) => t.uuid));
  for (const r of twr.repairs) {
    const was = twr.exportedVersion.get(r.uuid);
    if (importing.has(r.uuid)) {
      if (was && twr.staleExport?.has(r.uuid)) plan.basisOf.set(r.uuid, was);
      continue;
    }
    plan.imports.push(r);
    if (was) plan.basisOf.set(r.uuid, was);
    if (plan.cache.has(r.uuid)) plan.cache.set(r.uuid, r);
  }
}

function summarize(report: SyncReport, plan: WritePlan, changes: NoteChange[]): void {
  report.noteChanges = changes;
  report.notes = changes.map((c) => ({ file: c.file, edits: c.edits.length }));
  report.changed = plan.imports.length > 0 || changes.length > 0;
}

/** A sync that would complete or delete most of what it touches stops and asks. */
function bulkGuard(opts: SyncOptions, plan: WritePlan, changes: NoteChange[], report: SyncReport): SyncReport | null {
  const touched = new Set([...plan.imports.map((t) => t.uuid), ...changes.flatMap((c) => c.edits.map((e) => ('key' in e ? e.key : 'add')))]).size;
  const share = opts.bulkShare ?? 0.5;
  const min = opts.bulkMin ?? 3;
  if (opts.force || plan.bulk < min || plan.bulk <= share * Math.max(1, touched)) return null;
  return fail(
    report,
    'bulk-guard',
    `this sync would delete or complete ${plan.bulk} of the ${touched} tasks it touches; run again with --force to go ahead`,
    1,
  );
}

function stale(report: SyncReport): SyncReport {
  const r = fail(
    { ...report, changed: false, noteChanges: [], notes: [], taskwarrior: { created: [], updated: [], deleted: [] } },
    'stale',
    'a buffer changed while syncing',
  );
  r.warnings.push('a buffer changed while syncing; nothing was written');
  return r;
}

function unread(id: Identity, scope: Scope, twr: TwRead): boolean {
  for (const u of id.held) if (!scope.loaded.known.has(u) && !twr.byUuid.has(u)) return true;
  return false;
}
