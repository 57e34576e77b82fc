/**
 * Repairing lost updates from Taskwarrior 2.6's undo.data.
 *
 * Two `task` processes that write at once (Planager's import and a `task modify` from a
 * shell, say) each load pending.data, change it in memory and write the whole file back: the
 * later write silently drops the earlier one (doc/design.md §4: 5 parallel modifies kept 1).
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
import { parseTwDate, twDate, type TwTask } from './taskwarrior.js';

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

// Tasks mostly share their dates (one import: one second for all of its entries), and a line
// holds several (entry, modified): the dates of the last few thousand seconds seen, kept.
const epochDates = new Map<string, string>();
function epochDate(v: string): string {
  let d = epochDates.get(v);
  if (d === undefined) {
    if (epochDates.size >= 4096) epochDates.clear();
    d = twDate(new Date(Number(v) * 1000));
    epochDates.set(v, d);
  }
  return d;
}

/** What `\s` matches in a JavaScript pattern. */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** What `.` does not match. */
const isLineEnd = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** Whether `line[from, to)` is what `[^\s:\]]+` matches (the colon is where the key was cut). */
function isKey(line: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c === 93 || isSpace(c)) return false;
  }
  return true;
}

/**
 * The `key:"value"` pairs of an FF4 line, values decoded; null when the line is cut short (a
 * writer half-way through) or not FF4 at all. What the pattern `\s*([^\s:\]]+):"((?:[^"\\]|\\.)*)"`
 * matches pair by pair, then `\s*\]`, found with indexOf (native) where a line holds no
 * backslash: the pattern cost a plan at 10,000 tasks a match object and three strings per pair.
 */
function ff4Pairs(line: string): Record<string, string> | null {
  const start = line.indexOf('[');
  if (start < 0) return null;
  const raw: Record<string, string> = {};
  const n = line.length;
  const escapes = line.indexOf('\\', start) >= 0;
  const amps = line.indexOf('&', start) >= 0;
  let pos = start + 1;
  for (;;) {
    let i = pos;
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    // 34 '"'
    const colon = line.indexOf(':', i);
    if (colon <= i || line.charCodeAt(colon + 1) !== 34) break;
    if (!isKey(line, i, colon)) break;
    const key = line.slice(i, colon);
    const from = colon + 2;
    const to = escapes ? valueEnd(line, from) : line.indexOf('"', from);
    if (to < 0) break;
    const v = line.slice(from, to);
    raw[key] = (escapes || amps) && (v.indexOf('\\') >= 0 || v.indexOf('&') >= 0) ? decode(v) : v;
    pos = to + 1;
  }
  while (pos < n && isSpace(line.charCodeAt(pos))) pos++;
  // 93 ']'
  return line.charCodeAt(pos) === 93 ? raw : null;
}

/** Where a value holding backslashes ends (its closing quote), or -1: `\\.` takes any character but a line end. */
function valueEnd(line: string, from: number): number {
  for (let j = from; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 34) return j;
    if (c === 92) {
      if (j + 1 >= line.length || isLineEnd(line.charCodeAt(j + 1))) return -1;
      j++;
    }
  }
  return -1;
}

/** `/^\d+$/` without a regular expression (every date of 10,000 tasks a plan). */
function allDigits(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** One FF4 task (`[k:"v" k:"v"]`) as Taskwarrior's export JSON would show it. */
export function parseFF4(line: string): TwTask | null {
  const raw = ff4Pairs(line);
  if (!raw?.uuid) return null;
  const t: Record<string, unknown> = {};
  const annotations: { entry: string; description: string }[] = [];
  for (const k in raw) {
    const v = raw[k]!;
    if (k.startsWith('tags_') || k.startsWith('dep_')) continue; // 2.6's internal copies
    if (k.startsWith('annotation_')) annotations.push({ entry: twDate(new Date(Number(k.slice(11)) * 1000)), description: v });
    else if (DATE_FIELDS.has(k) && allDigits(v)) t[k] = epochDate(v);
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
  /** Every transaction read, in order (but those in `created`). */
  transactions: { old: TwTask | null; new: TwTask }[];
  /** Tasks of the `fresh` set asked for whose only transaction read creates them: not parsed. */
  created: Set<string>;
}

export type Delta = Map<string, { set?: unknown; unset?: true; add?: string[]; remove?: string[] }>;
const LISTS = new Set(['tags', 'depends']);

export function diff(a: TwTask, b: TwTask): Delta {
  const d: Delta = new Map();
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (k === 'modified') continue;
    const x = a[k];
    const y = b[k];
    if (LISTS.has(k) || k === 'annotations') {
      const keyed = k === 'annotations' ? annotationKeys : (v: unknown) => (v as string[] | undefined) ?? [];
      const xs = new Set(keyed(x));
      const ys = new Set(keyed(y));
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
 * Each intent stands for one write: a later transaction with the same content is another
 * writer's (a restore, or `task modify` back to a value) and is applied as such, in full.
 */
export function expectedVersions(
  transactions: { old: TwTask | null; new: TwTask }[],
  intents: Map<string, Delta | null> = new Map(),
  foreign?: ReadonlySet<{ old: TwTask | null; new: TwTask }>,
): Map<string, TwTask> {
  const expected = new Map<string, TwTask>();
  const matched = new Set<string>();
  for (const x of transactions) {
    const u = x.new.uuid;
    const prev = expected.get(u);
    const exp = prev ?? x.old ?? undefined;
    // Hashed only when there are intents: a task sync downloading 2,000 changes spent a
    // quarter of its read hashing versions nothing was compared with.
    const key = intents.size > 0 ? versionKey(x.new) : null;
    // `foreign`: transactions known not to be ours (appended before our import had its input):
    // one with the content of our import (an annotate that made the task what we then wrote)
    // took its intent, and ours, applied as another writer's, dropped that annotate (seed 1002525).
    if (key !== null && intents.has(key) && !matched.has(key) && !foreign?.has(x)) {
      matched.add(key);
      const d = intents.get(key);
      expected.set(u, d && exp ? rebase(exp, d, x.new.modified) : x.new);
    } else if (prev && x.old && canon(x.old) !== canon(prev)) expected.set(u, rebase(prev, diff(x.old, x.new), x.new.modified));
    else expected.set(u, x.new);
  }
  return expected;
}

const keyCache = new WeakMap<TwTask, string>();

/** A short key for a task version's content (intents are stored by it); memoised per object as `canon`. */
export function versionKey(t: TwTask): string {
  let k = keyCache.get(t);
  if (k === undefined) keyCache.set(t, (k = hashString(canon(t))));
  return k;
}

/** Deltas as JSON (for the index) and back. */
export function deltaToJson(d: Delta | null): [string, unknown][] | null {
  return d ? [...d.entries()] : null;
}

export function deltaFromJson(j: [string, unknown][] | null): Delta | null {
  return j ? (new Map(j) as Delta) : null;
}

type Annotation = { entry: string; description: string };

/**
 * Annotations compared one by one, not as one value: two writers each adding one both keep
 * theirs. Taskwarrior keys an annotation by its second (annotation_<epoch>), bumping to the next
 * free one, so a later writer's can carry the key of one our stale import had just dropped
 * (seed 300513: a `task annotate` loop during a sync); the correction then has to keep both.
 */
function annotationKeys(v: unknown): string[] {
  return ((v as Annotation[] | undefined) ?? []).map((a) => JSON.stringify([a.entry, a.description]));
}

function rebaseAnnotations(t: Record<string, unknown>, add: string[], remove: string[]): void {
  const gone = new Set(remove);
  const list = ((t.annotations as Annotation[] | undefined) ?? []).filter((a) => !gone.has(JSON.stringify([a.entry, a.description])));
  for (const k of add) {
    const [entry, description] = JSON.parse(k) as [string, string];
    if (list.some((a) => a.entry === entry && a.description === description)) continue;
    // The second is taken by another annotation: the next free one, as Taskwarrior does.
    let at = entry;
    for (let ms = parseTwDate(entry)?.getTime(); ms !== undefined && list.some((a) => a.entry === at); ) at = twDate(new Date((ms += 1000)));
    list.push({ entry: at, description });
  }
  if (list.length > 0) t.annotations = list.sort((a, b) => a.entry.localeCompare(b.entry));
  else delete t.annotations;
}

export function rebase(base: TwTask, d: Delta, modified: unknown): TwTask {
  const t: Record<string, unknown> = { ...base };
  for (const [k, c] of d) {
    if (k === 'annotations' && (c.add || c.remove)) rebaseAnnotations(t, c.add ?? [], c.remove ?? []);
    else if (c.add || c.remove) {
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
export async function readUndoTail(dataDir: string, from: number, intents?: Map<string, Delta | null>, fresh?: ReadonlySet<string>): Promise<UndoTail> {
  return readUndoTailSync(dataDir, from, intents, true, fresh) ?? { size: 0, latest: new Map(), transactions: [], created: new Set() };
}

/**
 * The uuid of an FF4 line, cheaply: the last ` uuid:"…"` (2.6 writes keys sorted, and a
 * description's own quotes are escaped, so text inside a value cannot end the line's match).
 */
function uuidOfLine(line: string): string | null {
  const at = line.lastIndexOf('uuid:"');
  if (at < 1 || (line[at - 1] !== ' ' && line[at - 1] !== '[')) return null;
  const end = line.indexOf('"', at + 6);
  return end < 0 ? null : line.slice(at + 6, end);
}

/**
 * The same, synchronously (usually a few hundred bytes: cheaper than thread-pool round trips).
 * With `fromStartIfShrunk` false, a file shorter than `from` gives null instead. `fresh`: uuids
 * of tasks the caller has just created; a transaction with no `old` on one of them that is
 * the only transaction on it in the part read is listed in `created` instead of parsed.
 */
export function readUndoTailSync(
  dataDir: string,
  from: number,
  intents?: Map<string, Delta | null>,
  fromStartIfShrunk = false,
  fresh?: ReadonlySet<string>,
): UndoTail | null {
  const path = join(dataDir, 'undo.data');
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return fromStartIfShrunk ? { size: 0, latest: new Map(), transactions: [], created: new Set() } : null;
  }
  if (from > size && !fromStartIfShrunk) return null;
  const start = from > size ? 0 : from;
  const latest = new Map<string, TwTask>();
  const transactions: UndoTail['transactions'] = [];
  const created = new Set<string>();
  if (size === start) return { size, latest, transactions, created };
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    const got = readSync(fd, buf, 0, buf.length, start);
    const text = buf.subarray(0, got).toString('utf8');
    // Only whole transactions (up to the last `---` line): a writer may be half-way through
    // appending one, and its `new` line must be read with its `old`.
    const last = text.lastIndexOf('\n---\n');
    const end = last >= 0 ? last + 5 : text.startsWith('---\n') ? 4 : 0;
    const lines = text.slice(0, end).split('\n');
    // Fresh tasks created once, without an `old`, are left unparsed: count the uuids first.
    let skip: Set<string> | null = null;
    if (fresh && fresh.size > 0) {
      const seen = new Map<string, number>();
      let hasOld = false;
      for (const line of lines) {
        if (line.startsWith('old [')) hasOld = true;
        else if (line.startsWith('---')) hasOld = false;
        else if (line.startsWith('new [')) {
          const u = uuidOfLine(line);
          if (u === null) continue;
          // A creation counts once; any other transaction on the uuid makes it ineligible.
          seen.set(u, (seen.get(u) ?? 0) + (hasOld ? 2 : 1));
        }
      }
      skip = new Set();
      for (const [u, n] of seen) if (n === 1 && fresh.has(u)) skip.add(u);
    }
    let before: TwTask | null = null;
    let hasOld = false;
    for (const line of lines) {
      if (line.startsWith('old [')) {
        hasOld = true;
        before = parseFF4(line);
      } else if (line.startsWith('new [')) {
        if (skip && !hasOld) {
          const u = uuidOfLine(line);
          if (u !== null && skip.has(u)) {
            created.add(u);
            continue;
          }
        }
        const after = parseFF4(line);
        if (!after) continue;
        transactions.push({ old: before, new: after });
      } else if (line.startsWith('---')) {
        before = null;
        hasOld = false;
      }
    }
    for (const [u, t] of expectedVersions(transactions, intents)) latest.set(u, t);
    return { size: start + Buffer.byteLength(text.slice(0, end), 'utf8'), latest, transactions, created };
  } finally {
    closeSync(fd);
  }
}

const IGNORED = new Set(['id', 'urgency', 'modified']);

/**
 * A transaction Taskwarrior wrote itself in answer to one of `written`: a recurring parent's
 * `mask` marked when an instance of it was completed or deleted (the instance's `imask` is its
 * place there). It is no other writer's change, and taking it for one left the database stamp
 * unrecorded, so the sync after started an export for nothing (harness round3-f7).
 */
export function answersOurs(x: { old: TwTask | null; new: TwTask }, written: TwTask[]): boolean {
  if (!x.old || x.new.status !== 'recurring' || !written.some((t) => t.parent === x.new.uuid)) return false;
  return canon({ ...x.old, mask: x.new.mask }) === canon(x.new);
}

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
    o[k] = Array.isArray(v) ? [...(v as unknown[])].map((x) => (typeof x === 'object' ? JSON.stringify(x) : x)).sort() : TEXT_ATTRIBUTES.has(k) ? v : scalar(v);
  }
  return JSON.stringify(o);
}

const TW_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
/** Attributes that are text whatever they look like (a description "3.0" is not the number 3). */
const TEXT_ATTRIBUTES = new Set(['description', 'project', 'uuid', 'status', 'norgpriority', 'norgrecur', 'recur']);

/**
 * One value as both sources agree on it: undo.data and the data files keep every value as a
 * string (numbers, `imask`, and dates as epoch seconds), while an export prints numbers as
 * numbers and every date attribute (UDAs of type date too) as `YYYYMMDDTHHMMSSZ`. Without
 * this, a numeric or date UDA read as a lost update on every sync.
 */
function scalar(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return v;
  // 2.6 stores an imported number 3 as "3.000000" (numeric UDAs, `imask`), the export prints 3.
  if (NUMERIC.test(v)) return String(Number(v));
  const m = TW_DATE.exec(v);
  return m ? String(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000) : v;
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
    missing = versionsIn(buf, missing, out);
  }
  return out;
}

/** `storedVersions` over the files' bytes (`dataFiles`), read once for several questions. */
export function storedVersionsIn(files: readonly (Buffer | null)[], uuids: Iterable<string>): Map<string, TwTask> {
  const out = new Map<string, TwTask>();
  let missing = [...uuids];
  for (const buf of files) {
    if (missing.length === 0) break;
    if (buf) missing = versionsIn(buf, missing, out);
  }
  return out;
}

/** pending.data and completed.data's bytes, in that order; null for one that cannot be read. */
export function dataFiles(dataDir: string): (Buffer | null)[] {
  return ['pending.data', 'completed.data'].map((name) => {
    try {
      return readFileSync(join(dataDir, name));
    } catch {
      return null;
    }
  });
}

/** The versions one data file holds of these uuids (into `out`); the uuids it does not hold. */
function versionsIn(buf: Buffer, missing: string[], out: Map<string, TwTask>): string[] {
  // A few tasks: search for each. Many (the first pull after a big import checks every one
  // it wrote): one pass over the lines, or it is quadratic (10,000 tasks: 3.6 s → 60 ms).
  return missing.length > 32 ? byLineScan(buf, missing, out) : bySearch(buf, missing, out);
}

/**
 * The tasks pending.data and completed.data hold whose uuid starts with one of these hex
 * prefixes (a mirror's marker naming a task no note holds), by prefix: one hit or none.
 */
export function storedByPrefix(dataDir: string, prefixes: Iterable<string>): Map<string, TwTask> {
  const dashed = (h: string) => [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].filter(Boolean).join('-');
  const out = new Map<string, TwTask>();
  const hits = new Map<string, TwTask[]>();
  for (const name of ['pending.data', 'completed.data']) {
    let buf: Buffer;
    try {
      buf = readFileSync(join(dataDir, name));
    } catch {
      continue;
    }
    for (const p of prefixes) {
      const needle = `uuid:"${dashed(p)}`;
      for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
        if (at > 0 && buf[at - 1] !== 0x20 && buf[at - 1] !== 0x5b) continue;
        const t = parseFF4(lineAt(buf, at));
        if (t) hits.set(p, [...(hits.get(p) ?? []), t]);
      }
    }
  }
  for (const [p, l] of hits) if (l.length === 1) out.set(p, l[0]!);
  return out;
}

/** Every task pending.data (and completed.data when asked) holds now: what a viewport filters. */
export function allStored(dataDir: string, completed: boolean): TwTask[] {
  const out: TwTask[] = completed ? [] : reopened(dataDir);
  for (const name of completed ? ['pending.data', 'completed.data'] : ['pending.data']) {
    let text: string;
    try {
      text = readFileSync(join(dataDir, name), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.startsWith('[')) continue;
      const t = parseFF4(line);
      if (t) out.push(t);
    }
  }
  return out;
}

/**
 * Open tasks still in completed.data: a completed task made pending again by a write with
 * rc.gc=off (Planager's imports) stays there until the next gc moves it back (measured on 2.6).
 * Found by searching the bytes, so the usual file of finished tasks is not parsed.
 */
function reopened(dataDir: string): TwTask[] {
  let buf: Buffer;
  try {
    buf = readFileSync(join(dataDir, 'completed.data'));
  } catch {
    return [];
  }
  const out: TwTask[] = [];
  for (const status of ['pending', 'waiting']) {
    const needle = ` status:"${status}"`;
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, buf.indexOf(10, at) < 0 ? buf.length : buf.indexOf(10, at))) {
      const t = parseFF4(lineAt(buf, at));
      if (t && t.status === status) out.push(t);
    }
  }
  return out;
}

function bySearch(buf: Buffer, uuids: string[], out: Map<string, TwTask>): string[] {
  const still: string[] = [];
  for (const u of uuids) {
    // The attribute itself, not a longer name ending in `uuid` (values cannot hold a quote).
    let at = buf.indexOf(`uuid:"${u}"`);
    while (at > 0 && buf[at - 1] !== 0x20 && buf[at - 1] !== 0x5b) at = buf.indexOf(`uuid:"${u}"`, at + 1);
    const t = at < 0 ? null : parseFF4(lineAt(buf, at));
    if (t && t.uuid === u) out.set(u, t);
    else still.push(u);
  }
  return still;
}

function byLineScan(buf: Buffer, uuids: string[], out: Map<string, TwTask>): string[] {
  const want = new Set(uuids);
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    const line = buf.subarray(start, end).toString('utf8');
    start = end + 1;
    const m = /[ []uuid:"([0-9a-f-]{36})"/.exec(line);
    if (!m || !want.has(m[1]!)) continue;
    const t = parseFF4(line);
    if (t && t.uuid === m[1]) out.set(m[1]!, t), want.delete(m[1]!);
  }
  return uuids.filter((u) => want.has(u));
}

function lineAt(buf: Buffer, at: number): string {
  const start = buf.lastIndexOf(10, at) + 1;
  let end = buf.indexOf(10, at);
  if (end < 0) end = buf.length;
  return buf.subarray(start, end).toString('utf8');
}
