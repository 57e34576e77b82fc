/**
 * Reconcile: for every task line in scope, its three versions (note, base, Taskwarrior) and
 * their merge (merge.ts), then the statuses parents derive from their children.
 *
 * Contract: only tasks whose line is in a note in scope are merged (plus lines that moved in
 * from a note out of scope). A task unchanged on both sides since the last sync is *kept*: it
 * needs no merge and carries its state over. Everything else in a loaded note is left as the
 * state has it. The result says, per task, what the note and Taskwarrior should hold and what
 * base to record; nothing is written here.
 */
import type { TaskObject } from '../graph/index.js';
import { propagateStatuses } from '../graph/index.js';
import type { TaskStatus } from '../parser/index.js';
import type { ViewFilter } from '../plan/index.js';
import { DATE_FORMS, matchesText, resolveText } from './dates.js';
import type { Identity } from './identity.js';
import type { LogEntry } from './log.js';
import { fromTw, recurs, type Fields, type PriorityMap } from './mapping.js';
import { mergeTask, type Direction, type FieldConflict, type HeldValue } from './merge.js';
import { overlay } from './mirrors.js';
import { noteView } from './noteview.js';
import type { Scope } from './scope.js';
import type { TaskState } from './store.js';
import type { TwTask } from './taskwarrior.js';
import { parseTwTime, type TwRead } from './twread.js';

export interface TaskMerge {
  uuid: string;
  id: string;
  obj: TaskObject;
  note: Fields;
  base: Fields | null;
  tw: TwTask | null;
  twf: Fields | null;
  merged: Fields;
  forTw: Fields;
  newBase: Fields;
  conflicts: FieldConflict[];
  /** Note values Taskwarrior cannot hold (merge.ts): logged as lost, with a warning. */
  held: HeldValue[];
  isNew: boolean;
  /** A copy of another note's line: its id is replaced by the new task's. */
  isCopy: boolean;
  /** The note side the merge saw: `note` with an edited mirror's fields (mirrors.ts `overlay`). */
  side: Fields;
}

export interface Reconciled {
  merges: Map<string, TaskMerge>;
  /** Unchanged on both sides: the state carries over. */
  kept: Map<string, TaskState>;
  /** Lines whose note change this pull left for the next push (their note stays unseen). */
  deferredNote: Set<string>;
  /** Tasks whose Taskwarrior change this push left for the next pull. */
  deferredTw: Set<string>;
  /** Statuses a derivation replaced (the user's own value, logged). */
  derivedLog: LogEntry[];
}

export interface ReconcileOptions {
  direction: Direction;
  priorities: PriorityMap;
  now: Date;
  propagate: boolean;
}

export function reconcile(scope: Scope, id: Identity, tw: TwRead, o: ReconcileOptions, warnings: string[]): Reconciled {
  const out: Reconciled = { merges: new Map(), kept: new Map(), deferredNote: new Set(), deferredTw: new Set(), derivedLog: [] };
  const unchanged = findUnchanged(scope, id, tw);
  for (const t of tasksInScope(scope, id)) {
    const uuid = id.keyToUuid.get(t.key);
    if (!uuid) continue;
    const st = id.copies.has(t.key) ? undefined : scope.loaded.known.get(uuid);
    if (unchanged.has(t.key)) {
      out.kept.set(uuid, st!);
      continue;
    }
    const m = mergeOne(t, uuid, st, scope, id, tw, o, warnings, out.derivedLog);
    if (!m) continue;
    out.merges.set(uuid, m.merge);
    if (m.deferredNote) out.deferredNote.add(t.key);
    if (m.deferredTw) out.deferredTw.add(uuid);
  }
  if (o.propagate) deriveStatuses(scope, id, out, o);
  return out;
}

/**
 * The lines of the notes in scope, and lines in other loaded notes whose task the state puts in
 * a note in scope (the line moved out of it): a one-note sync follows its tasks where they went.
 */
function tasksInScope(scope: Scope, id: Identity): TaskObject[] {
  const out: TaskObject[] = [];
  for (const f of scope.loaded.notes.keys()) {
    if (scope.inScope(f)) {
      out.push(...scope.loaded.tasksOf(f));
      continue;
    }
    for (const t of scope.loaded.tasksOf(f)) {
      const u = id.keyToUuid.get(t.key);
      const st = u && !id.copies.has(t.key) ? scope.loaded.known.get(u) : undefined;
      if (st && st.file !== f && scope.inScope(st.file)) out.push(t);
    }
  }
  return out;
}

/**
 * Tasks unchanged on both sides since the last sync need no merge: same note object (by
 * content hash), in the same note, Taskwarrior not changed. Their ancestors still merge (a
 * child's change may derive their status), and so do tasks with links (what they point at can
 * change elsewhere), and the subtasks of a task Taskwarrior moved (they move with it).
 */
function findUnchanged(scope: Scope, id: Identity, tw: TwRead): Set<string> {
  const g = scope.loaded.graph;
  const dirty = new Set<string>();
  const exported = tw.source === 'export';
  const dirtyUp = (key: string) => {
    for (let k: string | null = key; k && !dirty.has(k); k = g.tasks.get(k)?.parent ?? null) dirty.add(k);
  };
  const dirtyDown = (key: string) => {
    for (const c of g.childrenOf(key)) {
      dirty.add(c);
      dirtyDown(c);
    }
  };
  const lines = tasksInScope(scope, id);
  for (const t of lines) {
    const uuid = id.keyToUuid.get(t.key);
    const st = uuid && !id.copies.has(t.key) ? scope.loaded.known.get(uuid) : undefined;
    const twChanged = !!uuid && tw.changed.has(uuid);
    // A line's hash covers the line and its parent, not its children: a subtask that left
    // (un-nested, removed) shows only in what the task's dependencies are now.
    const same =
      !!st &&
      st.noteHash === t.hash &&
      st.file === t.file &&
      !twChanged &&
      !scope.mirrorEdits.has(uuid!) &&
      (exported ? tw.byUuid.has(uuid!) : scope.loaded.knownCache.has(uuid!)) &&
      t.links.length === 0 &&
      sameDeps(g.childrenOf(t.key), st.base.depends, id);
    if (same) continue;
    dirtyUp(t.key);
    if (twChanged && st && (tw.byUuid.get(uuid!)?.project ?? null) !== st.base.project) dirtyDown(t.key);
  }
  const out = new Set<string>();
  for (const t of lines) if (!dirty.has(t.key)) out.add(t.key);
  return out;
}

function sameDeps(children: string[], base: string[], id: Identity): boolean {
  if (children.length !== base.length) return false;
  const set = new Set(base);
  return children.every((k) => set.has(id.keyToUuid.get(k) ?? ''));
}

function mergeOne(
  t: TaskObject,
  uuid: string,
  st: TaskState | undefined,
  scope: Scope,
  id: Identity,
  twr: TwRead,
  o: ReconcileOptions,
  warnings: string[],
  log: LogEntry[],
): { merge: TaskMerge; deferredNote: boolean; deferredTw: boolean } | null {
  // After an export, a task it does not show is gone; otherwise the last version seen stands.
  const tw = twr.byUuid.get(uuid) ?? (twr.source === 'export' ? undefined : scope.loaded.knownCache.get(uuid)) ?? null;
  const isNew = !tw && !st;
  if (!isNew && !tw) {
    warnings.push(`${t.file}:${t.line}: task ${t.id} is gone from Taskwarrior (purged?); the line is kept and the task is not re-created`);
    return null;
  }
  const twf = tw ? fromTw(tw, o.priorities) : null;
  const note = noteFields(t, st, twf, scope, id, o.now, warnings);
  const base = st?.base ?? null;
  // An edited mirror of the task speaks for the note side where its home line did not.
  const mirror = o.direction === 'pull' ? undefined : scope.mirrorEdits.get(uuid);
  const side = overlay(
    note,
    base,
    mirror,
    {
      time: o.now.toISOString(),
      uuid,
      id: t.id ?? '',
      side: 'note',
      action: 'conflict',
      fields: {},
      version: note,
      note: 'a mirror edit the home line overrode',
    },
    log,
  );
  const noteTime = Math.max(scope.loaded.notes.get(t.file)?.mtime ?? 0, mirror ? (scope.loaded.notes.get(mirror.file)?.mtime ?? 0) : 0);
  const r = mergeTask(
    { note: side, base, tw: twf, noteTime, twTime: tw?.modified ? (parseTwTime(tw.modified) ?? 0) : 0, twNeedsDue: recurs(tw) },
    { direction: o.direction, hasHome: (p) => !!scope.homes.of(p), allHeadings: !scope.partial, view: noteView },
  );
  const isCopy = id.copies.has(t.key);
  const shortId = !isNew && t.id && !isCopy ? t.id : id.uuids.get().shortId(uuid);
  const merge: TaskMerge = {
    uuid,
    id: shortId,
    obj: t,
    note,
    base,
    tw,
    twf,
    merged: r.merged,
    forTw: r.forTw,
    newBase: r.newBase,
    conflicts: r.conflicts,
    held: r.held,
    isNew,
    isCopy,
    side,
  };
  // A pull gives a new line its id but leaves creating the task to the next push: the note
  // stays unseen so that push (or a full sync) looks at it again.
  return { merge, deferredNote: r.deferredNote || (isNew && o.direction === 'pull'), deferredTw: r.deferredTw };
}

/** What the note line says, in the fields' domain (dates resolved against the last sync's text). */
function noteFields(t: TaskObject, st: TaskState | undefined, twf: Fields | null, scope: Scope, id: Identity, now: Date, warnings: string[]): Fields {
  const date = (
    text: string | null,
    baseText: string | null | undefined,
    baseIso: string | null | undefined,
    twIso: string | null | undefined,
  ): string | null => {
    if (text === null) return null;
    if (baseIso && (text === baseText || matchesText(text, new Date(baseIso)))) return baseIso;
    if (!st && twIso && matchesText(text, new Date(twIso))) return twIso;
    const r = resolveText(text, now);
    if (!r) {
      warnings.push(`${t.file}:${t.line}: cannot read the date "${text}"; Taskwarrior keeps its value (dates read: ${DATE_FORMS})`);
      return baseIso ?? twIso ?? null;
    }
    return r.toISOString();
  };
  const view = scope.viewAt(t.file, t.spans.item.from);
  const deps = scope.loaded.graph
    .dependencies(t.key)
    .map((k) => id.keyToUuid.get(k))
    .filter((u): u is string => !!u)
    .sort();
  return {
    description: t.description,
    status: t.status,
    priority: t.priority,
    due: date(t.due, st?.dueText, st?.base.due, twf?.due),
    scheduled: date(t.start, st?.scheduledText, st?.base.scheduled, twf?.scheduled),
    // A line inside a viewport takes the project and tags its filter states (as taskwiki does).
    tags: [...new Set([...t.tags, ...(view?.tags ?? [])])].sort(),
    project: viewProject(view) ?? (t.project || null),
    depends: deps,
    recurrence: t.recurrence,
  };
}

/** The project a viewport's filter gives its lines: its one named project (`project:` alone, or two, give none). */
function viewProject(view: ViewFilter | null | undefined): string | null {
  const named = new Set((view?.projects ?? []).filter((p): p is string => p !== null));
  return named.size === 1 && !view?.projects.includes(null) ? [...named][0]! : null;
}

/**
 * Parents take the status their children imply (graph/status.ts, from the leaves up to a
 * fixpoint). Where that replaces a status the user wrote on the line, the replaced value is
 * logged. A pull leaves Taskwarrior alone: the derived status goes there with the next push.
 */
function deriveStatuses(scope: Scope, id: Identity, r: Reconciled, o: ReconcileOptions): void {
  const g = scope.loaded.graph;
  const merged = (k: string) => r.merges.get(id.keyToUuid.get(k) ?? '');
  const changed: string[] = [];
  for (const m of r.merges.values()) if (!m.base || m.base.status !== m.merged.status || m.note.status !== m.merged.status || m.isNew) changed.push(m.obj.key);
  const statusOf = (k: string): TaskStatus | undefined => merged(k)?.merged.status ?? g.tasks.get(k)?.status;
  for (const [k, status] of propagateStatuses(g, changed, statusOf)) {
    const pm = merged(k);
    if (!pm) continue;
    const was = pm.merged.status;
    pm.merged.status = status;
    if (o.direction !== 'pull') pm.forTw.status = pm.newBase.status = status;
    if (was === pm.note.status) {
      r.derivedLog.push({
        time: o.now.toISOString(),
        uuid: pm.uuid,
        id: pm.id,
        side: 'note',
        action: 'overwrite',
        fields: { status: { lost: was, kept: status } },
        version: pm.note,
        file: pm.obj.file,
        note: 'status derived from its subtasks',
      });
    }
  }
}
