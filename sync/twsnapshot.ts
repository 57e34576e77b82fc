/**
 * Every task of a Taskwarrior 2.6 database, kept between commands (`.planager/parsed/tasks.json`):
 * `planager plan` and `agenda` from the shell read all tasks at every run, and parsing
 * pending.data and completed.data (2 MB at 10,000 tasks) was a third of a plan's time. The
 * snapshot is JSON (Node parses it natively, ≈6× faster than the FF4 parser) and it is brought
 * up to date the way a sync reads Taskwarrior: the part of undo.data appended since it was
 * taken holds every task changed since (sync/twread.ts, `readChangesFromUndo`, the same checks).
 *
 * It never decides anything: where it cannot be trusted (missing, another database, undo.data
 * rewritten by `task undo`, completed.data shrunk by a purge, a line count that does not add up,
 * a version the files do not hold) the files are parsed as before and the snapshot replaced.
 * It is written only from a read no writer crossed (the files' stamps equal before and after),
 * so a half-written file can cost one run's view, never a later one.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TwTask } from './taskwarrior.js';
import { linesIn, stampSize, taskLines } from './twread.js';
import { allStored, canon, dataFiles, readUndoTailSync, storedVersionsIn, undoMark } from './undo.js';

const VERSION = 1;

/** Rewritten once the tail read on top of it grows past this (each run re-reads the tail). */
const REWRITE_TAIL_BYTES = 64 * 1024;

interface Snapshot {
  version: number;
  dataDir: string;
  /** Size and mtime of undo.data, pending.data and completed.data when it was taken. */
  stamp: string;
  undoSize: number;
  undoMark: string;
  /** Task lines of pending.data and completed.data then. */
  lines: number;
  tasks: TwTask[];
}

export type SnapshotSource = 'snapshot' | 'tail' | 'files';

export interface StoredRead {
  tasks: TwTask[];
  /** Where they came from (the tests check each path is taken). */
  source: SnapshotSource;
}

/**
 * Every task the data files hold, through the snapshot at `file` (null: no snapshot, parse the
 * files). `rewriteAfter`: bytes of tail past which the snapshot is replaced (tests set 0).
 */
export function storedAll(dataDir: string, file: string | null, rewriteAfter = REWRITE_TAIL_BYTES): StoredRead {
  const dir = resolve(dataDir);
  const before = fileStamp(dir);
  const snap = file ? readSnapshot(file, dir) : null;
  if (snap && snap.stamp === before.text) return { tasks: snap.tasks, source: 'snapshot' };
  const tail = snap ? withTail(dir, snap, before.text) : null;
  if (tail) {
    if (file && tail.grown > rewriteAfter && fileStamp(dir).text === before.text && tail.size === before.undo)
      writeSnapshot(file, { ...snap!, stamp: before.text, undoSize: tail.size, undoMark: tail.mark, lines: tail.lines, tasks: tail.tasks });
    return { tasks: tail.tasks, source: 'tail' };
  }
  const tasks = allStored(dir, true);
  if (file) {
    const after = fileStamp(dir);
    const mark = undoMark(dir, before.undo);
    if (after.text === before.text && mark !== null)
      writeSnapshot(file, { version: VERSION, dataDir: dir, stamp: before.text, undoSize: before.undo, undoMark: mark, lines: taskLines(dir), tasks });
  }
  return { tasks, source: 'files' };
}

interface Tailed {
  tasks: TwTask[];
  size: number;
  mark: string;
  lines: number;
  /** Bytes of undo.data read on top of the snapshot. */
  grown: number;
}

/** The snapshot with undo.data's tail applied; null when the tail cannot be trusted. */
function withTail(dir: string, snap: Snapshot, stamp: string): Tailed | null {
  if (undoMark(dir, snap.undoSize) !== snap.undoMark) return null;
  if ((stampSize(stamp, 'completed.data') ?? -1) < (stampSize(snap.stamp, 'completed.data') ?? -1)) return null;
  const tail = readUndoTailSync(dir, snap.undoSize);
  if (!tail) return null;
  // pending.data and completed.data read once for both checks (the same bytes counted and searched).
  const files = dataFiles(dir);
  const lines = linesIn(files);
  const expected = snap.lines + tail.transactions.filter((x) => x.old === null).length;
  // Fewer lines: a purge (it writes no undo entry). More: a task no transaction read explains
  // (a writer half-way through, its undo entry not appended yet).
  if (lines !== expected) return null;
  const stored = storedVersionsIn(files, tail.latest.keys());
  for (const [u, want] of tail.latest) {
    const have = stored.get(u);
    if (!have || canon(have) !== canon(want)) return null;
  }
  // Set one by one: a map made from pairs made 10,000 of them to collect.
  const byUuid = new Map<string, TwTask>();
  for (const t of snap.tasks) byUuid.set(t.uuid, t);
  for (const u of tail.latest.keys()) byUuid.set(u, stored.get(u)!);
  const mark = undoMark(dir, tail.size);
  if (mark === null) return null;
  return { tasks: [...byUuid.values()], size: tail.size, mark, lines, grown: tail.size - snap.undoSize };
}

function readSnapshot(file: string, dir: string): Snapshot | null {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>;
    if (s.version !== VERSION || s.dataDir !== dir || typeof s.stamp !== 'string' || typeof s.undoSize !== 'number') return null;
    if (typeof s.undoMark !== 'string' || typeof s.lines !== 'number' || !Array.isArray(s.tasks)) return null;
    return s as Snapshot;
  } catch {
    return null;
  }
}

function writeSnapshot(file: string, s: Snapshot): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(s));
    renameSync(tmp, file);
  } catch {
    // A cache: a write that fails (read-only folder, full disk) costs the next run a parse.
  }
}

function fileStamp(dir: string): { text: string; undo: number } {
  const names = ['undo.data', 'pending.data', 'completed.data'];
  const stats = names.map((f) => statSync(join(dir, f), { throwIfNoEntry: false }) ?? null);
  return { text: names.map((f, i) => (stats[i] ? `${f}:${stats[i]!.size}:${stats[i]!.mtimeMs}` : `${f}:-`)).join('|'), undo: stats[0]?.size ?? 0 };
}
