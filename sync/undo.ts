/**
 * Repairing lost updates from Taskwarrior 2.6's undo.data.
 *
 * Two `task` processes that write at once (Planager's import and a `task modify` from a
 * shell, say) each load pending.data, change it in memory and write the whole file back: the
 * later write silently drops the earlier one (DESIGN.md §4: 5 parallel modifies kept 1).
 * undo.data, however, is only ever appended to, so it still holds every version each process
 * meant to write. After an export, the newest version undo.data recorded for a task is
 * compared with the exported one; where they differ, the export shows an overwritten copy and
 * the recorded version is imported again. Only the part of undo.data appended since the last
 * sync is read. Taskwarrior 3.x keeps its data in SQLite with real transactions and has no
 * undo.data; there is nothing to repair there.
 *
 * undo.data holds FF4 lines: `time N`, `old [k:"v" …]`, `new [k:"v" …]`, `---`.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hashString } from '../graph/hash.js';
import { twDate, type TwTask } from './taskwarrior.js';

const DATE_FIELDS = new Set(['entry', 'modified', 'end', 'start', 'due', 'scheduled', 'wait', 'until']);

function decode(raw: string): string {
  let v = raw;
  try {
    v = JSON.parse(`"${raw.replace(/\t/g, '\\t')}"`) as string;
  } catch {
    v = raw.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  // 2.6 writes quotes as JSON escapes; a literal &dquot; stays as it is (export shows it so).
  return v.replace(/&open;/g, '[').replace(/&close;/g, ']');
}

/** One FF4 task (`[k:"v" k:"v"]`) as Taskwarrior's export JSON would show it. */
export function parseFF4(line: string): TwTask | null {
  const start = line.indexOf('[');
  if (start < 0) return null;
  const raw: Record<string, string> = {};
  // One pass with a sticky pattern: `key:"value"` pairs, values with backslash escapes.
  const re = /\s*([^\s:\]]+):"((?:[^"\\]|\\.)*)"/y;
  let pos = start + 1;
  for (;;) {
    re.lastIndex = pos;
    const m = re.exec(line);
    if (!m) break;
    pos = re.lastIndex;
    const v = m[2];
    raw[m[1]] = v.indexOf('\\') < 0 && v.indexOf('&') < 0 ? v : decode(v);
  }
  // A line cut short (a writer half-way through) or not FF4 at all.
  if (!/^\s*\]/.test(line.slice(pos))) return null;
  if (!raw.uuid) return null;
  const t: Record<string, unknown> = {};
  const annotations: { entry: string; description: string }[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith('tags_') || k.startsWith('dep_')) continue; // 2.6's internal copies
    if (k.startsWith('annotation_')) annotations.push({ entry: twDate(new Date(Number(k.slice(11)) * 1000)), description: v });
    else if (DATE_FIELDS.has(k) && /^\d+$/.test(v)) t[k] = twDate(new Date(Number(v) * 1000));
    else if (k === 'tags' || k === 'depends') t[k] = v.split(',').filter(Boolean);
    else t[k] = v;
  }
  if (annotations.length > 0) t.annotations = annotations.sort((a, b) => a.entry.localeCompare(b.entry));
  return t as TwTask;
}

export interface UndoTail {
  /** Byte length of undo.data that was read (the next read starts here). */
  size: number;
  /**
   * For each task, the version every writer in the part read meant it to have: a write based
   * on a stale copy (its `old` is not the previous `new`) has its own change rebased onto the
   * version it should have started from.
   */
  latest: Map<string, TwTask>;
  /** Every transaction read, in order. */
  transactions: { old: TwTask | null; new: TwTask }[];
}

export type Delta = Map<string, { set?: unknown; unset?: true; add?: string[]; remove?: string[] }>;
const LISTS = new Set(['tags', 'depends']);

export function diff(a: TwTask, b: TwTask): Delta {
  const d: Delta = new Map();
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (k === 'modified') continue;
    const x = a[k];
    const y = b[k];
    if (LISTS.has(k)) {
      const xs = new Set((x as string[] | undefined) ?? []);
      const ys = new Set((y as string[] | undefined) ?? []);
      const add = [...ys].filter((v) => !xs.has(v));
      const remove = [...xs].filter((v) => !ys.has(v));
      if (add.length || remove.length) d.set(k, { add, remove });
    } else if (JSON.stringify(x) !== JSON.stringify(y)) d.set(k, y === undefined ? { unset: true } : { set: y });
  }
  return d;
}

/**
 * What each task should be after `transactions`, in order: a write applies its own change,
 * rebased onto the expected version when it started from a stale copy. Writes listed in
 * `intents` (Planager's own, by content hash) apply only what was meant: their delta, or for a
 * new task (null) themselves. An empty delta restates the expected version (a correction).
 */
export function expectedVersions(transactions: { old: TwTask | null; new: TwTask }[], intents: Map<string, Delta | null> = new Map()): Map<string, TwTask> {
  const expected = new Map<string, TwTask>();
  for (const x of transactions) {
    const u = x.new.uuid;
    const exp = expected.get(u) ?? x.old ?? undefined;
    const key = versionKey(x.new);
    if (intents.has(key)) {
      const d = intents.get(key);
      expected.set(u, d && exp ? rebase(exp, d, x.new.modified) : x.new);
    } else if (exp && x.old && canon(x.old) !== canon(exp)) expected.set(u, rebase(exp, diff(x.old, x.new), x.new.modified));
    else expected.set(u, x.new);
  }
  return expected;
}

/** A short key for a task version's content (intents are stored by it). */
export function versionKey(t: TwTask): string {
  return hashString(canon(t));
}

/** Deltas as JSON (for the index) and back. */
export function deltaToJson(d: Delta | null): [string, unknown][] | null {
  return d ? [...d.entries()] : null;
}

export function deltaFromJson(j: [string, unknown][] | null): Delta | null {
  return j ? (new Map(j) as Delta) : null;
}

export function rebase(base: TwTask, d: Delta, modified: unknown): TwTask {
  const t: Record<string, unknown> = { ...base };
  for (const [k, c] of d) {
    if (c.add || c.remove) {
      const s = new Set((t[k] as string[] | undefined) ?? []);
      for (const v of c.add ?? []) s.add(v);
      for (const v of c.remove ?? []) s.delete(v);
      if (s.size > 0) t[k] = [...s].sort();
      else delete t[k];
    } else if (c.unset) delete t[k];
    else t[k] = c.set;
  }
  if (modified !== undefined) t.modified = modified;
  return t as TwTask;
}

/** The size of undo.data (0 when there is none): where the next read starts. */
export async function undoSize(dataDir: string): Promise<number> {
  try {
    return statSync(join(dataDir, 'undo.data')).size;
  } catch {
    return 0;
  }
}

/** Read undo.data from byte `from` to its end. A file that shrank (compacted) is read again. */
export async function readUndoTail(dataDir: string, from: number, intents?: Map<string, Delta | null>): Promise<UndoTail> {
  return readUndoTailSync(dataDir, from, intents, true) ?? { size: 0, latest: new Map(), transactions: [] };
}

/**
 * The same, synchronously (usually a few hundred bytes: cheaper than thread-pool round trips).
 * With `fromStartIfShrunk` false, a file shorter than `from` gives null instead.
 */
export function readUndoTailSync(dataDir: string, from: number, intents?: Map<string, Delta | null>, fromStartIfShrunk = false): UndoTail | null {
  const path = join(dataDir, 'undo.data');
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return fromStartIfShrunk ? { size: 0, latest: new Map(), transactions: [] } : null;
  }
  if (from > size && !fromStartIfShrunk) return null;
  const start = from > size ? 0 : from;
  const latest = new Map<string, TwTask>();
  const transactions: UndoTail['transactions'] = [];
  if (size === start) return { size, latest, transactions };
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    const got = readSync(fd, buf, 0, buf.length, start);
    const text = buf.subarray(0, got).toString('utf8');
    // Only whole transactions (up to the last `---` line): a writer may be half-way through
    // appending one, and its `new` line must be read with its `old`.
    const last = text.lastIndexOf('\n---\n');
    const end = last >= 0 ? last + 5 : text.startsWith('---\n') ? 4 : 0;
    let before: TwTask | null = null;
    for (const line of text.slice(0, end).split('\n')) {
      if (line.startsWith('old [')) before = parseFF4(line);
      else if (line.startsWith('new [')) {
        const after = parseFF4(line);
        if (!after) continue;
        transactions.push({ old: before, new: after });
      } else if (line.startsWith('---')) before = null;
    }
    for (const [u, t] of expectedVersions(transactions, intents)) latest.set(u, t);
    return { size: start + Buffer.byteLength(text.slice(0, end), 'utf8'), latest, transactions };
  } finally {
    closeSync(fd);
  }
}

const IGNORED = new Set(['id', 'urgency', 'modified']);

const canonCache = new WeakMap<TwTask, string>();

/** A task's content as one string, keys sorted, without `id`, `urgency` and `modified`
 * (memoised per object: a sync compares the same versions several times). */
export function canon(t: TwTask): string {
  let c = canonCache.get(t);
  if (c === undefined) canonCache.set(t, (c = canonOf(t)));
  return c;
}

function canonOf(t: TwTask): string {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(t).sort()) {
    if (IGNORED.has(k)) continue;
    const v = t[k];
    o[k] = Array.isArray(v) ? [...(v as unknown[])].map((x) => (typeof x === 'object' ? JSON.stringify(x) : x)).sort() : v;
  }
  return JSON.stringify(o);
}

/**
 * Tasks whose exported version is not the newest one undo.data recorded: a concurrent writer
 * overwrote them. Returns the versions to import again.
 */
export function lostUpdates(exported: Map<string, TwTask>, latest: Map<string, TwTask>): TwTask[] {
  const out: TwTask[] = [];
  for (const [uuid, want] of latest) {
    const have = exported.get(uuid);
    // Gone after a delete is a purge (purge writes no undo entry), not a lost update.
    if (!have && want.status === 'deleted') continue;
    if (!have || canon(have) !== canon(want)) out.push(want);
  }
  return out;
}

/**
 * The last bytes of undo.data before `size`, to tell later that the file only grew since
 * (`task undo` rewrites it; then the next sync exports instead of reading the tail).
 */
export function undoMark(dataDir: string, size: number): string | null {
  // Nothing read yet: any content is new (the intents check covers a rewrite of our writes).
  if (size === 0) return '';
  let fd: number;
  try {
    fd = openSync(join(dataDir, 'undo.data'), 'r');
  } catch {
    return null;
  }
  try {
    const n = Math.min(64, size);
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, size - n);
    return got === n ? buf.toString('base64') : null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The versions pending.data and completed.data hold now for these uuids (absent: not found).
 * Read straight from the files: each task is one FF4 line there, the same text undo.data
 * records, so comparing the two shows a write a concurrent `task` overwrote.
 */
export function storedVersions(dataDir: string, uuids: Iterable<string>): Map<string, TwTask> {
  const out = new Map<string, TwTask>();
  let missing = [...uuids];
  for (const name of ['pending.data', 'completed.data']) {
    if (missing.length === 0) break;
    let buf: Buffer;
    try {
      buf = readFileSync(join(dataDir, name));
    } catch {
      continue;
    }
    const still: string[] = [];
    for (const u of missing) {
      // The attribute itself, not a longer name ending in `uuid` (values cannot hold a quote).
      let at = buf.indexOf(`uuid:"${u}"`);
      while (at > 0 && buf[at - 1] !== 0x20 && buf[at - 1] !== 0x5b) at = buf.indexOf(`uuid:"${u}"`, at + 1);
      if (at < 0) {
        still.push(u);
        continue;
      }
      const start = buf.lastIndexOf(10, at) + 1;
      let end = buf.indexOf(10, at);
      if (end < 0) end = buf.length;
      const t = parseFF4(buf.subarray(start, end).toString('utf8'));
      if (t && t.uuid === u) out.set(u, t);
      else still.push(u);
    }
    missing = still;
  }
  return out;
}
