/**
 * Two versions of a note merged against their common base, for git's merge driver
 * (`planager merge-driver`, cli/mergedriver.ts). Pure: text in, text and a report out.
 *
 * - Tasks are merged as tasks. A task line (one that carries its id, `%#1a2b3c4d%`) stands in
 *   the line merge as one token for its id, so an edit of the line never conflicts with the
 *   text around it and a moved line is one move; its text is merged field by field after
 *   (sync/taskline.ts: one side's change taken; both changed, the `prefer`red side wins and the
 *   other value is reported, for the caller to log).
 * - Every task of either side stays, unless one side deleted it and the other left it as the
 *   base had it. A task deleted on one side and edited on the other is kept with the edit (the
 *   edit is the newer intent, and a deletion is easy to do again; it is reported): the same rule
 *   on every device, so they agree.
 * - The text between tasks is merged line by line (sync/diff3.ts). Where both sides changed the
 *   same lines differently, ours stay and theirs follow in a `@comment` block marked as the other
 *   version (norg ranged tag: shown as a comment, never parsed as tasks), and it is reported.
 *   Conflict markers are never written.
 */
import { extractTasks, parse, type TaskItem } from '../parser/index.js';
import { diff3, lcsPairs } from './diff3.js';
import { keepTasks } from './parses.js';
import { mergeTaskLine, type LineConflict, type Side } from './taskline.js';

export interface TaskMergeConflict {
  id: string;
  conflicts: LineConflict[];
  /** The whole line of the side that lost (what `planager history` shows as the version). */
  lostLine: string;
  keptLine: string;
  loser: Side;
}

export interface TextConflict {
  /** 1-based line of the merged note where ours begin. */
  line: number;
  ours: string[];
  theirs: string[];
}

export interface NoteMerge {
  text: string;
  tasks: TaskMergeConflict[];
  textConflicts: TextConflict[];
  /** Tasks deleted on one side and edited on the other: kept, with the edit. */
  keptOverDelete: string[];
}

/** What marks a task line in the line merge; NUL never appears in a note's text. */
const TOKEN = '\u0000';

interface Version {
  seq: string[];
  lines: Map<string, string>;
}

/** The note's lines, each task line (its id on its first line) replaced by its token. */
function tokenize(text: string, tasks: TaskItem[] = extractTasks(parse(text))): Version {
  const raw = text.split('\n');
  const lines = new Map<string, string>();
  const seq = [...raw];
  for (const t of tasks) {
    const i = t.line - 1;
    if (!t.id || lines.has(t.id) || !raw[i]?.includes(`%#${t.id}%`)) continue;
    lines.set(t.id, raw[i]);
    seq[i] = TOKEN + t.id;
  }
  return { seq, lines };
}

const isToken = (s: string): boolean => s.startsWith(TOKEN);
/** Marks the lines of a comment block this merge wrote, until the end: nothing anchors to them. */
const OWN = '\u0001';

export const COMMENT_HEAD = 'planager merge: both devices changed these lines; the other version follows (keep what you want, then delete this block)';

function commentBlock(lines: string[]): string[] {
  // An `@end` inside would close the block early: indent-proof by a leading backslash.
  return ['@comment', COMMENT_HEAD, ...lines.map((l) => (/^\s*@end\s*$/.test(l) ? `\\${l.trim()}` : l)), '@end'].map((l) => OWN + l);
}

/** Line merge of the token sequences; true conflicts keep ours and add theirs in a comment. */
function mergeLines(b: Version, o: Version, t: Version, report: NoteMerge): string[] {
  const out: string[] = [];
  for (const r of diff3(b.seq, o.seq, t.seq)) {
    if (r.stable) {
      out.push(...r.lines);
      continue;
    }
    out.push(...r.ours);
    const ours = new Set(r.ours);
    const base = new Set(r.base);
    const extra = r.theirs.filter((l) => !isToken(l) && !ours.has(l) && !base.has(l) && l.trim() !== '');
    if (extra.length > 0) {
      report.textConflicts.push({ line: out.length - r.ours.length + 1, ours: r.ours.filter((l) => !isToken(l)), theirs: extra });
      out.push(...commentBlock(extra));
    }
  }
  // A task moved to two different places (one per side) would be there twice: first one stays.
  const seen = new Set<string>();
  return out.filter((l) => !isToken(l) || (!seen.has(l) && (seen.add(l), true)));
}

/** Whether a task missing from the merge must come back (see the header's rule). */
function mustKeep(id: string, b: Version, o: Version, t: Version, report: NoteMerge): boolean {
  const inO = o.lines.has(id);
  const inT = t.lines.has(id);
  if (inO && inT) return true;
  const line = (inO ? o : t).lines.get(id);
  const base = b.lines.get(id);
  if (base === undefined) return true; // new on that side
  if (line === base) return false; // deleted on the other side, untouched here: deleted
  report.keptOverDelete.push(id);
  return true;
}

/** Puts back the tasks of `side` that the line merge lost, after what precedes them there. */
function restoreMissing(out: string[], side: Version, keep: (id: string) => boolean): string[] {
  const have = new Set(out.filter(isToken));
  const missing = side.seq.map((l, k) => (isToken(l) && !have.has(l) && keep(l.slice(1)) ? k : -1)).filter((k) => k >= 0);
  if (missing.length === 0) return out;
  const at = new Map<number, number>(); // side index → out index
  for (const [k, r] of lcsPairs(side.seq, out)) at.set(k, r);
  const after = new Map<number, string[]>(); // out index (-1: the top) → lines to add after it
  for (const k of missing) {
    let a = k - 1;
    while (a >= 0 && !at.has(a)) a--;
    const anchor = a < 0 ? -1 : at.get(a)!;
    after.set(anchor, [...(after.get(anchor) ?? []), side.seq[k]]);
  }
  const res: string[] = [...(after.get(-1) ?? [])];
  out.forEach((l, r) => res.push(l, ...(after.get(r) ?? [])));
  return res;
}

export function mergeNotes(base: string, ours: string, theirs: string, prefer: Side): NoteMerge {
  const report: NoteMerge = { text: '', tasks: [], textConflicts: [], keptOverDelete: [] };
  if (ours === theirs || base === theirs) return { ...report, text: ours };
  if (base === ours) return { ...report, text: theirs };
  const b = tokenize(base);
  // This device's version is parsed again by the merge's log in a `sync --remote` (parses.ts).
  const o = tokenize(ours, keepTasks(ours));
  const t = tokenize(theirs);
  let out = mergeLines(b, o, t, report);
  const decided = new Map<string, boolean>();
  const keep = (id: string): boolean => {
    if (!decided.has(id)) decided.set(id, mustKeep(id, b, o, t, report));
    return decided.get(id)!;
  };
  out = restoreMissing(out, o, keep);
  out = restoreMissing(out, t, keep);
  const text = out.map((l) => (isToken(l) ? taskLine(l.slice(1), b, o, t, prefer, report) : l.startsWith(OWN) ? l.slice(1) : l)).join('\n');
  return { ...report, text };
}

function taskLine(id: string, b: Version, o: Version, t: Version, prefer: Side, report: NoteMerge): string {
  const lo = o.lines.get(id);
  const lt = t.lines.get(id);
  if (lo === undefined || lt === undefined) return (lo ?? lt)!;
  const m = mergeTaskLine(b.lines.get(id) ?? null, lo, lt, prefer);
  if (m.conflicts.length > 0)
    report.tasks.push({ id, conflicts: m.conflicts, lostLine: prefer === 'ours' ? lt : lo, keptLine: m.line, loser: prefer === 'ours' ? 'theirs' : 'ours' });
  return m.line;
}
