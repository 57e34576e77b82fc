/**
 * Commit: the plan written, Taskwarrior first, then the notes, then the state, so that a sync
 * killed anywhere is finished by re-running it (a sync that writes both sides journals its
 * plan first, and the next one replays it: journal.ts).
 *
 * Contract:
 * - Nothing is imported over a database that changed since it was read: 'retry'.
 * - Import replaces whole tasks, so a `task` that wrote one of ours between our read and our
 *   import lost its change: undo.data shows it, and the expected version is imported again
 *   (a few rounds at most). 2.6 also rewrites the whole pending.data from the copy it loaded at
 *   its start: another `task`'s write committed while ours ran, to any task, is gone from the
 *   file (undo.data keeps it) and is written again the same way, in this sync. An outside
 *   `task` that loaded before our last write and writes after our last look can still drop it:
 *   the stamp is then not recorded, and the next sync reads undo.data and restores it.
 * - A note is never written when it changed while the sync ran, when it is read-only, or when
 *   the sync could not read it (not valid UTF-8): it is reported, its tasks keep their old
 *   state (nothing counts as seen), and a move into or out of it stays undone on both ends, so
 *   no line is lost between two notes.
 * - The tasks the import created for the new lines of a note that changed while it ran reach
 *   their lines through the journal, at the next sync (`keepCreatedOfLate`): one task a line.
 * - The database stamp recorded is the one this sync read, or after our own import only when
 *   nothing but our writes landed in between: a write made meanwhile still looks new.
 * - What follows the import (the notes, the state) is on disk under temp names before `task`
 *   gets its input: a full disk refuses the sync with Taskwarrior untouched.
 */
import { isReadOnly, stageAll, writeAtomicAll, type Staged } from './fsutil.js';
import { dropJournal, journalText, keepJournal, recordImporter, writeJournal, type Journal } from './journal.js';
import { appendLog } from './log.js';
import type { NoteScan, NoteSource } from './notes.js';
import type { WritePlan } from './plan.js';
import type { Reconciled } from './reconcile.js';
import { twFail, type NoteChange, type SyncReport } from './report.js';
import type { Scope } from './scope.js';
import { fingerprints, nextState, type PreparedState, type StateInput } from './state.js';
import type { Index, Store } from './store.js';
import { importLine, type PendingImport, type Taskwarrior, type TwResult, type TwTask } from './taskwarrior.js';
import { stampSize, type TwRead } from './twread.js';
import {
  answersOurs,
  canon,
  deltaToJson,
  diff,
  expectedVersions,
  readUndoTail,
  storedVersions,
  undoMark,
  undoSize as undoFileSize,
  versionKey,
  type Delta,
} from './undo.js';
import { hashText } from './workspace.js';

/**
 * The import of a sync that will probably need one (a note changed), started as soon as that
 * is known: `task` starts up while the notes are parsed and merged, and gets its tasks when
 * they are ready. Unused, it is closed with no input (it writes nothing).
 */
export class EarlyImport {
  private pending: PendingImport | null = null;
  constructor(private readonly tw: Taskwarrior) {}
  start(): void {
    this.pending ??= this.tw.startImport();
  }
  /** Send the tasks; `written` settles once they are all in `task`'s stdin pipe. */
  send(tasks: TwTask[], lines?: string[], onFeed?: (pid: number | undefined) => void): { result: Promise<TwResult<void>>; written: Promise<void> } {
    const p = this.pending ?? this.tw.startImport();
    this.pending = null;
    const result = p.send(tasks, lines, onFeed);
    return { result, written: p.written() };
  }
  /** Settles once the unused import's `task` has exited. */
  async cancel(): Promise<void> {
    const p = this.pending;
    this.pending = null;
    await p?.cancel();
  }
}

export interface CommitInput {
  workspace: string;
  store: Store;
  tw: Taskwarrior;
  notes: NoteSource;
  index: Index;
  stamp: string;
  twr: TwRead;
  scan: NoteScan;
  scope: Scope;
  rec: Reconciled;
  plan: WritePlan;
  changes: NoteChange[];
  /** Whether the engine writes this note (the editor writes the buffers it applied). */
  writes(file: string): boolean;
  /** Notes nothing may write now (an editor buffer with unsaved changes). */
  holds(file: string): boolean;
  /** Notes `withholdUnwritable` withheld before the viewports were filled (reported). */
  withheld: Set<string>;
  prevIntents: Map<string, Delta | null>;
  early: EarlyImport;
  /** Temp files staged; the caller removes what was not renamed. */
  staged: Staged[];
}

interface Imported {
  recordStamp: string | null;
  intents: Map<string, Delta | null>;
  createdMarks: [number, string][];
}

export async function commit(c: CommitInput, report: SyncReport): Promise<SyncReport | 'retry'> {
  if (c.twr.source !== 'cache' && c.plan.imports.length > 0 && (await c.tw.stamp()) !== c.twr.seen) return 'retry';
  // Taskwarrior is written from what the notes said: not from a note caught half-written.
  if (c.plan.imports.length > 0 && [...c.scope.loaded.notes.values()].some((n) => !c.notes.unchangedSince(n))) return 'retry';
  const toWrite = c.changes.filter((x) => c.writes(x.file));
  const skipped = unwritten(c, toWrite, report);
  const lines = c.plan.imports.map(importLine);
  const writing = toWrite.filter((x) => !skipped.has(x.file));
  const journaled = lines.length > 0 && writing.length > 0;
  const input: StateInput = {
    index: c.index,
    scan: c.scan,
    scope: c.scope,
    rec: c.rec,
    plan: c.plan,
    changes: c.changes,
    tw: c.twr,
    skipped,
    handled: handledUuids(c, report),
  };
  // Staged while `task` imported, an ENOSPC left the import done and a journal whose replay,
  // over a note edited since, deleted the tasks it had created (round3-f4).
  let prepared = nextState(c.store, input);
  const stagedNotes =
    lines.length > 0
      ? stage(
          c,
          writing.map((x) => ({ path: c.notes.abs(x.file), data: x.after })),
          true,
        )
      : null;
  let stagedState = lines.length > 0 ? stage(c, [...prepared.shards, { path: c.store.catalogPath(), data: prepared.catalog }]) : null;
  const journal = await journalAndLog(c, lines, journaled ? writing : null, report);
  const imported = lines.length > 0 ? await importAll(c, lines, report) : { recordStamp: c.stamp, intents: new Map(), createdMarks: [] };
  if ('code' in imported) {
    if (journaled) await dropJournal(c.store);
    return imported;
  }
  // Edited while we synced: keep the user's text; the next sync merges it, and first ties the
  // ids of the tasks just created for its new lines (keepCreatedOfLate).
  const late = unwritable(c, writing, report, (f, x) => c.notes.current(f) !== x.before, 'changed during the sync; its note edits wait for the next sync');
  if (late.size > 0) {
    for (const f of late) skipped.add(f);
    stagedState?.abort();
    stagedState = null;
    prepared = nextState(c.store, input);
  }
  const go = toWrite.filter((x) => !skipped.has(x.file));
  if (stagedNotes) {
    const keep = new Set(go.map((x) => c.notes.abs(x.file)));
    stagedNotes.commit((p) => keep.has(p));
  } else
    await writeAtomicAll(
      go.map((x) => ({ path: c.notes.abs(x.file), data: x.after })),
      true,
    );
  await saveState(c, prepared, stagedState, imported, skipped);
  if (prepared.newlyUnclaimed > 0 && !c.scope.inbox)
    report.warnings.push(
      `${prepared.newlyUnclaimed} pending Taskwarrior task(s) belong to no note (no heading holds their project); \`planager sync --inbox inbox.norg\` collects them in one note`,
    );
  if (journal) await keepCreatedOfLate(c, journal, late);
  return report;
}

/**
 * The end of a journaled sync: the journal goes, unless a note that changed while `task`
 * imported (`late`: left unwritten, the user's text wins) had new lines whose tasks the import
 * created. Their ids were to reach the lines only through the note's write; lost, the next sync
 * saw id-less lines and created a second task for each. Kept for those tasks only (`imported`),
 * the journal has the next sync tie each id onto its line where the line is still there word
 * for word, and delete a task whose line changed or went (unless changed in Taskwarrior since):
 * that line is new to the sync, which creates its task.
 *
 * Not done here, re-merging the note against its new text: that note is being edited now (it
 * just was), so that merge would race the next edit as this one did, and writing into it now
 * is what the "changed during the sync" check exists to avoid. The next sync reads the note as
 * the user left it, matches by content under its lock, and merges every further edit.
 */
async function keepCreatedOfLate(c: CommitInput, journal: Omit<Journal, 'imports'>, late: Set<string>): Promise<void> {
  const created = (journal.created ?? []).filter((x) => late.has(x.file));
  if (created.length === 0) return dropJournal(c.store);
  const uuids = new Set(created.map((x) => x.uuid));
  const files = new Set(created.map((x) => x.file));
  const imports = c.plan.imports.filter((t) => uuids.has(t.uuid)).map(importLine);
  const notes = journal.notes.filter((n) => files.has(n.file));
  await keepJournal(c.store, journalText(imports, { notes, log: [], undoFrom: journal.undoFrom, created, imported: true }));
}

const READ_ONLY = 'is read-only; its changes were not written (make it writable and sync again)';

/**
 * The notes whose changes are not written, their new tasks out of the plan: the read-only ones
 * (again on the final changes: one only the viewports or mirrors changed, one made read-only
 * since `withholdUnwritable`), the ones it withheld, and the ones the editor holds.
 */
function unwritten(c: CommitInput, toWrite: NoteChange[], report: SyncReport): Set<string> {
  const out = new Set(c.withheld);
  const more = unwritable(
    c,
    toWrite.filter((x) => !out.has(x.file)),
    report,
    (f) => isReadOnly(c.notes.abs(f)),
    READ_ONLY,
  );
  for (const f of more) out.add(f);
  for (const f of unwritable(c, c.changes, report, (f) => c.holds(f), 'has unsaved changes in the editor; its changes wait for its next write')) out.add(f);
  dropNewTasksOf(c, out, report);
  return out;
}

/**
 * The journal (of a sync that writes both sides: `notes` the notes it writes), then the log;
 * what the journal holds besides the imports (null: none written).
 */
async function journalAndLog(c: CommitInput, lines: string[], notes: NoteChange[] | null, report: SyncReport): Promise<Omit<Journal, 'imports'> | null> {
  const rest = notes ? await journalRest(c, notes, report) : null;
  if (rest) await writeJournal(c.store, journalText(lines, rest));
  try {
    await appendLog(c.store.logPath(), c.plan.log);
  } catch (e) {
    // Nothing was imported: no journal may have the next sync import it.
    if (notes) await dropJournal(c.store);
    throw e;
  }
  return rest;
}

const NOT_READ = 'is not valid UTF-8: the moves into it wait, with the changes of the notes they leave, until it can be read';

/**
 * Before the viewports are filled (render.ts): the notes among the changes rendered so far that
 * are not to be written, with the notes moves link to them, and their new lines' tasks out of
 * the plan. Found only at the commit, a viewport filled from the plan had shown a task this
 * sync then did not create (round3-f2). A note the editor holds is known only at the commit,
 * after `applyNotes`.
 *
 * - Read-only notes.
 * - Notes this sync could not read (not valid UTF-8), changed by a move into them: rendered
 *   from no text. Left to the commit, such a note looked edited during the sync (its text is
 *   not the empty one rendered from) only after the import had created the tasks of the new
 *   lines in the note the move leaves, which was then not written either: their ids reached
 *   no line, and the next sync made a second task for each (seed 301606).
 */
export function withholdUnwritable(
  c: Pick<CommitInput, 'notes' | 'plan' | 'rec' | 'writes' | 'scope'>,
  rendered: NoteChange[],
  report: SyncReport,
): Set<string> {
  const unread = unwritable(c, rendered, report, (f) => !c.scope.loaded.notes.has(f), NOT_READ);
  const out = unwritable(
    c,
    rendered.filter((x) => c.writes(x.file) && !unread.has(x.file)),
    report,
    (f) => isReadOnly(c.notes.abs(f)),
    READ_ONLY,
  );
  for (const f of unread) out.add(f);
  dropNewTasksOf(c, out, report);
  return out;
}

/** Files staged under temp names; the engine removes what was not renamed. */
function stage(c: CommitInput, files: { path: string; data: string }[], durable = false): Staged {
  const s = stageAll(files, durable);
  c.staged.push(s);
  return s;
}

/** What a replay needs besides the imports: the notes' texts, and where the new tasks' ids go. */
async function journalRest(c: CommitInput, notes: NoteChange[], report: SyncReport): Promise<Omit<Journal, 'imports'>> {
  const created = report.taskwarrior.created.flatMap((u) => {
    const st = c.plan.tasks.get(u);
    // With the state this sync records for it: a replay over an edited note merges from it.
    return st ? [{ uuid: u, file: st.file, id: st.id, base: st.base, dueText: st.dueText, scheduledText: st.scheduledText }] : [];
  });
  return {
    notes: notes.map((x) => ({ file: x.file, beforeHash: hashText(x.before), after: x.after })),
    log: c.plan.log,
    undoFrom: stampSize(c.stamp, 'undo.data') ?? (await undoFileSize(c.tw.dataDir())),
    created,
  };
}

/**
 * Notes among `list` that `bad` rejects, with every note a move links to them (a block cut
 * from one and not pasted into the other would be lost), each reported once.
 */
function unwritable(
  c: Pick<CommitInput, 'plan'>,
  list: NoteChange[],
  report: SyncReport,
  bad: (file: string, change: NoteChange) => boolean,
  why: string,
): Set<string> {
  const out = new Set<string>();
  for (const x of list) if (bad(x.file, x)) out.add(x.file);
  for (const f of out) report.warnings.push(`${f} ${why}`);
  for (let grew = out.size > 0; grew; ) {
    grew = false;
    for (const m of c.plan.moves) {
      if (out.has(m.from) !== out.has(m.to)) {
        out.add(out.has(m.from) ? m.to : m.from);
        grew = true;
      }
    }
  }
  return out;
}

/** A new line in a note that will not be written gets no task: its id could not be written. */
function dropNewTasksOf(c: Pick<CommitInput, 'plan' | 'rec'>, skipped: Set<string>, report: SyncReport): void {
  if (skipped.size === 0) return;
  const drop = new Set<string>();
  for (const m of c.rec.merges.values()) if (m.isNew && skipped.has(m.obj.file)) drop.add(m.uuid);
  c.plan.imports = c.plan.imports.filter((t) => !drop.has(t.uuid));
  report.taskwarrior.created = report.taskwarrior.created.filter((u) => !drop.has(u));
}

function handledUuids(c: CommitInput, report: SyncReport): Set<string> {
  const out = new Set([...c.rec.merges.keys(), ...report.taskwarrior.deleted]);
  for (const t of c.scope.candidates) if (c.plan.tasks.has(t.uuid)) out.add(t.uuid);
  return out;
}

/**
 * The import, then the corrections: what Taskwarrior should hold now is every transaction
 * since our read applied in order (another writer's change rebased when it started from a
 * stale copy; ours only what we meant). Where the last version differs, write the expected
 * one; repeat while other writers keep racing (bounded).
 */
async function importAll(c: CommitInput, lines: string[], report: SyncReport): Promise<Imported | SyncReport> {
  const { imports, basisOf } = c.plan;
  const dataDir = c.tw.dataDir();
  // From where undo.data stood when this sync read the database (the stamp holds its size).
  const undoBefore = stampSize(c.stamp, 'undo.data') ?? (await undoFileSize(dataDir));
  // What undo.data gained before `task` has our input is not ours (it reads all of its input
  // before it opens a data file): no intent of ours may match it.
  const before = await readUndoTail(dataDir, undoBefore);
  const foreign = new Set(before.transactions);
  const sending = c.early.send(imports, lines, (pid) => recordImporter(c.store, pid));
  // The input goes into the pipe before anything else runs.
  await sending.written;
  // A creation that is the only transaction on its task is our own write as we sent it:
  // nothing to compare, and no intent (see Index.created).
  const fresh = new Set(imports.filter((t) => !basisOf.has(t.uuid) && !c.twr.byUuid.has(t.uuid)).map((t) => t.uuid));
  const intents = new Map<string, Delta | null>();
  for (const t of imports) if (!fresh.has(t.uuid)) intents.set(versionKey(t), basisOf.has(t.uuid) ? diff(basisOf.get(t.uuid)!, t) : null);
  const r = await sending.result;
  if (!r.ok) return twFail(report, r.error);
  const created = new Set<string>();
  const written: TwTask[] = [...imports];
  const transactions: { old: TwTask | null; new: TwTask }[] = [...before.transactions];
  let from = before.size;
  let refixed = 0;
  let settled = false;
  for (let round = 0; round < 4 && !settled; round++) {
    const tail = await readUndoTail(dataDir, from, undefined, round === 0 ? fresh : undefined);
    transactions.push(...tail.transactions);
    for (const u of tail.created) created.add(u);
    from = tail.size;
    const { fixes, inFlight } = fixesAfter(imports, created, transactions, new Map([...c.prevIntents, ...intents]), foreign, () =>
      storedIfForeign(dataDir, transactions, written, created),
    );
    if (fixes.length === 0 && inFlight && round < 3) {
      // A write between its data files and undo.data: read undo.data again shortly, so that a
      // loss it hides (seeds 1002426, 1002525: an annotate our import dropped, then another
      // annotate's files) is restored by this sync, not left to the next one.
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    if (fixes.length === 0) settled = true;
    else if (round < 3) {
      const r2 = await c.tw.import(fixes);
      if (!r2.ok) break;
      // A correction restates what is expected: it changes nothing in the model.
      for (const f of fixes) intents.set(versionKey(f), new Map());
      refixed += fixes.length;
      written.push(...fixes);
    }
  }
  const createdMarks: [number, string][] = [];
  if (fresh.size > 0) {
    const mark = undoMark(dataDir, from);
    if (mark !== null) createdMarks.push([from, mark]);
    // No mark (undo.data unreadable): the creations' intents do the check, as other writes'.
    else for (const t of imports) if (fresh.has(t.uuid)) intents.set(versionKey(t), null);
  }
  if (refixed > 0) report.warnings.push(`kept ${refixed} change(s) a concurrent \`task\` made while this sync wrote`);
  const after = await c.tw.stamp();
  // Every transaction since our read must be one of our writes (by content: a foreign write to
  // a task we also wrote must still look new).
  // Canonical forms only when something was written besides our creations (a first sync of
  // 10,000 tasks spent 30 ms on them otherwise).
  const ours = transactions.length > 0 ? new Set(written.map(canon)) : new Set<string>();
  // undo.data grown since the last tail read: a write we did not look at, which the stamp
  // would have the next sync take for seen (and it may have dropped ours from pending.data).
  const unread = (stampSize(after, 'undo.data') ?? from) !== from;
  const recordStamp = settled && refixed === 0 && !unread && transactions.every((x) => ours.has(canon(x.new)) || answersOurs(x, written)) ? after : null;
  return { recordStamp, intents, createdMarks };
}

/**
 * Versions to write again after an import: where the last one is not what the model expects.
 * `stored` (null: nothing but our writes landed) gives what the data files hold for every task
 * written since our read, ours and others'. 2.6 rewrites the whole pending.data from the copy it
 * loaded at its start, locking only while it loads and while it writes: a `task` that committed
 * in between (ours or another's) lost its write from the file while undo.data kept it, on any
 * task, one this sync never imported too (seed 1001389: an outside annotate gone until the next
 * sync). So the files, not undo.data's last entry, are what is checked then.
 */
function fixesAfter(
  imports: TwTask[],
  created: Set<string>,
  transactions: { old: TwTask | null; new: TwTask }[],
  intents: Map<string, Delta | null>,
  foreign: ReadonlySet<{ old: TwTask | null; new: TwTask }>,
  stored: () => Map<string, TwTask> | null,
): { fixes: TwTask[]; inFlight: boolean } {
  const expected = expectedVersions(transactions, intents, foreign);
  const current = new Map<string, TwTask>();
  for (const x of transactions) current.set(x.new.uuid, x.new);
  const files = stored();
  // The versions undo.data shows of each task: a stale rewrite leaves one of them in the files.
  const known = new Map<string, Set<string>>();
  if (files)
    for (const x of transactions) {
      const k = known.get(x.new.uuid) ?? new Set<string>();
      k.add(canon(x.new));
      if (x.old) k.add(canon(x.old));
      known.set(x.new.uuid, k);
    }
  const uuids = new Set(imports.map((t) => t.uuid));
  if (files) for (const u of current.keys()) uuids.add(u);
  const fixes: TwTask[] = [];
  let inFlight = false;
  for (const u of uuids) {
    if (created.has(u)) continue;
    const want = expected.get(u);
    const have = files ? files.get(u) : current.get(u);
    if (!want) continue;
    // Not in the files: a purge (it writes no undo entry) of a deleted one, else a file caught
    // half written or the task dropped by a stale rewrite: the expected version restates it.
    if (!have) {
      if (files && want.status !== 'deleted') fixes.push(want);
      continue;
    }
    if (canon(want) === canon(have)) continue;
    // A version undo.data does not show yet is a write in flight (2.6 writes the data files,
    // then undo.data): not lost, and not ours to undo; undo.data is read again (`inFlight`), and past
    // the rounds the next sync reads it.
    if (files && !known.get(u)?.has(canon(have))) {
      inFlight = true;
      continue;
    }
    fixes.push(want);
  }
  return { fixes, inFlight };
}

/**
 * What the data files hold for the tasks written since our read, when another writer's
 * transaction is among them (null otherwise: then nothing but our own writes raced, and
 * undo.data's last entries are the files' content, as before).
 */
function storedIfForeign(
  dataDir: string,
  transactions: { old: TwTask | null; new: TwTask }[],
  written: TwTask[],
  created: Set<string>,
): Map<string, TwTask> | null {
  if (transactions.length === 0) return null;
  const ours = new Set(written.map(canon));
  if (transactions.every((x) => ours.has(canon(x.new)) || answersOurs(x, written))) return null;
  return storedVersions(dataDir, new Set(transactions.map((x) => x.new.uuid).filter((u) => !created.has(u))));
}

/** Shards and catalog, then the head: a crash between them leaves a head that forces a compare. */
async function saveState(c: CommitInput, prepared: PreparedState, staged: Staged | null, imported: Imported, skipped: Set<string>): Promise<void> {
  if (staged) staged.commit();
  else {
    await writeAtomicAll(prepared.shards);
    await c.store.saveCatalogText(prepared.catalog);
  }
  const index = c.index;
  fingerprints(index, { scan: c.scan, scope: c.scope, changes: c.changes, skipped, reshaped: prepared.reshaped }, c.plan.deferredFiles, c.notes);
  index.stamp = imported.recordStamp;
  index.taskLines = c.twr.taskLines;
  // From before our import: the next sync checks that our own writes survived, too.
  index.undoSize = c.twr.undoSize;
  index.undoMark = undoMark(c.tw.dataDir(), c.twr.undoSize);
  // The next sync reads undo.data from `undoSize`: it needs this sync's intents, and the last
  // one's too while that window has not moved past them (no export this time).
  const keep = c.twr.source !== 'cache' ? imported.intents : new Map([...c.prevIntents, ...imported.intents]);
  index.intents = [...keep].map(([k, d]) => [k, deltaToJson(d)]);
  index.created = c.twr.source !== 'cache' ? imported.createdMarks : [...(index.created ?? []), ...imported.createdMarks];
  await c.store.saveHead(index);
}
