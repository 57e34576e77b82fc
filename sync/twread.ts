/**
 * The Taskwarrior side of a sync: which tasks changed since each was last merged, and their
 * versions now.
 *
 * Contract: returns the tasks read (`byUuid`) and the uuids to merge (`changed`). A task counts
 * as seen only once it was merged into its note: the uuids an earlier sync read but did not
 * merge (a one-note sync, a note that could not be read) are kept in the index (`unmerged`) and
 * come back here, with their current versions, however the database is read:
 * - the stamp is unchanged: nothing new (only those held back, read straight from the data
 *   files on 2.6);
 * - 2.6 with an intact undo.data: the part appended since the last sync holds every changed
 *   task, checked against pending/completed.data (`fromUndo`), with no process;
 * - otherwise one export, compared per task with what the last export showed, and versions a
 *   concurrent `task` overwrote brought back from undo.data (`repairs`).
 */
import { hashString } from '../graph/index.js';
import { basicMs, emptyByStamp, type Taskwarrior, type TwError, type TwTask } from './taskwarrior.js';
import type { Index } from './store.js';
import {
  canon,
  dataFiles,
  lostUpdates,
  readUndoTail,
  readUndoTailSync,
  storedVersions,
  undoMark,
  undoSize as undoFileSize,
  versionKey,
  type Delta,
  type UndoTail,
} from './undo.js';

export type TwSource = 'cache' | 'undo' | 'export';

export interface TwRead {
  source: TwSource;
  /** The stamp to find unchanged right before writing (a write since means: read again). */
  seen: string;
  exportedAt: number;
  /** Every task, when exported. */
  exported: TwTask[];
  /** The tasks read, by uuid (all of them after an export). */
  byUuid: Map<string, TwTask>;
  /** Tasks to merge: changed since they were last merged, or held back by an earlier sync. */
  changed: Set<string>;
  /** Versions a concurrent `task` overwrote, to import again. */
  repairs: TwTask[];
  /** What the export showed for a repaired task (the basis its import is checked against). */
  exportedVersion: Map<string, TwTask>;
  /**
   * Repaired tasks whose exported version is one undo.data shows (an old one a stale rewrite put
   * back), not a write still in flight (2.6 writes the data files, then undo.data): their
   * import's basis is the export, so that its intent carries the repair.
   */
  staleExport?: Set<string>;
  /** undo.data's size as read: the next sync reads from here. */
  undoSize: number;
  /** Task lines of the data files when undo.data had `undoSize` (Index.taskLines). */
  taskLines: number | undefined;
}

/** The parts of a database stamp (taskwarrior.ts `stamp`): each data file's size. */
export function stampSize(stamp: string | null, file: 'undo.data' | 'pending.data' | 'completed.data'): number | null {
  if (!stamp) return null;
  const m = new RegExp(`${file.replace('.', '\\.')}:(\\d+):`).exec(stamp);
  return m ? Number(m[1]) : null;
}

/** `extra`: tasks to read (not to merge) however the database is read: the inbox's candidates. */
export async function readTwSide(
  tw: Taskwarrior,
  index: Index,
  stamp: string,
  intents: Map<string, Delta | null>,
  extra: string[],
  warnings: string[],
  whileExporting: () => Promise<void>,
): Promise<TwRead | TwError> {
  const held = Object.keys(index.unmerged ?? {});
  const base: TwRead = {
    source: 'cache',
    seen: stamp,
    exportedAt: 0,
    exported: [],
    byUuid: new Map(),
    changed: new Set(),
    repairs: [],
    exportedVersion: new Map(),
    undoSize: index.undoSize ?? 0,
    taskLines: index.taskLines,
  };
  if (stamp === index.stamp && index.stamp !== null) return withHeld(tw, base, held, extra) ?? exportSide(tw, index, stamp, intents, warnings, whileExporting);
  const fromUndo = index.stamp !== null ? readChangesFromUndo(tw.dataDir(), index, stamp, intents) : null;
  if (!fromUndo) return exportSide(tw, index, stamp, intents, warnings, whileExporting);
  const r: TwRead = { ...base, source: 'undo', undoSize: fromUndo.size, taskLines: fromUndo.lines };
  for (const t of fromUndo.tasks) {
    r.byUuid.set(t.uuid, t);
    r.changed.add(t.uuid);
  }
  return withHeld(tw, r, held, extra) ?? exportSide(tw, index, stamp, intents, warnings, whileExporting);
}

/** Tasks held back by an earlier sync, read from the data files (2.6); null: export instead. */
function withHeld(tw: Taskwarrior, r: TwRead, held: string[], extra: string[]): TwRead | null {
  const missing = [...held, ...extra].filter((u) => !r.byUuid.has(u));
  if (missing.length === 0) {
    for (const u of held) r.changed.add(u);
    return r;
  }
  const stored = storedVersions(tw.dataDir(), missing);
  // Not in the files: purged, or a 3.x database (no data files); an export tells.
  if (stored.size < missing.length) return null;
  for (const [u, t] of stored) r.byUuid.set(u, t);
  for (const u of held) r.changed.add(u);
  return r;
}

async function exportSide(
  tw: Taskwarrior,
  index: Index,
  stamp: string,
  intents: Map<string, Delta | null>,
  warnings: string[],
  whileExporting: () => Promise<void>,
): Promise<TwRead | TwError> {
  // The changed notes are parsed while `task` exports (another process, the other core).
  // A database with no task yet (its first sync, usually) has nothing to export.
  const exporting = emptyByStamp(stamp) ? null : tw.export();
  await whileExporting();
  let e = exporting ? await exporting : { ok: true as const, value: [] as TwTask[] };
  if (!e.ok) return e.error;
  e = await completeExport(tw, index, e.value);
  if (!e.ok) return e.error;
  const r: TwRead = {
    source: 'export',
    // The first call on a new database creates its files: compare later writes to this.
    // Without an export, the stamp that showed the database empty: a task added since makes
    // the sync start again (and export).
    seen: exporting ? await tw.stamp() : stamp,
    exportedAt: Date.now(),
    exported: e.value,
    byUuid: new Map(),
    changed: new Set(),
    repairs: [],
    exportedVersion: new Map(),
    undoSize: 0,
    taskLines: undefined,
  };
  indexExport(r, index);
  const tail =
    index.undoSize !== undefined
      ? await readUndoTail(tw.dataDir(), index.undoSize, intents)
      : { size: await undoFileSize(tw.dataDir()), latest: new Map<string, TwTask>(), transactions: [] };
  r.undoSize = tail.size;
  r.taskLines = taskLines(tw.dataDir());
  if (index.undoSize !== undefined) repairLost(r, tail, warnings);
  return r;
}

/**
 * An export that lacks tasks the state knows, while Taskwarrior's files hold them, was read
 * while another `task` rewrote the files (2.6 does so without a lock readers respect: seen under
 * load, a whole pending.data missing): exported again, and what is still missing taken from the
 * files. Only a task in neither is gone (purged).
 */
async function completeExport(tw: Taskwarrior, index: Index, first: TwTask[]): Promise<{ ok: true; value: TwTask[] } | { ok: false; error: TwError }> {
  let list = first;
  for (let attempt = 0; ; attempt++) {
    const have = new Set(list.map((t) => t.uuid));
    const missing = Object.keys(index.where).filter((u) => !have.has(u));
    if (missing.length === 0) return { ok: true, value: list };
    const there = storedVersions(tw.dataDir(), missing);
    if (there.size === 0) return { ok: true, value: list };
    if (attempt === 2) return { ok: true, value: [...list, ...there.values()] };
    const again = await tw.export();
    if (!again.ok) return again;
    list = again.value;
  }
}

/**
 * An export by uuid, and what changed since each task was last merged (gone ones included).
 * A live task the state has nowhere (no note holds it, none waits for it, it is not unclaimed)
 * is merged again however old its version: a task pending in Taskwarrior belongs on a line (its
 * line's removal deletes it), so only a lost record leaves one so (seed 300597: the head that
 * queued it gone, while a catalog an earlier Planager wrote marked its version seen). The merge
 * gives it its line, queues it, or records it unclaimed: the next export finds it in its place.
 */
function indexExport(r: TwRead, index: Index): void {
  const unclaimed = new Set(index.unclaimed ?? []);
  const unmerged = index.unmerged ?? {};
  const adrift = (t: TwTask) =>
    (t.status === 'pending' || t.status === 'waiting') && index.where[t.uuid] === undefined && unmerged[t.uuid] === undefined && !unclaimed.has(t.uuid);
  for (const t of r.exported) {
    r.byUuid.set(t.uuid, t);
    if (changedSince(index.modified[t.uuid], t) || adrift(t)) r.changed.add(t.uuid);
  }
  for (const u of Object.keys(index.where)) if (!r.byUuid.has(u)) r.changed.add(u);
  for (const u of Object.keys(index.unmerged ?? {})) r.changed.add(u);
}

/** Versions a concurrent `task` process overwrote are brought back from undo.data. */
function repairLost(r: TwRead, tail: Pick<UndoTail, 'latest' | 'transactions'>, warnings: string[]): void {
  const lost = lostUpdates(r.byUuid, tail.latest);
  const shown = new Set<string>();
  if (lost.length > 0)
    for (const x of tail.transactions) {
      shown.add(canon(x.new));
      if (x.old) shown.add(canon(x.old));
    }
  for (const t of lost) {
    const was = r.byUuid.get(t.uuid);
    if (was) r.exportedVersion.set(t.uuid, was);
    if (was && shown.has(canon(was))) (r.staleExport ??= new Set()).add(t.uuid);
    r.repairs.push(t);
    r.byUuid.set(t.uuid, t);
    r.changed.add(t.uuid);
  }
  if (r.repairs.length > 0) {
    r.exported = [...r.byUuid.values()];
    warnings.push(`repaired ${r.repairs.length} task(s) that a concurrent \`task\` process had overwritten (from undo.data)`);
  }
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
function readChangesFromUndo(
  dataDir: string,
  index: Index,
  stamp: string,
  intents: Map<string, Delta | null>,
): { size: number; tasks: TwTask[]; lines: number } | null {
  if (index.undoSize === undefined || index.undoMark === undefined || index.undoMark === null || index.stamp === null) return null;
  if (undoMark(dataDir, index.undoSize) !== index.undoMark) return null;
  // Creations the last sync wrote are still there: `task undo` rewrites the bytes after them.
  for (const [size, mark] of index.created ?? []) if (undoMark(dataDir, size) !== mark) return null;
  if ((stampSize(stamp, 'completed.data') ?? -1) < (stampSize(index.stamp, 'completed.data') ?? -1)) return null;
  const tail = readUndoTailSync(dataDir, index.undoSize, intents);
  if (!tail) return null;
  // A purge (of a deleted task still in pending.data, say) writes no undo entry: fewer task
  // lines than the last sync left plus the creations since means one is gone.
  const lines = taskLines(dataDir);
  if (index.taskLines !== undefined && lines < index.taskLines + tail.transactions.filter((x) => x.old === null).length) return null;
  // Every version the last sync wrote must still be there: `task undo` of one of them removes
  // it from undo.data without making the file shorter than what was read.
  // (Hashed only when there are intents: a task sync bringing 2,000 changes hashed them all for nothing.)
  if (intents.size > 0) {
    const written = new Set(tail.transactions.map((x) => versionKey(x.new)));
    for (const k of intents.keys()) if (!written.has(k)) return null;
  }
  const stored = storedVersions(dataDir, tail.latest.keys());
  for (const [u, want] of tail.latest) {
    const have = stored.get(u);
    if (!have || canon(have) !== canon(want)) return null;
  }
  return { size: tail.size, tasks: [...tail.latest.values()], lines };
}

/** Lines (tasks) of pending.data and completed.data; null-free on a 3.x database (0). */
export function taskLines(dataDir: string): number {
  return linesIn(dataFiles(dataDir));
}

/** The same, over the files' bytes (undo.ts `dataFiles`; an unreadable one counts none). */
export function linesIn(files: readonly (Buffer | null)[]): number {
  let n = 0;
  for (const b of files) {
    if (!b) continue;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  }
  return n;
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
export function versionStamp(t: TwTask, exportedAt: number): string {
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

/** `YYYYMMDDTHHMMSSZ` as ms, or null (by character codes: a sync's merge reads one per changed task, and the pattern was most of it). */
export function parseTwTime(s: string): number | null {
  return s.length === 16 ? basicMs(s) : null;
}
