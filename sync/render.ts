/**
 * The notes' new texts: each note's field edits, additions and removals as one minimal change
 * set (graph/patch.ts), then the moves, each carrying a task's whole block (its subtasks and
 * what is nested in it) with the values the edits just gave it. Pure.
 */
import { applyChanges, patchFile, type FileObjects, type TaskEdit, type TaskObject } from '../graph/index.js';
import { applyMoves } from './moves.js';
import { fromTw, type PriorityMap } from './mapping.js';
import type { Direction } from './merge.js';
import { reread, rerender } from './mirrors.js';
import { fillViews } from './views.js';
import type { Loaded, Scope } from './scope.js';
import type { TwRead } from './twread.js';
import type { WritePlan } from './plan.js';
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
  for (const m of plan.moves) for (const f of [m.from, m.to]) if (!before.has(f)) before.set(f, textOf(f));
  for (const m of applyMoves(plan.moves, { get: textOf, set: (f, t) => texts.set(f, t) }))
    warnings.push(`${m.from}: task ${m.id} could not be moved to ${m.to}; it stays where it is`);
  // A note's list is copied once (the field edits' is the plan's), not once per move.
  const withMoves = new Map<string, TaskEdit[]>();
  for (const m of plan.moves)
    for (const f of [m.from, m.to]) {
      let list = withMoves.get(f);
      if (!list) withMoves.set(f, (list = [...(editsOf.get(f) ?? [])]));
      list.push({ op: 'move', key: m.id, headingPath: m.path });
    }
  for (const [f, list] of withMoves) editsOf.set(f, list);
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
  for (const f of scope.mirrorWaiting) plan.deferredFiles.add(f);
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
