/**
 * Viewports in the sync (plan/views.ts is the rule): every viewport of a note the sync covers
 * shows the tasks its filter matches, as Taskwarrior holds them once this sync's imports are in.
 * The tasks are read from Taskwarrior's data files (no process); the imports this sync plans
 * stand in for the versions they replace. Runs before the mirrors are rewritten (render.ts), so
 * the mirrors it adds get their baselines with the others.
 */
import { ChangeSet, type ChangeSpec } from '@codemirror/state';
import { applyChanges, lineEnding } from '../graph/index.js';
import { extractObjects, type TaskObject } from '../graph/index.js';
import { parse } from '../parser/index.js';
import { fillView, findViews, isFilterError, matches, readMirrors, shortIds, type PlanTask, type View } from '../plan/index.js';
import { UuidIndex } from './ids.js';
import { fromTw, type PriorityMap } from './mapping.js';
import type { WritePlan } from './plan.js';
import type { NoteChange } from './report.js';
import type { Scope } from './scope.js';
import { parseTwDate, type TwTask } from './taskwarrior.js';
import { allStored, storedVersions } from './undo.js';

export const VIEW_TAG = '|planager view';

export interface ViewFill {
  changes: NoteChange[];
  /** Per note, the mirrors the fill added: marker id → uuid. */
  added: Map<string, Map<string, string>>;
  /** Notes holding a viewport after this sync (the catalog keeps them). */
  viewNotes: Set<string>;
  warnings: string[];
}

export function fillViews(
  scope: Scope,
  plan: WritePlan,
  changes: NoteChange[],
  o: { dataDir: string; priorities: PriorityMap; now: Date; lineOf: (uuid: string) => TaskObject | undefined },
  /** Tasks whose mirrors hold an edit this sync does not send (a pull): never removed. */
  unsent: ReadonlySet<string> = new Set(),
): ViewFill {
  const out: ViewFill = { changes, added: new Map(), viewNotes: new Set(), warnings: [] };
  const byFile = new Map(changes.map((c) => [c.file, c]));
  const notes: { file: string; text: string; views: View[] }[] = [];
  for (const [file, n] of scope.loaded.notes) {
    if (!scope.inScope(file)) continue;
    const text = byFile.get(file)?.after ?? n.text;
    if (!text.includes(VIEW_TAG)) continue;
    const views = findViews(parse(text));
    if (views.length === 0) continue;
    out.viewNotes.add(file);
    for (const v of views) if (isFilterError(v.filter)) out.warnings.push(`${file}:${v.line}: ${v.filter.message}; the viewport is left as it is`);
    notes.push({ file, text, views });
  }
  if (notes.length === 0) return out;
  const tasks = currentTasks(
    plan,
    o.dataDir,
    notes.some((n) => n.views.some((v) => !isFilterError(v.filter) && v.filter.statuses.some((s) => s === 'completed' || s === 'deleted'))),
  );
  const ids = shortIds([...tasks.keys()]);
  const index = new UuidIndex(tasks.keys());
  const byPrefix = (id: string) => {
    const hits = index.withPrefix(id);
    return hits.length === 1 ? hits[0]! : null;
  };
  // A task done or deleted since its mirror was filled may be in completed.data, which `tasks`
  // holds only for views that show such tasks: known all the same, so its mirror goes (seed
  // 1000616 kept a done task's mirror in a view of pending ones). Read only when a mirror needs it.
  let finished: Set<string> | null = null;
  const elsewhere = (u: string): boolean => {
    finished ??= new Set(
      storedVersions(
        o.dataDir,
        viewMirrorUuids(notes, scope, byPrefix).filter((x) => !tasks.has(x)),
      ).keys(),
    );
    return finished.has(u);
  };
  for (const n of notes) {
    let text = n.text;
    const added = new Map<string, string>();
    // Views one at a time, each on the text the last one left (positions move).
    for (let i = 0; i < n.views.length; i++) {
      const tree = parse(text);
      const view = findViews(tree)[i];
      if (!view || isFilterError(view.filter)) continue;
      const filter = view.filter;
      const nl = lineEnding(text);
      const mirrors = readMirrors(text, tree).map((line) => ({
        line,
        uuid: scopeUuid(scope, n.file, line.id) ?? added.get(line.id) ?? byPrefix(line.id),
        ...lineBounds(text, line.headFrom),
      }));
      const inside = new Set<string>();
      for (const t of extractObjects(tree, n.file).tasks)
        if (t.id && t.spans.item.from >= view.contentFrom && t.spans.item.from < view.endLineStart) inside.add(byPrefix(t.id) ?? '');
      const matching: PlanTask[] = [];
      for (const t of tasks.values()) {
        if (t.status === 'recurring') continue;
        const f = fromTw(t, o.priorities);
        if (
          !matches(filter, {
            status: t.status,
            description: t.description,
            project: t.project ?? null,
            tags: t.tags ?? [],
            priority: t.priority ?? null,
            due: parseTwDate(t.due)?.getTime() ?? null,
          })
        )
          continue;
        matching.push(planTask(t, ids.get(t.uuid)!, f, scope, plan, o));
      }
      const r = fillView({ file: n.file, text, view, mirrors, tasksInside: inside, matching, known: (u) => tasks.has(u) || elsewhere(u), unsent, nl });
      if (r.specs.length === 0) continue;
      text = applyChanges(text, ChangeSet.of(r.specs as ChangeSpec[], text.length, nl));
      for (const [k, v] of r.added) added.set(k, v);
    }
    if (text === n.text) continue;
    const was = byFile.get(n.file);
    byFile.set(n.file, { file: n.file, before: was?.before ?? scope.loaded.notes.get(n.file)!.text, after: text, edits: was?.edits ?? [] });
    out.added.set(n.file, added);
  }
  out.changes = [...byFile.values()];
  return out;
}

/** The tasks the mirrors of every viewport note name (those of one fill's additions aside). */
function viewMirrorUuids(notes: { file: string; text: string }[], scope: Scope, byPrefix: (id: string) => string | null): string[] {
  const out: string[] = [];
  for (const n of notes)
    for (const line of readMirrors(n.text)) {
      const u = scopeUuid(scope, n.file, line.id) ?? byPrefix(line.id);
      if (u) out.push(u);
    }
  return out;
}

function scopeUuid(scope: Scope, file: string, id: string): string | null {
  const n = scope.mirrors.find((m) => m.file === file);
  if (!n) return null;
  const i = n.lines.findIndex((l) => l.id === id);
  return i >= 0 ? n.uuids[i] : null;
}

function lineBounds(text: string, at: number): { lineFrom: number; lineNext: number } {
  const lineFrom = text.lastIndexOf('\n', at - 1) + 1;
  const e = text.indexOf('\n', at);
  return { lineFrom, lineNext: e < 0 ? text.length : e + 1 };
}

/** Every task as it will be once this sync's imports are in. */
function currentTasks(plan: WritePlan, dataDir: string, completed: boolean): Map<string, TwTask> {
  const out = new Map<string, TwTask>();
  for (const t of allStored(dataDir, completed)) out.set(t.uuid, t);
  for (const t of plan.imports) out.set(t.uuid, t);
  return out;
}

/** A matching task as a mirror shows it, linked to its home line where a note holds it. */
function planTask(
  t: TwTask,
  id: string,
  f: ReturnType<typeof fromTw>,
  scope: Scope,
  plan: WritePlan,
  o: { now: Date; lineOf: (uuid: string) => TaskObject | undefined },
): PlanTask {
  const now = o.now;
  const st = plan.tasks.get(t.uuid) ?? scope.loaded.known.get(t.uuid) ?? unloadedHome(scope, t.uuid);
  // The line this sync merged (a new line has no id in the graph yet), else the one with its id.
  const obj = o.lineOf(t.uuid) ?? (st ? scope.loaded.objectsOf(st.file)?.tasks.find((x) => x.id === st.id) : undefined);
  const wait = parseTwDate(typeof t.wait === 'string' ? t.wait : undefined);
  return {
    uuid: t.uuid,
    id,
    description: f.description,
    status: f.status,
    waiting: t.status === 'waiting' || (wait !== null && wait > now),
    priority: f.priority,
    due: parseTwDate(t.due),
    scheduled: parseTwDate(t.scheduled),
    end: parseTwDate(t.end),
    depends: f.depends,
    project: f.project,
    home: st
      ? {
          file: st.file,
          line: obj?.line ?? 1,
          headingPath: obj?.headingPath ?? [],
          headingLevel: obj && obj.headingPath.length > 0 ? obj.headingPath.length : null,
        }
      : null,
  };
}

/** The home of a task whose note this sync did not load: the catalog's note, the line whose id names it. */
function unloadedHome(scope: Scope, uuid: string): { file: string; id: string } | undefined {
  const file = scope.homeOf(uuid);
  if (!file) return undefined;
  const hex = uuid.replace(/-/g, '');
  const line = scope.loaded.objectsOf(file)?.tasks.find((x) => x.id !== null && hex.startsWith(x.id));
  return line?.id ? { file, id: line.id } : undefined;
}
