/**
 * Reverse patches: an object-level change becomes the smallest edit of the source text that
 * makes a new parse yield the changed object. Edits are @codemirror/state change sets, so
 * they compose, invert and map positions; every byte outside the touched fields stays.
 *
 * - A field inside the extension changes only its value (`< Fri 27th Nov` → `< Sat 28th Nov`
 *   rewrites `Fri` → `Sat` and `27` → `28`... as one trimmed range); a new field is appended as
 *   a `|` part, a cleared one is removed with its separator.
 * - A description is diffed against the old one (common prefix and suffix kept) and mapped
 *   back to the source, across continuation lines.
 * - A new task goes after the last item of its heading's own content, with its siblings'
 *   indentation and the file's line ending; missing headings are created.
 * - A removed task takes its whole lines (nested items included) and its `+tag` lines; a moved
 *   task carries the same block to its new heading.
 */
import { ChangeSet, type ChangeSpec } from '@codemirror/state';
import type { TaskStatus } from '../parser/index.js';
import { sourceAt } from '../parser/describe.js';
import type { FileObjects, ProjectObject, Span, TaskObject } from './objects.js';
import { STATUS_CHAR } from './status.js';

export interface TaskFields {
  status: TaskStatus;
  description: string;
  priority?: string | null;
  due?: string | null;
  start?: string | null;
  recurrence?: string | null;
  tags?: string[];
  id?: string | null;
}

export type TaskEdit =
  | {
      op: 'set';
      key: string;
      status?: TaskStatus;
      recurrence?: string | null;
      priority?: string | null;
      due?: string | null;
      start?: string | null;
      description?: string;
      id?: string;
      tags?: string[];
    }
  | { op: 'add'; headingPath: string[]; task: TaskFields }
  | { op: 'remove'; key: string }
  | { op: 'move'; key: string; headingPath: string[] };

export interface PatchError {
  code: 'unknown-task' | 'conflicting-edits';
  message: string;
  key?: string;
}

export interface Patch {
  changes: ChangeSet;
  errors: PatchError[];
}

/** Apply a change set to a string, keeping its line endings (ChangeSet.apply wants a Text). */
export function applyChanges(text: string, changes: ChangeSet): string {
  let out = '';
  let at = 0;
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    out += text.slice(at, fromA) + inserted.sliceString(0, inserted.length, lineEnding(text));
    at = toA;
  });
  return out + text.slice(at);
}

export function lineEnding(text: string): string {
  const i = text.search(/\r\n|\r|\n/);
  if (i < 0) return '\n';
  return text[i] === '\r' ? (text[i + 1] === '\n' ? '\r\n' : '\r') : '\n';
}

/** Minimal replacement of text[from, to) by `next`: the common prefix and suffix are kept. */
export function minimal(text: string, from: number, to: number, next: string): ChangeSpec[] {
  const old = text.slice(from, to);
  if (old === next) return [];
  let p = 0;
  const max = Math.min(old.length, next.length);
  while (p < max && old.charCodeAt(p) === next.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === next.charCodeAt(next.length - 1 - s)) s++;
  return [{ from: from + p, to: to - s, insert: next.slice(p, next.length - s) }];
}

/** Text safe to place inside one norg line: no line breaks, no look-alike id comment. */
export function noteSafe(s: string): string {
  return (
    s
      .replace(/\r\n|\r|\n/g, ' ')
      .replace(/\u0000/g, '')
      // Text that reads as an id comment is escaped; backslashes already before it are doubled
      // first, or `\%#…%` (the literal text) would come out as an escaped backslash and a live id.
      .replace(/(\\*)%#([0-9a-f]{4,32})%/g, (_m, bs: string, id: string) => `${bs}${bs}\\%#${id}%`)
  );
}

const SIGIL: Record<'priority' | 'due' | 'start', string> = { priority: '#', due: '<', start: '>' };
const PART_KIND: Record<'priority' | 'due' | 'start', string> = { priority: 'priority', due: 'due', start: 'start' };

function statusText(status: TaskStatus, recurrence: string | null | undefined): string {
  if (status === 'recurring' && recurrence) return `+ ${recurrence}`;
  return STATUS_CHAR[status];
}

function setEdits(text: string, t: TaskObject, e: Extract<TaskEdit, { op: 'set' }>): ChangeSpec[] {
  const out: ChangeSpec[] = [];
  const sp = t.spans;
  if (e.status !== undefined || e.recurrence !== undefined) {
    const status = e.status ?? t.status;
    const recurrence = e.recurrence !== undefined ? e.recurrence : t.recurrence;
    if (status !== t.status || (status === 'recurring' && (recurrence ?? '') !== (t.recurrence ?? ''))) {
      out.push(...minimal(text, sp.status!.from, sp.status!.to, statusText(status, recurrence)));
    }
  }
  for (const field of ['priority', 'due', 'start'] as const) {
    const v = e[field];
    if (v === undefined || v === t[field]) continue;
    const part = sp.parts.find((p) => p.kind === PART_KIND[field]);
    if (part && v === null) {
      // Remove the part and one separator next to it.
      const before = text[part.span.from - 1] === '|';
      out.push(before ? { from: part.span.from - 1, to: part.span.to } : { from: part.span.from, to: Math.min(part.span.to + 1, sp.ext!.to - 1) });
    } else if (part && part.value && v !== null) {
      out.push(...minimal(text, part.value.from, part.value.to, noteSafe(v).replace(/[|)]/g, ' ')));
    } else if (!part && v !== null) {
      out.push({ from: sp.ext!.to - 1, insert: `|${SIGIL[field]} ${noteSafe(v).replace(/[|)]/g, ' ')}` });
    }
  }
  if (e.description !== undefined && e.description !== t.description) out.push(...descriptionEdit(t, noteSafe(e.description)));
  if (e.id !== undefined && e.id !== t.id) {
    if (sp.id) out.push({ from: sp.id.from, to: sp.id.to, insert: `%#${e.id}%` });
    else out.push({ from: sp.firstLineEnd, insert: `${sp.firstLineEnd > sp.description.from || t.description ? ' ' : ''}%#${e.id}%` });
  }
  if (e.tags !== undefined) {
    const have = new Set(t.tags);
    const want = e.tags.filter((x) => /^[A-Za-z0-9_][\w.-]*$/.test(x));
    const add = want.filter((x) => !have.has(x));
    if (add.length > 0) out.push({ from: sp.lineStart, insert: add.map((x) => `${sp.indent}+${x}${lineEnding(text)}`).join('') });
    // An item's own `+tag` lines can go; a list-wide `#tag` stays (it says so for every item).
    const keep = new Set(want);
    for (const l of sp.tagLines) if (!keep.has(l.name)) out.push({ from: l.from, to: l.to });
  }
  return out;
}

function descriptionEdit(t: TaskObject, next: string): ChangeSpec[] {
  const old = t.description;
  const at = (i: number) => sourceAt(t.spans.descRuns, t.spans.description.to, i);
  let p = 0;
  const max = Math.min(old.length, next.length);
  while (p < max && old.charCodeAt(p) === next.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === next.charCodeAt(next.length - 1 - s)) s++;
  const from = at(p);
  const to = old.length - s > p ? at(old.length - s - 1) + 1 : from;
  // An empty description gets a space between the extension and its text.
  const insert = next.slice(p, next.length - s);
  if (old.length === 0 && insert.length > 0 && t.spans.ext && from === t.spans.ext.to) return [{ from, to, insert: ' ' + insert }];
  // The id comment may sit inside the replaced range (at the end of the first line of a
  // description that continues below): the edit goes around it, the id stays where it is.
  const id = t.spans.id;
  if (id) {
    let cut = id.from;
    while (cut > t.spans.description.from && /[ \t]/.test(t.spans.descText[cut - t.spans.descBase - 1] ?? '')) cut--;
    // After the id, keep the line break and indentation: only content is replaced.
    let after = id.to;
    while (after < to && /[ \t\r\n]/.test(t.spans.descText[after - t.spans.descBase] ?? '')) after++;
    // Emptying a continuation line would leave a blank line, which ends the list: take the
    // line break with it instead.
    if (to >= t.spans.description.to) after = id.to;
    if (from < cut && to > id.to)
      return after < to
        ? [
            { from, to: cut, insert },
            { from: after, to, insert: '' },
          ]
        : [{ from, to: cut, insert }];
    if (from < cut && to > cut) return [{ from, to: cut, insert }];
    if (from < id.to && to > id.to) return [{ from: Math.min(after, to), to, insert }];
  }
  return [{ from, to, insert }];
}

function findProject(objects: FileObjects, path: string[]): ProjectObject | undefined {
  const want = path.join('/');
  return objects.projects.find((p) => p.path.join('/') === want);
}

function nextLineStart(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i < text.length ? i + 1 : i;
}

function taskLine(fields: TaskFields, indent: string, prefix = '-'): string {
  const parts = [statusText(fields.status, fields.recurrence)];
  if (fields.priority) parts.push(`# ${noteSafe(fields.priority)}`);
  if (fields.due) parts.push(`< ${noteSafe(fields.due)}`);
  if (fields.start) parts.push(`> ${noteSafe(fields.start)}`);
  const desc = noteSafe(fields.description);
  const tags = (fields.tags ?? [])
    .filter((x) => /^[A-Za-z0-9_][\w.-]*$/.test(x))
    .map((x) => `${indent}+${x}\n`)
    .join('');
  return `${tags}${indent}${prefix} (${parts.join('|')})${desc ? ' ' + desc : ''}${fields.id ? ` %#${fields.id}%` : ''}`;
}

function addEdits(text: string, objects: FileObjects, path: string[], fields: TaskFields): ChangeSpec[] {
  const p = insertionPoint(text, objects, path);
  return [{ from: p.at, insert: p.head + taskLine(fields, p.indent).replace(/\n/g, p.nl) + p.nl }];
}

/**
 * Where a new item under `path` goes: after the last item of that heading's own content, with
 * its siblings' indentation; `head` holds what must come first (a line break the file lacks at
 * its end, the headings that are missing).
 */
export function insertionPoint(text: string, objects: FileObjects, path: string[]): { at: number; indent: string; head: string; nl: string } {
  const nl = lineEnding(text);
  const project = path.length > 0 ? findProject(objects, path) : undefined;
  if (project || path.length === 0) {
    let at: number;
    let indent: string;
    if (project) {
      at = nextLineStart(text, project.contentEnd);
      indent = project.itemIndent ?? contentIndent(project);
    } else {
      // No heading: after the last top-level item before any heading, else at the top.
      const firstHeading = objects.projects[0];
      const top = objects.tasks.filter((t) => t.headingPath.length === 0 && t.parent === null);
      at = top.length > 0 ? nextLineStart(text, top[top.length - 1].spans.item.to) : firstHeading ? firstHeading.span.from : text.length;
      indent = top.length > 0 ? top[top.length - 1].spans.indent : '';
    }
    const needNl = at === text.length && text.length > 0 && !/[\r\n]$/.test(text);
    return { at, indent, head: needNl ? nl : '', nl };
  }
  // Create the missing headings under the deepest one that exists, indented as Neorg does:
  // a heading's content (subheadings included) sits at its indent + level + 1.
  let depth = path.length - 1;
  let parent: ProjectObject | undefined;
  while (depth > 0 && !(parent = findProject(objects, path.slice(0, depth)))) depth--;
  const at = parent ? nextLineStart(text, parent.span.to) : text.length;
  let level = parent ? parent.level : 0;
  let indent = parent ? contentIndent(parent) : '';
  let head = at === text.length && text.length > 0 && !/[\r\n]$/.test(text) ? nl : '';
  if (!parent && text.length > 0 && !endsWithBlankLine(text + head)) head += nl;
  for (let i = depth; i < path.length; i++) {
    level++;
    head += `${indent}${'*'.repeat(level)} ${noteSafe(path[i])}${nl}`;
    indent += ' '.repeat(level + 1);
  }
  return { at, indent, head, nl };
}

/**
 * A task's whole block (its `+tag` lines, its line, everything nested in it) as text, and the
 * change that removes it: what a move carries, so that subtasks and notes under a task go with it.
 */
export function cutBlock(text: string, t: TaskObject): { spec: { from: number; to: number }; block: string; indent: string } {
  const spec = removeEdit(text, t);
  return { spec, block: lifted(text.slice(spec.from, spec.to), t), indent: t.spans.indent };
}

/**
 * A nested task's block with its list items raised so that the task is a first-level item:
 * its parent stays behind, and left at its depth (`-- task`) it would read, under the heading
 * it goes to, as a subtask of whatever item comes before it there (harness seed 100439).
 */
function lifted(block: string, t: TaskObject): string {
  const by = t.kind === 'item' ? t.level - 1 : 0;
  if (by <= 0) return block;
  return block.replace(/^([ \t]*)(-+|~+)(?=[ \t])/gm, (m, indent: string, prefix: string) => (prefix.length > by ? indent + prefix.slice(by) : m));
}

/** A cut block placed under `path`, each line re-indented from the block's indent to the target's. */
export function insertBlock(text: string, objects: FileObjects, path: string[], block: string, blockIndent: string): ChangeSpec {
  const p = insertionPoint(text, objects, path);
  return { from: p.at, insert: p.head + reindented(block, blockIndent, p.indent, p.nl) };
}

/** A cut block's lines re-indented from `blockIndent` to `indent`, each ended by `nl`. */
export function reindented(block: string, blockIndent: string, indent: string, nl: string): string {
  const lines = block.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/);
  return lines.map((l) => (l.startsWith(blockIndent) ? indent + l.slice(blockIndent.length) : l)).join(nl) + nl;
}

function endsWithBlankLine(t: string): boolean {
  const rest = t.replace(/(\r\n|\r|\n)$/, '');
  return rest.length < t.length && /(\r\n|\r|\n)$/.test(rest);
}

function contentIndent(p: ProjectObject): string {
  return p.indent + ' '.repeat(p.level + 1);
}

function removeEdit(text: string, t: TaskObject): { from: number; to: number } {
  let from = t.spans.lineStart;
  // Its `+tag` lines go with it.
  for (;;) {
    let ps = from;
    if (ps === 0) break;
    let e = ps - 1;
    if (text[e] === '\n' && text[e - 1] === '\r') e--;
    ps = e;
    while (ps > 0 && text[ps - 1] !== '\n' && text[ps - 1] !== '\r') ps--;
    if (/^[ \t]*\+[A-Za-z0-9_][\w.-]*[ \t]*$/.test(text.slice(ps, e))) from = ps;
    else break;
  }
  return { from, to: nextLineStart(text, Math.max(t.spans.item.to - 1, t.spans.lineStart)) };
}

/** The change set that applies `edits` to a file; edits refer to objects of that file. */
export function patchFile(text: string, objects: FileObjects, edits: TaskEdit[]): Patch {
  const byKey = new Map(objects.tasks.map((t) => [t.key, t]));
  const errors: PatchError[] = [];
  const specs: ChangeSpec[] = [];
  const removed = new Set(edits.filter((e) => e.op === 'remove' || e.op === 'move').map((e) => (e as { key: string }).key));
  const claimed: Span[] = [];
  const claim = (s: ChangeSpec[]): boolean => {
    for (const c of s as { from: number; to?: number }[]) {
      const to = c.to ?? c.from;
      if (claimed.some((r) => c.from < r.to && to > r.from)) return false;
    }
    for (const c of s as { from: number; to?: number }[]) if ((c.to ?? c.from) > c.from) claimed.push({ from: c.from, to: c.to! });
    return true;
  };
  for (const e of edits) {
    if (e.op === 'add') {
      specs.push(...addEdits(text, objects, e.headingPath, e.task));
      continue;
    }
    const t = byKey.get(e.key);
    if (!t) {
      errors.push({ code: 'unknown-task', message: `no task ${e.key} in ${objects.file}`, key: e.key });
      continue;
    }
    let s: ChangeSpec[];
    if (e.op === 'set') {
      if (removed.has(e.key)) continue;
      s = setEdits(text, t, e);
    } else if (e.op === 'remove') s = [removeEdit(text, t)];
    else {
      // The whole block moves (subtasks and what is nested in it go along).
      const cut = cutBlock(text, t);
      s = [cut.spec, insertBlock(text, objects, e.headingPath, cut.block, cut.indent)];
    }
    if (!claim(s)) {
      errors.push({ code: 'conflicting-edits', message: `edits of ${e.key} overlap another edit`, key: e.key });
      continue;
    }
    specs.push(...s);
  }
  return { changes: ChangeSet.of(specs, text.length, lineEnding(text)), errors };
}
