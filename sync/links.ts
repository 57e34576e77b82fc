/**
 * Links read again after the pull: reconcile took each task's `depends` from the notes as they
 * were read, but a line this sync adds (a task pulled from Taskwarrior) or moves (its project
 * changed there) under a heading that a task links to changes what that link expresses. The
 * next sync finds nothing changed (the notes this sync writes are its baseline) and would never
 * send it (harness round3-f6), so the linking task's `depends` is derived here from the notes as
 * this sync leaves them, and goes to Taskwarrior with this sync's import. A pulled description
 * can bring a link to the line or take one away (harness seed 700318: a played-back log entry
 * gave the task back "apple n1 {* Two}"), which changes what the line expresses as well. Pure.
 */
import { WorkspaceGraph, type TaskObject } from '../graph/index.js';
import type { LogEntry } from './log.js';
import { sameValue, toTw, type PriorityMap } from './mapping.js';
import { dependsForTw, type Direction } from './merge.js';
import type { WritePlan } from './plan.js';
import type { Reconciled } from './reconcile.js';
import type { NoteChange, SyncReport } from './report.js';
import type { Scope } from './scope.js';
import type { Identity } from './identity.js';

export interface LinkOptions {
  direction: Direction;
  priorities: PriorityMap;
  now: Date;
}

export function linkDepends(scope: Scope, id: Identity, rec: Reconciled, plan: WritePlan, changes: NoteChange[], o: LinkOptions, report: SyncReport): void {
  if (o.direction === 'push') return;
  const { loaded } = scope;
  const relinked = relinkedLines(scope, id, changes);
  // A new description also renames the line, and a `{# name}` link elsewhere names lines by it.
  const edited = changes.some((c) => c.edits.some((e) => e.op === 'add' || e.op === 'move' || (e.op === 'set' && e.description !== undefined)));
  if (!edited) return;
  // A block moved out of a note leaves its parent there with one subtask less (graph/patch.ts
  // lifts it to a first-level item where it lands): every task of those notes is read again.
  const movedFrom = new Set(changes.filter((c) => c.edits.some((e) => e.op === 'move')).map((c) => c.file));
  // Most workspaces link nothing and move nothing: then nothing is parsed again.
  if (relinked.size === 0 && movedFrom.size === 0 && ![...loaded.notes.keys()].some((f) => loaded.tasksOf(f).some((t) => t.links.length > 0))) return;
  const after = afterGraph(scope, changes);
  const uuidOf = uuidsAfter(plan, id);
  for (const f of after.fileNames()) {
    if (!scope.inScope(f)) continue;
    for (const t of after.objects(f)?.tasks ?? []) {
      // A line the pull took its link from has none now, and its merge still holds the link's depends.
      if (t.links.length === 0 && !movedFrom.has(f) && !relinked.has(uuidOf(t) ?? '')) continue;
      const uuid = uuidOf(t);
      const m = uuid ? rec.merges.get(uuid) : undefined;
      if (!m) continue;
      const deps = after
        .dependencies(t.key)
        .map((k) => {
          const d = after.tasks.get(k);
          return d ? uuidOf(d) : undefined;
        })
        .filter((u): u is string => !!u && u !== m.uuid)
        .sort();
      if (sameValue(deps, m.merged.depends)) continue;
      // A pull leaves Taskwarrior alone: the note stays unseen, and the next push sends it.
      if (o.direction === 'pull') {
        plan.deferredFiles.add(f);
        continue;
      }
      relink(m.uuid, deps, rec, plan, o, report, f);
    }
  }
}

/**
 * Tasks whose line this sync gives a new description that may link (norg links open with `{`)
 * or that replaces one which linked: what the line links to may differ after the write.
 */
function relinkedLines(scope: Scope, id: Identity, changes: NoteChange[]): Set<string> {
  const out = new Set<string>();
  for (const c of changes)
    for (const e of c.edits) {
      if (e.op !== 'set' || e.description === undefined) continue;
      const was = scope.loaded.graph.tasks.get(e.key);
      const uuid = id.keyToUuid.get(e.key);
      if (uuid && (e.description.includes('{') || (was?.links.length ?? 0) > 0)) out.add(uuid);
    }
  return out;
}

/** The loaded notes with this sync's changes applied, parsed as the sync parses them. */
function afterGraph(scope: Scope, changes: NoteChange[]): WorkspaceGraph {
  const g = new WorkspaceGraph({ propagate: false, derive: false, keyByFile: true });
  const texts = new Map(changes.map((c) => [c.file, c.after]));
  for (const [f, n] of scope.loaded.notes) g.setFile(f, texts.get(f) ?? n.text);
  for (const [f, t] of texts) if (!scope.loaded.notes.has(f)) g.setFile(f, t);
  return g;
}

/**
 * A line's task after this sync: the state it records names each line by note and id (a
 * pulled line has no key in identity yet); lines it records nothing for keep identity's.
 */
function uuidsAfter(plan: WritePlan, id: Identity): (t: TaskObject) => string | undefined {
  const byLine = new Map<string, string>();
  for (const st of plan.tasks.values()) byLine.set(`${st.file}\n${st.id}`, st.uuid);
  return (t) => (t.id ? byLine.get(`${t.file}\n${t.id}`) : undefined) ?? id.keyToUuid.get(t.key);
}

/** The merge of this task takes the note's new `depends`, and the import (made now if it had none) sends it. */
function relink(uuid: string, deps: string[], rec: Reconciled, plan: WritePlan, o: LinkOptions, report: SyncReport, file: string): void {
  const m = rec.merges.get(uuid)!;
  const twDeps = m.twf?.depends ?? [];
  const forTw = dependsForTw(deps, m.base?.depends ?? [], twDeps);
  m.merged.depends = deps;
  m.newBase.depends = deps;
  m.forTw.depends = forTw;
  const st = plan.tasks.get(uuid);
  if (st) plan.tasks.set(uuid, { ...st, base: m.newBase });
  const at = plan.imports.findIndex((t) => t.uuid === uuid);
  if (at < 0 && sameValue(forTw, twDeps)) return;
  const next = toTw(m.forTw, m.tw, uuid, o.now, o.priorities);
  if (at >= 0) {
    // Its fields other than depends are the import's already: only depends is replaced.
    const was = plan.imports[at];
    plan.imports[at] = { ...was, depends: next.depends };
    if (!next.depends) delete plan.imports[at].depends;
    plan.cache.set(uuid, plan.imports[at]);
  } else {
    plan.imports.push(next);
    if (m.tw) plan.basisOf.set(uuid, m.tw);
    report.taskwarrior.updated.push(uuid);
    plan.cache.set(uuid, next);
  }
  const lost = twDeps.filter((u) => !forTw.includes(u));
  if (m.twf && lost.length > 0) {
    const entry: LogEntry = {
      time: o.now.toISOString(),
      uuid,
      id: m.id,
      side: 'taskwarrior',
      action: 'overwrite',
      fields: { depends: { lost: twDeps, kept: forTw } },
      version: m.twf,
      file,
      note: 'a link or subtask no longer reaches a line this sync moved, or the line no longer links',
    };
    plan.log.push(entry);
  }
}
