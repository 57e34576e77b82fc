/**
 * The notes' new texts: each note's field edits, additions and removals as one minimal change
 * set (graph/patch.ts), then the moves, each carrying a task's whole block (its subtasks and
 * what is nested in it) with the values the edits just gave it. Pure.
 */
import { applyChanges, cutBlock, insertBlock, patchFile, WorkspaceGraph, type FileObjects, type TaskEdit, type TaskObject } from '../graph/index.js';
import { fromTw, type PriorityMap } from './mapping.js';
import type { Direction } from './merge.js';
import { reread, rerender } from './mirrors.js';
import { fillViews } from './views.js';
import type { Loaded, Scope } from './scope.js';
import type { TwRead } from './twread.js';
import type { Move, WritePlan } from './plan.js';
import type { NoteChange } from './report.js';

export function renderNotes(loaded: Loaded, plan: WritePlan, warnings: string[]): NoteChange[] {
  const texts = new Map<string, string>();
  const before = new Map<string, string>();
  const editsOf = new Map<string, TaskEdit[]>();
  const textOf = (file: string) => texts.get(file) ?? loaded.notes.get(file)?.text ?? '';
  for (const [file, list] of plan.edits) {
    const text = textOf(file);
    before.set(file, text);
    const objects = loaded.graph.objects(file) ?? emptyObjects(file);
    const p = patchFile(text, objects, list);
    for (const e of p.errors) warnings.push(`${file}: ${e.message}`);
    texts.set(file, applyChanges(text, p.changes));
    editsOf.set(file, list);
  }
  for (const m of plan.moves) {
    for (const f of [m.from, m.to]) if (!before.has(f)) before.set(f, textOf(f));
    if (!moveBlock(m, texts, textOf)) warnings.push(`${m.from}: task ${m.id} could not be moved to ${m.to}; it stays where it is`);
    for (const f of [m.from, m.to]) editsOf.set(f, [...(editsOf.get(f) ?? []), { op: 'move', key: m.id, headingPath: m.path }]);
  }
  const out: NoteChange[] = [];
  for (const [file, was] of before) {
    const after = texts.get(file) ?? was;
    if (after !== was) out.push({ file, before: was, after, edits: editsOf.get(file) ?? [] });
  }
  return out;
}

/**
 * The viewports of the notes in scope filled (views.ts), then every mirror of those notes shows
 * its task as this sync leaves it (after the task edits above), and their baselines go to the
 * plan. A mirror whose task this sync did not touch shows its last known version.
 */
export function rerenderMirrors(
  scope: Scope,
  plan: WritePlan,
  changes: NoteChange[],
  tw: TwRead,
  o: { priorities: PriorityMap; direction: Direction; dataDir: string; now: Date; lineOf: (uuid: string) => TaskObject | undefined },
  warnings: string[],
): NoteChange[] {
  // A pull sends no mirror edit: those mirrors stay as the user left them, for the next push.
  const keep = new Set([...(o.direction === 'pull' ? scope.mirrorEdits.keys() : []), ...scope.mirrorHeld]);
  const filled = fillViews(scope, plan, changes, o, keep);
  warnings.push(...filled.warnings);
  plan.viewNotes = filled.viewNotes;
  const notes = [...scope.mirrors];
  for (const f of filled.added.keys()) if (!notes.some((n) => n.file === f)) notes.push({ file: f, lines: [], uuids: [] });
  if (notes.length === 0) return filled.changes;
  const byFile = new Map(filled.changes.map((c) => [c.file, c]));
  const imported = new Map(plan.imports.map((t) => [t.uuid, t]));
  const after = (u: string) => {
    const t = imported.get(u) ?? plan.cache.get(u) ?? tw.byUuid.get(u) ?? scope.loaded.knownCache.get(u) ?? scope.mirrorTasks.get(u);
    return t ? fromTw(t, o.priorities) : null;
  };
  // Their notes are not recorded as read, or the next sync would find nothing changed and never
  // send the edit (harness finding round2-F9).
  if (o.direction === 'pull')
    for (const e of scope.mirrorEdits.values()) {
      plan.deferredFiles.add(e.file);
      for (const l of e.lost) plan.deferredFiles.add(l.file);
    }
  for (const n of notes) {
    const change = byFile.get(n.file) ?? null;
    const text = change?.after ?? scope.loaded.notes.get(n.file)?.text ?? '';
    // Task edits and viewports in the same note moved the lines: read the mirrors again.
    const lines = change ? reread(n, text, filled.added.get(n.file)) : n;
    const r = rerender(lines, text, change, after, scope.loaded.mirrorBases.get(n.file), keep);
    plan.mirrorBases.set(n.file, r.bases);
    if (r.change) byFile.set(n.file, r.change);
  }
  return [...byFile.values()];
}

function emptyObjects(file: string): FileObjects {
  return { file, tasks: [], projects: [], baseProject: null, duplicateIds: [] };
}

function parse(file: string, text: string): FileObjects {
  const g = new WorkspaceGraph({ propagate: false, derive: false });
  g.setFile(file, text);
  return g.objects(file) ?? emptyObjects(file);
}

/** Cut the block of the task with this id and insert it under its new heading. */
function moveBlock(m: Move, texts: Map<string, string>, textOf: (f: string) => string): boolean {
  const src = textOf(m.from);
  const t = parse(m.from, src).tasks.find((x) => x.id === m.id);
  if (!t) return false;
  if (m.from === m.to) {
    const p = patchFile(src, parse(m.from, src), [{ op: 'move', key: t.key, headingPath: m.path }]);
    if (p.errors.length > 0) return false;
    texts.set(m.from, applyChanges(src, p.changes));
    return true;
  }
  const cut = cutBlock(src, t);
  const dest = textOf(m.to);
  const ins = insertBlock(dest, parse(m.to, dest), m.path, cut.block, cut.indent);
  texts.set(m.from, src.slice(0, cut.spec.from) + src.slice(cut.spec.to));
  const at = (ins as { from: number }).from;
  texts.set(m.to, dest.slice(0, at) + (ins as { insert: string }).insert + dest.slice(at));
  return true;
}
