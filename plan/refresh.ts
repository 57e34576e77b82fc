/**
 * Refresh a plan note in place: every mirror line shows its task as it is now (only the bytes
 * that differ change), each generated section gets the tasks newly due into it (before its
 * `|end`), the projects section the projects that now have no next action. Nothing else is
 * touched: the user's lines, inside sections or not, stay byte for byte, and a refresh with
 * nothing new is no change at all (the note holds no generation time).
 */
import { ChangeSet, type ChangeSpec } from '@codemirror/state';
import { applyChanges, extractObjects, lineEnding, minimal, type NoteOutline } from '../graph/index.js';
import { extractMirrors, parse, type Tree } from '../parser/index.js';
import { mirrorContent } from './mirror.js';
import { shownOfHead } from './mirrorread.js';
import type { Period } from './period.js';
import { PROJECT_MARKER, projectLine, stalledProjects } from './projects.js';
import { findSections, type Section, type SectionName } from './sections.js';
import { additions } from './select.js';
import { hexOf, TaskIndex, type PlanTask, type TaskLookup } from './tasks.js';

export interface RefreshInput {
  /** The plan note, relative to the workspace (links are relative to its folder). */
  file: string;
  text: string;
  period: Period;
  /**
   * Every task, or at least every one a section may take but for the carried ones: those are
   * found through `index` by uuid (a caller with 10,000 tasks makes values only for the few
   * that are dated, started, on hold, waiting or done, cli/notes.ts).
   */
  tasks: readonly PlanTask[];
  /** Every task by id (when the caller has it already; else `tasks` indexed). */
  index?: TaskLookup;
  /**
   * Project notes, for the projects with no next action (plan notes left out); a function is
   * called only when the note has a projects section (the caller's outlines may be lazy).
   */
  notes: readonly NoteOutline[] | (() => readonly NoteOutline[]);
  /** Uuids of the tasks the previous plan of this kind showed or held. */
  carried: ReadonlySet<string>;
  /** `text` parsed, when the caller has it already. */
  tree?: Tree;
  /** Mirrors (by marker id) holding an edit no sync has sent yet: left as the user wrote them. */
  keep?: ReadonlySet<string>;
  /** The stats section's lines (the caller works them out from the history: plan/track). */
  stats?: readonly string[];
}

export interface Refreshed {
  changes: ChangeSet;
  text: string;
  /** Per section the note has: task uuids in note order (projects: their names). */
  sections: Partial<Record<SectionName, string[]>>;
  warnings: string[];
}

interface Line {
  from: number;
  /** After its line break. */
  next: number;
  text: string;
}

function linesIn(text: string, from: number, to: number): Line[] {
  const out: Line[] = [];
  let at = from;
  while (at < to) {
    let e = at;
    while (e < to && text[e] !== '\n' && text[e] !== '\r') e++;
    const next = text[e] === '\r' && text[e + 1] === '\n' ? e + 2 : Math.min(e + 1, text.length);
    out.push({ from: at, next, text: text.slice(at, e) });
    at = next;
  }
  return out;
}

const indentAt = (text: string, at: number) => /^[ \t]*/.exec(text.slice(at, at + 200))![0];

/** Marks the lines of the stats section: derived, replaced at each refresh (the others stay). */
export const STATS_MARKER = '%@stats%';

/**
 * A derived section's lines (those ending with the marker) made to be `want`: a line still
 * wanted stays where it is, the others go, the missing ones are added before `|end`.
 */
function derived(text: string, s: Section, want: readonly string[], specs: ChangeSpec[], add: (at: number, line: string) => void): void {
  const nl = lineEnding(text);
  const wanted = new Set(want);
  const have = new Set<string>();
  for (const l of linesIn(text, s.contentFrom, s.endLineStart)) {
    const m = /^[ \t]*-+[ \t]+(.*\S)[ \t]*$/.exec(l.text);
    if (!m || !m[1]!.endsWith(STATS_MARKER)) continue;
    if (wanted.has(m[1]!) && !have.has(m[1]!)) have.add(m[1]!);
    else specs.push({ from: l.from, to: l.next });
  }
  const indent = indentAt(text, s.endLineStart);
  for (const line of want) if (!have.has(line)) add(s.endLineStart, `${indent}- ${line}${nl}`);
}

export function refresh(input: RefreshInput): Refreshed {
  const { text, file } = input;
  const nl = lineEnding(text);
  const tree = input.tree ?? parse(text);
  const found = findSections(tree);
  const index = input.index ?? new TaskIndex(input.tasks);
  const specs: ChangeSpec[] = [];
  const sections: Partial<Record<SectionName, string[]>> = {};
  const first = new Map<SectionName, Section>();
  for (const s of found.sections) {
    if (!first.has(s.name)) first.set(s.name, s);
    sections[s.name] ??= [];
  }
  const sectionAt = (pos: number) => found.sections.find((s) => pos >= s.contentFrom && pos < s.endLineStart);

  // What the note shows already: its own task lines and its mirrors, refreshed.
  const shown = new Set<string>();
  for (const t of extractObjects(tree, file).tasks) {
    const task = t.id ? index.find(t.id) : null;
    if (task) shown.add(task.uuid);
  }
  for (const m of extractMirrors(tree)) {
    const task = index.find(m.id);
    // A task Taskwarrior no longer has: its mirror stays as the user last saw it.
    if (!task) continue;
    shown.add(task.uuid);
    const like = shownOfHead(text.slice(m.contentFrom, m.markerTo)) ?? {};
    if (!input.keep?.has(m.id)) specs.push(...minimal(text, m.contentFrom, m.markerTo, mirrorContent(task, file, like)));
    const s = sectionAt(m.lineStart);
    if (s && s.name !== 'projects') sections[s.name]!.push(task.uuid);
  }

  const inserts = new Map<number, string[]>();
  const add = (at: number, line: string) => inserts.set(at, [...(inserts.get(at) ?? []), line]);
  const adds = additions(new Set(first.keys()), input.tasks, input.period, shown, input.carried, (uuid) => index.find(hexOf(uuid)));
  for (const [name, list] of adds) {
    const s = first.get(name)!;
    const indent = indentAt(text, s.endLineStart);
    for (const t of list) {
      add(s.endLineStart, `${indent}- ${mirrorContent(t, file)}${nl}`);
      sections[name]!.push(t.uuid);
    }
  }

  const projects = first.get('projects');
  if (projects) {
    const stalled = stalledProjects(typeof input.notes === 'function' ? input.notes() : input.notes, input.tasks, index);
    const want = new Map(stalled.map((p) => [projectLine(p, file), p.project]));
    const have = new Set<string>();
    for (const l of linesIn(text, projects.contentFrom, projects.endLineStart)) {
      const m = /^[ \t]*-+[ \t]+(.*\S)[ \t]*$/.exec(l.text);
      if (!m || !m[1].endsWith(PROJECT_MARKER)) continue;
      // A project line is derived: one whose project moved on goes, the others stay put.
      if (want.has(m[1]) && !have.has(m[1])) have.add(m[1]);
      else specs.push({ from: l.from, to: l.next });
    }
    const indent = indentAt(text, projects.endLineStart);
    for (const line of want.keys()) if (!have.has(line)) add(projects.endLineStart, `${indent}- ${line}${nl}`);
    sections.projects = [...want.values()];
  }
  const stats = first.get('stats');
  if (stats) {
    derived(
      text,
      stats,
      (input.stats ?? []).map((l) => `${l} ${STATS_MARKER}`),
      specs,
      add,
    );
    sections.stats = [...(input.stats ?? [])];
  }
  for (const [at, lines] of inserts) specs.push({ from: at, insert: lines.join('') });

  const changes = ChangeSet.of(specs, text.length, nl);
  return { changes, text: applyChanges(text, changes), sections, warnings: found.warnings };
}
