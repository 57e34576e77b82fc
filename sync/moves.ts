/**
 * The moves of a sync applied to the notes' texts (render.ts), in order, each carrying a task's
 * whole block (its subtasks and what is nested in it) under its new heading. Pure.
 *
 * Made one at a time, each move parsed its notes again: a pull that moved the 600 lines of a
 * heading parsed the note 1,200 times (harness finding round4-f2). Moves are batched instead:
 * each is computed against one parse of its notes, and a batch is written as one splice per note.
 * A move joins the batch only if none of the batch's moves can change what it finds (its block,
 * its heading's insertion point) nor it theirs; then the batch's text is the one the moves made
 * one at a time would give (test/unit/sync/moves.test.ts checks it on random notes). A move that
 * conflicts starts a new batch; one that no batch can take (its task not found, a heading task,
 * a heading or line break to create first) is made alone, the old way.
 */
import {
  cutBlock,
  insertBlock,
  insertionPoint,
  patchFile,
  applyChanges,
  reindented,
  WorkspaceGraph,
  type FileObjects,
  type Span,
  type TaskObject,
} from '../graph/index.js';
import type { Move } from './plan.js';

export interface NoteTexts {
  get(file: string): string;
  set(file: string, text: string): void;
}

/** Where a batch's blocks for one heading go: all of them, in order, at one point. */
interface Insert {
  at: number;
  /** From the heading's line to `at`: a cut there would move the point (or the indent). */
  region: Span;
  indent: string;
  nl: string;
  blocks: string[];
}

/** One note within a batch: its text when the batch began, read once, and what the batch does to it. */
interface Note {
  text: string;
  objects: FileObjects;
  byId: Map<string, TaskObject>;
  /** Sorted, disjoint. */
  cuts: Span[];
  inserts: Map<string, Insert>;
  /** Ids written in the blocks brought here: a later move's search by id could land on them. */
  arrived: Set<string>;
}

type Batch = Map<string, Note>;

/** Make the moves in order; returns those that could not be made (their task stays where it is). */
export function applyMoves(moves: readonly Move[], texts: NoteTexts): Move[] {
  const failed: Move[] = [];
  const batch: Batch = new Map();
  for (const m of moves) {
    if (addMove(batch, m, texts)) continue;
    if (flush(batch, texts) && addMove(batch, m, texts)) continue;
    // Its parses go: the move made alone changes the texts under them.
    flush(batch, texts);
    if (!moveBlock(m, texts)) failed.push(m);
  }
  flush(batch, texts);
  return failed;
}

/** Cut the block of the task with this id and insert it under its new heading, reading both notes anew. */
export function moveBlock(m: Move, texts: NoteTexts): boolean {
  const src = texts.get(m.from);
  const t = parse(m.from, src).tasks.find((x) => x.id === m.id);
  if (!t) return false;
  if (m.from === m.to) {
    const p = patchFile(src, parse(m.from, src), [{ op: 'move', key: t.key, headingPath: m.path }]);
    if (p.errors.length > 0) return false;
    texts.set(m.from, applyChanges(src, p.changes));
    return true;
  }
  const cut = cutBlock(src, t);
  const dest = texts.get(m.to);
  const ins = insertBlock(dest, parse(m.to, dest), m.path, cut.block, cut.indent);
  texts.set(m.from, src.slice(0, cut.spec.from) + src.slice(cut.spec.to));
  const at = (ins as { from: number }).from;
  texts.set(m.to, dest.slice(0, at) + (ins as { insert: string }).insert + dest.slice(at));
  return true;
}

/** The move added to the batch, if the batch can take it unchanged by and unchanging the others. */
function addMove(batch: Batch, m: Move, texts: NoteTexts): boolean {
  const src = noteOf(batch, m.from, texts);
  const t = src.byId.get(m.id);
  if (!t || t.kind === 'heading' || src.arrived.has(m.id)) return false;
  const cut = cutBlock(src.text, t);
  const dest = noteOf(batch, m.to, texts);
  const key = JSON.stringify(m.path);
  const known = dest.inserts.get(key);
  const ins = known ?? newInsert(dest, m.path);
  if (!ins || overlaps(src.cuts, cut.spec)) return false;
  const groups = [...src.inserts.values(), ...(src === dest && !known ? [ins] : [])];
  if (groups.some((g) => cuts(cut.spec, g))) return false;
  if (!known && !fitsAmong(ins, dest)) return false;
  insertSorted(src.cuts, cut.spec);
  dest.inserts.set(key, ins);
  ins.blocks.push(reindented(cut.block, cut.indent, ins.indent, ins.nl));
  for (const id of cut.block.matchAll(ID_IN_TEXT)) dest.arrived.add(id[1]);
  return true;
}

const ID_IN_TEXT = /%#([0-9a-f]{4,32})%/g;

function noteOf(batch: Batch, file: string, texts: NoteTexts): Note {
  let n = batch.get(file);
  if (!n) {
    const text = texts.get(file);
    const objects = parse(file, text);
    const byId = new Map<string, TaskObject>();
    // The first line with an id is the one a search finds (a later copy's id is dropped anyway).
    for (const t of objects.tasks) if (t.id && !byId.has(t.id)) byId.set(t.id, t);
    n = { text, objects, byId, cuts: [], inserts: new Map(), arrived: new Set() };
    batch.set(file, n);
  }
  return n;
}

/** The insertion point of a heading that exists (one to create would change the note's outline). */
function newInsert(n: Note, path: string[]): Insert | null {
  const p = insertionPoint(n.text, n.objects, path);
  if (p.head !== '') return null;
  const want = path.join('/');
  const project = path.length > 0 ? n.objects.projects.find((x) => x.path.join('/') === want) : undefined;
  if (path.length > 0 && !project) return null;
  // Under no heading the point follows the last top-level task, not all content: an item after
  // it (`-- note`) would nest in the first block brought, and the next block go after that.
  if (!project && !endsContent(n, p.at)) return null;
  return { at: p.at, region: { from: project ? lineStart(n.text, project.span.from) : 0, to: p.at }, indent: p.indent, nl: p.nl, blocks: [] };
}

/** Nothing that a block placed at `pos` could take in follows it: the end, a blank line, the first heading. */
function endsContent(n: Note, pos: number): boolean {
  const first = n.objects.projects[0];
  let i = pos;
  while (n.text[i] === ' ' || n.text[i] === '\t') i++;
  return i === n.text.length || n.text[i] === '\n' || n.text[i] === '\r' || (!!first && lineStart(n.text, first.span.from) === pos);
}

/** A cut touching a heading's region, its insertion point included, could move that point. */
function cuts(c: Span, g: Insert): boolean {
  return c.from <= g.at && c.to > g.region.from;
}

/** A new insertion point fits if no cut of its note touches its region and no other point sits on or in it. */
function fitsAmong(ins: Insert, n: Note): boolean {
  if (n.cuts.some((c) => cuts(c, ins))) return false;
  for (const g of n.inserts.values()) {
    if (g.at === ins.at) return false;
    if (g.at > ins.region.from && g.at < ins.at) return false;
    if (ins.at > g.region.from && ins.at < g.at) return false;
  }
  return true;
}

function overlaps(sorted: Span[], s: Span): boolean {
  const i = firstFrom(sorted, s.from);
  return (i > 0 && sorted[i - 1].to > s.from) || (i < sorted.length && sorted[i].from < s.to);
}

function insertSorted(sorted: Span[], s: Span): void {
  sorted.splice(firstFrom(sorted, s.from), 0, s);
}

/** Index of the first span starting at or after `pos`. */
function firstFrom(sorted: Span[], pos: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].from < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Write the batch's notes, one splice each, and empty it; says whether it held a move. */
function flush(batch: Batch, texts: NoteTexts): boolean {
  let moved = false;
  for (const [file, n] of batch) {
    if (n.cuts.length === 0 && n.inserts.size === 0) continue;
    const edits = [...n.cuts.map((c) => ({ ...c, insert: '' })), ...[...n.inserts.values()].map((g) => ({ from: g.at, to: g.at, insert: g.blocks.join('') }))];
    edits.sort((a, b) => a.from - b.from);
    let out = '';
    let at = 0;
    for (const e of edits) (out += n.text.slice(at, e.from) + e.insert), (at = e.to);
    texts.set(file, out + n.text.slice(at));
    moved = true;
  }
  batch.clear();
  return moved;
}

function lineStart(text: string, pos: number): number {
  let s = pos;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return s;
}

function parse(file: string, text: string): FileObjects {
  const g = new WorkspaceGraph({ propagate: false, derive: false });
  g.setFile(file, text);
  return g.objects(file) ?? { file, tasks: [], projects: [], baseProject: null, duplicateIds: [] };
}
