/**
 * The write plan: from the merges, what each side gets. Pure apart from reading nothing: the
 * imports for Taskwarrior (whole tasks, with the version each was computed from), the edits
 * per note, the state to record, and the activity log of every value replaced.
 *
 * Contract:
 * - A task whose merged values differ from Taskwarrior's is imported (never on a pull).
 * - A line whose merged values differ from what it says gets a `set` edit; a task whose project
 *   changed to one another heading holds moves there with its whole block (subtasks carry the
 *   new project in the same sync); a Taskwarrior task that belongs in a note is added.
 * - A line removed from a note in scope cancels its task (a pull keeps the state and leaves the
 *   deletion to the next push); a line that moved to a note out of scope is not removed.
 * - Every value replaced on either side is in `log`, with the whole version it belonged to.
 */
import type { TaskEdit } from '../graph/index.js';
import type { TaskStatus } from '../parser/index.js';
import { formatDate, isRelative, matchesText } from './dates.js';
import type { LogEntry } from './log.js';
import { FIELD_NAMES, fromTw, sameValue, toTw, type Fields, type PriorityMap } from './mapping.js';
import type { Direction } from './merge.js';
import type { Reconciled, TaskMerge } from './reconcile.js';
import type { Conflict, SyncReport } from './report.js';
import type { Scope } from './scope.js';
import type { TaskState } from './store.js';
import type { TwTask } from './taskwarrior.js';
import type { TwRead } from './twread.js';
import type { Identity } from './identity.js';
import type { MirrorBases } from './mirrors.js';

export interface Move {
  uuid: string;
  id: string;
  from: string;
  to: string;
  path: string[];
}

export interface WritePlan {
  imports: TwTask[];
  /** The Taskwarrior version each import was computed from (to check nobody wrote in between). */
  basisOf: Map<string, TwTask>;
  /** Field edits, additions and removals per note. */
  edits: Map<string, TaskEdit[]>;
  /** Blocks to move once the field edits are applied. */
  moves: Move[];
  tasks: Map<string, TaskState>;
  cache: Map<string, TwTask>;
  log: LogEntry[];
  /** Tasks this sync completes or deletes (the bulk guard counts them). */
  bulk: number;
  /** Notes whose changes wait for the next sync the other way (left unseen). */
  deferredFiles: Set<string>;
  /** The mirror baselines of the notes whose mirrors this sync read (render.ts). */
  mirrorBases: Map<string, MirrorBases>;
  /** Notes in scope holding a viewport after this sync (render.ts). */
  viewNotes: Set<string>;
  /** Tasks deleted by removing their line this sync, with that note (Index.removedLines). */
  removedLines: Map<string, string>;
}

export interface PlanOptions {
  direction: Direction;
  priorities: PriorityMap;
  now: Date;
}

export function planWrites(scope: Scope, id: Identity, rec: Reconciled, tw: TwRead, o: PlanOptions, report: SyncReport): WritePlan {
  const p: WritePlan = {
    imports: [],
    basisOf: new Map(),
    edits: new Map(),
    moves: [],
    tasks: new Map(),
    cache: new Map(),
    log: [...rec.derivedLog],
    bulk: 0,
    deferredFiles: new Set(),
    mirrorBases: new Map(),
    viewNotes: new Set(),
    removedLines: new Map(),
  };
  keepState(scope, rec, p);
  const carried = carryMoves(scope, rec, o);
  for (const m of rec.merges.values()) {
    for (const c of m.conflicts) report.conflicts.push({ uuid: m.uuid, id: m.id, ...c } as Conflict);
    planTask(m, scope, carried, rec, o, report, p);
  }
  planMirrorOnly(scope, id, rec, o, report, p);
  planDeletions(scope, id, rec, tw, o, report, p);
  planAdditions(scope, rec, tw, id, o, p);
  for (const k of rec.deferredNote) {
    const f = scope.loaded.graph.tasks.get(k)?.file;
    if (f) p.deferredFiles.add(f);
  }
  return p;
}

/** Tasks kept unchanged, and tasks of loaded notes that are out of scope, keep their state. */
function keepState(scope: Scope, rec: Reconciled, p: WritePlan): void {
  const { known, knownCache } = scope.loaded;
  for (const [uuid, st] of rec.kept) {
    p.tasks.set(uuid, st);
    const c = knownCache.get(uuid);
    if (c) p.cache.set(uuid, c);
  }
  for (const st of known.values()) {
    if (scope.inScope(st.file) || rec.merges.has(st.uuid)) continue;
    p.tasks.set(st.uuid, st);
    const c = knownCache.get(st.uuid);
    if (c) p.cache.set(st.uuid, c);
  }
}

/**
 * Tasks whose block moves under another heading, and the project their subtasks take with
 * them: a subtask's project is its heading's, so it changes in the same sync.
 */
function carryMoves(scope: Scope, rec: Reconciled, o: PlanOptions): Map<string, string> {
  // Subtask key → the note its block goes to with its parent's (its state must say so: a
  // state left in the old note made the next sync take the line for removed there).
  const carried = new Map<string, string>();
  if (o.direction === 'push') return carried;
  const g = scope.loaded.graph;
  const byKey = new Map([...rec.merges.values()].map((m) => [m.obj.key, m]));
  const visit = (key: string, project: string | null, file: string) => {
    for (const c of g.childrenOf(key)) {
      carried.set(c, file);
      const cm = byKey.get(c);
      if (cm) cm.merged.project = cm.forTw.project = cm.newBase.project = project;
      visit(c, project, file);
    }
  };
  for (const m of rec.merges.values()) {
    if (carried.has(m.obj.key) || !moves(m, scope)) continue;
    visit(m.obj.key, m.merged.project, scope.homes.of(m.merged.project)!.file);
  }
  return carried;
}

function moves(m: TaskMerge, scope: Scope): boolean {
  return m.merged.project !== m.note.project && !!m.merged.project && !!scope.homes.of(m.merged.project);
}

function addEdit(p: WritePlan, file: string, e: TaskEdit): void {
  const l = p.edits.get(file) ?? [];
  l.push(e);
  p.edits.set(file, l);
}

function diffFields(from: Fields, to: Fields): LogEntry['fields'] {
  const out: LogEntry['fields'] = {};
  for (const f of FIELD_NAMES) if (!sameValue(from[f], to[f])) out[f] = { lost: from[f], kept: to[f] };
  return out;
}

/** A date as the line should write it: its own text when that still says the date. */
function dateText(iso: string | null, text: string | null, now: Date): string | null {
  if (!iso) return null;
  return text && matchesText(text, new Date(iso)) ? text : formatDate(new Date(iso), text, now);
}

function planTask(m: TaskMerge, scope: Scope, carried: Map<string, string>, rec: Reconciled, o: PlanOptions, report: SyncReport, p: WritePlan): void {
  const t = m.obj;
  const time = o.now.toISOString();
  const winner = m.conflicts.length > 0 ? m.conflicts[0].winner : null;
  const mergedTw = toTw(m.forTw, m.tw, m.uuid, o.now, o.priorities);
  const twDiffers = !m.twf || FIELD_NAMES.some((f) => !sameValue(m.forTw[f], m.twf![f])) || (m.forTw.status === 'pending' && !m.tw?.start);
  const pushes = twDiffers && o.direction !== 'pull';
  if (pushes) {
    p.imports.push(mergedTw);
    if (m.tw) p.basisOf.set(m.uuid, m.tw);
    (m.isNew ? report.taskwarrior.created : report.taskwarrior.updated).push(m.uuid);
    if (m.twf) {
      const lost = diffFields(m.twf, m.forTw);
      if (Object.keys(lost).length > 0)
        p.log.push({
          time,
          uuid: m.uuid,
          id: m.id,
          side: 'taskwarrior',
          action: winner === 'note' ? 'conflict' : 'overwrite',
          fields: lost,
          version: m.twf,
          file: t.file,
        });
    }
    if ((m.forTw.status === 'done' || m.forTw.status === 'cancelled') && m.twf?.status !== m.forTw.status) p.bulk++;
  }
  // The note side: fields that differ from what the line says.
  const e: Extract<TaskEdit, { op: 'set' }> = { op: 'set', key: t.key };
  let changed = false;
  if (m.isNew || m.isCopy) (e.id = m.id), (changed = true);
  const n = m.note;
  if (m.merged.status !== n.status) (e.status = m.merged.status), (changed = true);
  if (m.merged.recurrence !== n.recurrence) (e.recurrence = m.merged.recurrence), (changed = true);
  if (m.merged.description !== n.description) (e.description = m.merged.description), (changed = true);
  if (m.merged.priority !== n.priority) (e.priority = m.merged.priority), (changed = true);
  // A synonym (`tomorrow`) is replaced by the date it named: tomorrow it would name another.
  const dueText = m.merged.due !== n.due || (t.due && isRelative(t.due)) ? dateText(m.merged.due, t.due && isRelative(t.due) ? null : t.due, o.now) : t.due;
  if (dueText !== t.due) (e.due = dueText), (changed = true);
  const schedText =
    m.merged.scheduled !== n.scheduled || (t.start && isRelative(t.start))
      ? dateText(m.merged.scheduled, t.start && isRelative(t.start) ? null : t.start, o.now)
      : t.start;
  if (schedText !== t.start) (e.start = schedText), (changed = true);
  if (!sameValue(m.merged.tags, n.tags)) (e.tags = m.merged.tags), (changed = true);
  if (changed) addEdit(p, t.file, e);
  let file = carried.get(t.key) ?? t.file;
  if (!carried.has(t.key) && moves(m, scope)) {
    const to = scope.homes.of(m.merged.project)!;
    p.moves.push({ uuid: m.uuid, id: m.id, from: t.file, to: to.file, path: to.path });
    file = to.file;
  }
  // A note change this pull left for the next push goes with the line: the note the line lands
  // in must be read again too, or its fingerprint, taken after the move, says the line is in
  // step and the change never leaves (seed 800355).
  if (file !== t.file && rec.deferredNote.has(t.key)) p.deferredFiles.add(file);
  const projectLost = m.merged.project !== n.project;
  // An edited mirror spoke for the note: what of it the merge did not keep is logged with it.
  if (m.side !== n && !m.isNew) {
    const lost = diffFields(m.side, { ...m.merged, depends: m.side.depends });
    if (Object.keys(lost).length > 0)
      p.log.push({
        time,
        uuid: m.uuid,
        id: m.id,
        side: 'note',
        action: winner === 'taskwarrior' ? 'conflict' : 'overwrite',
        fields: lost,
        version: m.side,
        file: t.file,
        note: 'a mirror edit',
      });
  }
  for (const h of m.held)
    report.warnings.push(`${t.file}:${t.line}: task ${m.id}: ${h.why}; the line keeps Taskwarrior's (the removed value is in the history)`);
  if ((changed || projectLost) && !m.isNew) {
    const lost = diffFields(n, { ...m.merged, depends: n.depends });
    const why = [...(projectLost ? [`moved to ${file}`] : []), ...m.held.map((h) => h.why)].join('; ');
    if (Object.keys(lost).length > 0)
      p.log.push({
        time,
        uuid: m.uuid,
        id: m.id,
        side: 'note',
        action: winner === 'taskwarrior' ? 'conflict' : 'overwrite',
        fields: lost,
        version: n,
        file: t.file,
        ...(why ? { note: why } : {}),
      });
  }
  // A new line on a pull has its id written; its task is created by the next push.
  if (m.isNew && o.direction === 'pull') return;
  const prev = scope.loaded.known.get(m.uuid);
  const baseDue = sameValue(m.newBase.due, m.merged.due) ? dueText : (prev?.dueText ?? t.due);
  const baseSched = sameValue(m.newBase.scheduled, m.merged.scheduled) ? schedText : (prev?.scheduledText ?? t.start);
  // The line's hash only when the line was left as it is (else the next sync reads it anew).
  const same = !changed && file === t.file && !carried.has(t.key) && !rec.deferredNote.has(t.key);
  p.tasks.set(m.uuid, { uuid: m.uuid, id: m.id, file, base: m.newBase, dueText: baseDue, scheduledText: baseSched, ...(same ? { noteHash: t.hash } : {}) });
  p.cache.set(m.uuid, pushes ? mergedTw : (m.tw ?? mergedTw));
}

/**
 * Mirrors of tasks no note holds: the mirror is the only place the notes show them, so its edit
 * goes to Taskwarrior as it is (a field Taskwarrior changed too keeps Taskwarrior's value, and
 * the mirror's is logged; scope.ts sorted them out).
 */
function planMirrorOnly(scope: Scope, id: Identity, rec: Reconciled, o: PlanOptions, report: SyncReport, p: WritePlan): void {
  if (o.direction === 'pull') return;
  const time = o.now.toISOString();
  for (const [u, e] of scope.mirrorEdits) {
    const t = scope.mirrorTasks.get(u);
    if (!t || rec.merges.has(u) || rec.kept.has(u) || p.tasks.has(u)) continue;
    const twf = fromTw(t, o.priorities);
    const shortId = e.uuid.replace(/-/g, '').slice(0, 8);
    if (e.twWon && Object.keys(e.twWon).length > 0) {
      const fields: LogEntry['fields'] = {};
      for (const [f, v] of Object.entries(e.twWon)) (fields as Record<string, unknown>)[f] = { lost: v, kept: (twf as unknown as Record<string, unknown>)[f] };
      p.log.push({
        time,
        uuid: u,
        id: shortId,
        side: 'note',
        action: 'conflict',
        fields,
        version: { ...twf, ...e.twWon },
        file: e.file,
        note: 'a mirror edit of a field Taskwarrior changed too',
      });
    }
    const merged: Fields = { ...twf, ...e.fields };
    const lost = diffFields(twf, merged);
    if (Object.keys(lost).length === 0) continue;
    const next = toTw(merged, t, u, o.now, o.priorities);
    p.imports.push(next);
    p.basisOf.set(u, t);
    report.taskwarrior.updated.push(u);
    p.log.push({ time, uuid: u, id: shortId, side: 'taskwarrior', action: 'overwrite', fields: lost, version: twf, file: e.file, note: 'edited in a mirror' });
    if ((merged.status === 'done' || merged.status === 'cancelled') && twf.status !== merged.status) p.bulk++;
    // No line holds it: where a note's heading holds its project, it gets one now, showing the
    // edit (a task brought back from its mirror, or added in Taskwarrior since the last sync).
    if (!isOpen(merged.status) || !addLine(scope, next, merged, id, o, p)) continue;
    p.cache.set(u, next);
    // Open because Taskwarrior reopened it, not because the mirror did (the mirror set no status,
    // or lost it to Taskwarrior's): the reopen overwrote the note's deletion, logged as in
    // planAdditions (seed 1002938). A status the mirror set is the note's own later word.
    const mirrorStatus = 'status' in e.fields || (e.twWon !== undefined && 'status' in e.twWon);
    if (isOpen(twf.status) && !mirrorStatus) logReopened(scope, u, merged, o, p);
  }
}

/**
 * A task whose line the note removed (Index.removedLines), reopened in Taskwarrior since and
 * given a line again this sync, showing `f`: the reopen wins (it came last), and the deletion it
 * overwrote is logged like any value a pull overwrites on a line.
 */
function logReopened(scope: Scope, uuid: string, f: Fields, o: PlanOptions, p: WritePlan): void {
  const from = scope.removedFrom(uuid);
  if (!from) return;
  p.log.push({
    time: o.now.toISOString(),
    uuid,
    id: p.tasks.get(uuid)!.id,
    side: 'note',
    action: 'overwrite',
    fields: { status: { lost: 'cancelled', kept: f.status } },
    version: { ...f, status: 'cancelled' },
    file: from,
    note: 'reopened in Taskwarrior after its line was removed from the note',
  });
}

const isOpen = (s: TaskStatus) => s !== 'done' && s !== 'cancelled';

/**
 * A line for a Taskwarrior task under the heading of its project (or the inbox), showing `f`,
 * only into a note this sync loaded: one it did not (a mirror's task's home), or could not (not
 * valid UTF-8), has no text to add to; rendered from nothing, it would be overwritten (round3-f3).
 */
function addLine(scope: Scope, t: TwTask, f: Fields, id: Identity, o: PlanOptions, p: WritePlan): boolean {
  const at = scope.homes.of(t.project ?? null) ?? scope.inbox;
  if (!at || !scope.inScope(at.file) || !scope.loaded.notes.has(at.file)) return false;
  const due = f.due ? formatDate(new Date(f.due), null, o.now) : null;
  const sched = f.scheduled ? formatDate(new Date(f.scheduled), null, o.now) : null;
  const short = id.uuids.get().shortId(t.uuid);
  addEdit(p, at.file, {
    op: 'add',
    headingPath: at.path,
    task: { status: f.status, description: f.description, priority: f.priority, due, start: sched, recurrence: f.recurrence, tags: f.tags, id: short },
  });
  // The base is what the line will say: a project no heading holds (the inbox's tasks) stays
  // Taskwarrior's, and the line's own project is what the note expresses.
  const lineProject = scope.homes.of(t.project ?? null) ? f.project : scope.inboxProject;
  p.tasks.set(t.uuid, { uuid: t.uuid, id: short, file: at.file, base: { ...f, project: lineProject, depends: [] }, dueText: due, scheduledText: sched });
  return true;
}

/** The 1-based line of `text` holding `%#id%`, or null. */
function lineHoldingId(text: string, id: string): number | null {
  const at = text.indexOf(`%#${id}%`);
  if (at < 0) return null;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Tasks a note in scope no longer has: the line was removed (or the note was). */
function planDeletions(scope: Scope, id: Identity, rec: Reconciled, tw: TwRead, o: PlanOptions, report: SyncReport, p: WritePlan): void {
  const noted = new Set(id.keyToUuid.values());
  for (const st of scope.loaded.known.values()) {
    if (rec.merges.has(st.uuid) || rec.kept.has(st.uuid) || noted.has(st.uuid) || !scope.inScope(st.file) || !scope.loaded.notes.has(st.file)) continue;
    // After an export, a task it does not show is gone (purged): nothing to cancel.
    const t = tw.byUuid.get(st.uuid) ?? (tw.source === 'export' ? undefined : scope.loaded.knownCache.get(st.uuid));
    if (!t) continue;
    if (t.status === 'deleted') {
      // Deleted on both sides: nothing to send, but a mirror edited since is still the user's
      // writing, and only the log can keep it (seed 100721).
      if (o.direction !== 'pull') logRemovedMirrorEdit(scope, st, fromTw(t, o.priorities), o, p);
      // The removal is still the note's writing: a reopen in Taskwarrior later overwrites it,
      // and planAdditions logs that as it does for a removal this sync sends (seed 300058).
      p.removedLines.set(st.uuid, st.file);
      continue;
    }
    const stray = lineHoldingId(scope.loaded.notes.get(st.file)?.text ?? '', st.id);
    if (stray !== null) {
      // The id is still there, on a line that is no task (a typo in its status: "(x |"): a
      // removal is a line deleted, not one mistyped. Kept as it was until the line is fixed.
      report.warnings.push(
        `${st.file}:${stray}: this line holds task ${st.id}'s id but is not a task line; the task is kept (fix the line, or remove it to delete the task)`,
      );
      p.tasks.set(st.uuid, st);
      p.cache.set(st.uuid, t);
      p.deferredFiles.add(st.file);
      continue;
    }
    const unread = scope.loaded.undecodableHolding(st.id);
    if (unread !== null) {
      // The line moved into a note this sync could not read (not valid UTF-8): a move, not a
      // removal. Kept as it was, its note read again next time, which follows the move once the
      // note is repaired (seed 2000194: the task was deleted, its line then held a dead id).
      report.warnings.push(`${st.file}: task ${st.id}'s line is in ${unread}, which is not valid UTF-8; the task is kept until that note can be read`);
      p.tasks.set(st.uuid, st);
      p.cache.set(st.uuid, t);
      p.deferredFiles.add(st.file);
      continue;
    }
    if (o.direction === 'pull') {
      // The removal reaches Taskwarrior with the next push: keep what is known until then.
      p.tasks.set(st.uuid, st);
      p.cache.set(st.uuid, t);
      p.deferredFiles.add(st.file);
      continue;
    }
    const f = fromTw(t, o.priorities);
    const cancelled = toTw({ ...f, status: 'cancelled' as TaskStatus }, t, st.uuid, o.now, o.priorities);
    p.imports.push(cancelled);
    p.basisOf.set(st.uuid, t);
    report.taskwarrior.deleted.push(st.uuid);
    p.log.push({
      time: o.now.toISOString(),
      uuid: st.uuid,
      id: st.id,
      side: 'taskwarrior',
      action: 'delete',
      fields: { status: { lost: f.status, kept: 'cancelled' } },
      version: f,
      file: st.file,
      note: 'line removed from the note',
    });
    logRemovedMirrorEdit(scope, st, f, o, p);
    p.bulk++;
    p.cache.set(st.uuid, cancelled);
    p.removedLines.set(st.uuid, st.file);
  }
}

/** A mirror edited in the same sync as its task's line was removed: the removal wins, the edit is kept in the log. */
function logRemovedMirrorEdit(scope: Scope, st: TaskState, f: Fields, o: PlanOptions, p: WritePlan): void {
  const me = scope.mirrorEdits.get(st.uuid);
  if (!me) return;
  const fields: LogEntry['fields'] = {};
  for (const [k, v] of Object.entries(me.fields)) (fields as Record<string, unknown>)[k] = { lost: v, kept: (f as unknown as Record<string, unknown>)[k] };
  p.log.push({
    time: o.now.toISOString(),
    uuid: st.uuid,
    id: st.id,
    side: 'note',
    action: 'conflict',
    fields,
    version: { ...f, ...me.fields } as Fields,
    file: me.file,
    note: 'a mirror edit of a task whose line was removed in the same sync',
  });
}

/** Taskwarrior tasks that belong in a note in scope: pending, no line yet, a home (or the inbox). */
function planAdditions(scope: Scope, rec: Reconciled, tw: TwRead, id: Identity, o: PlanOptions & { inbox?: string | null }, p: WritePlan): void {
  if (o.direction === 'push') return;
  const noted = new Set(id.keyToUuid.values());
  const imported = new Map(p.imports.map((t) => [t.uuid, t]));
  for (const read of scope.candidates) {
    if (scope.loaded.known.has(read.uuid) || rec.merges.has(read.uuid) || noted.has(read.uuid) || p.tasks.has(read.uuid)) continue;
    // A mirror's edit this sync sent (planMirrorOnly) is the task as the sync leaves it: a line
    // showing the version read would say what Taskwarrior no longer holds, and each side would
    // take it as the other's last word ever after (seed 400190: a mirror's (x) of a task added
    // since the last sync, the line added still open). One the edit closed belongs on no line.
    const t = imported.get(read.uuid) ?? read;
    const f = fromTw(t, o.priorities);
    if (!isOpen(f.status) || !addLine(scope, t, f, id, o, p)) continue;
    p.cache.set(t.uuid, t);
    // Reopened in Taskwarrior after the note deleted it.
    logReopened(scope, t.uuid, f, o, p);
  }
}
