/**
 * The checks a run ends with. `settle` brings the world to its end state (a final full sync,
 * then a second one that must change nothing and start no `task` process); `check` is pure: it
 * takes that end state as data (the notes' texts, a Taskwarrior export, the activity log, the
 * model) and returns what does not hold, so a test can feed it a planted loss.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceGraph } from '../../graph/index.js';
import { fromTw, matchesText, parseTwDate, readLog, sync, type LogEntry, type TwTask } from '../../sync/index.js';
import { inWorkspace } from './history.js';
import type { Round4Issue } from './replay.js';
import { adoptInstances, afterSync, foreignOfAll, pickForeign, settleExpectations, type Round3Issue } from './round3.js';
import { readMirrorLines, STATUS_NAME, UDA, type Field, type MTask, type World } from './world.js';

export interface TaskSnapshot {
  label: string;
  uuid: string | null;
  sid: string | null;
  noteDesc: string | null;
  origin: 'note' | 'taskwarrior';
  last: MTask['last'];
  annotations: string[];
  uda: string | null;
  deletedBy: MTask['deletedBy'];
  touchedAfterDelete: boolean;
  everParent: boolean;
  twDeps: string[];
  depsTouchedByNote: boolean;
  lastByMirror?: MTask['lastByMirror'];
  recurParent?: boolean;
  foreign?: Record<string, unknown>;
  killedUnbound?: string[];
}

export interface EndState {
  /** Known findings the check looks past (World's `known`). */
  known?: string[];
  notes: Record<string, string>;
  tw: TwTask[];
  log: LogEntry[];
  tasks: TaskSnapshot[];
  /** The final full sync and the one after it. */
  final: { code: number; error?: string };
  again: { code: number; changed: boolean; processes: number; notesSame: boolean; twSame: boolean };
  /** What the steps themselves saw go wrong (World.issues). */
  issues?: World['issues'];
}

export interface Failure {
  kind:
    | 'sync-failed'
    | 'not-idempotent'
    | 'disagree'
    | 'duplicate'
    | 'orphan-line'
    | 'missing'
    | 'lost'
    | 'resurrected'
    | 'unexpressible'
    | 'extra-task'
    | 'mirror-stale'
    | 'mirror-task'
    | 'viewport'
    | 'schedule-unstable'
    | 'schedule-failed'
    | Round3Issue
    | Round4Issue
    | 'restore';
  task?: string;
  message: string;
}

const STATUS: Record<string, string> = { completed: 'done', deleted: 'cancelled' };
export function noteStatusOf(t: TwTask): string {
  if (STATUS[t.status]) return STATUS[t.status];
  const tags = t.tags ?? [];
  for (const s of ['recurring', 'onhold', 'uncertain', 'urgent']) if (tags.includes(s)) return s;
  return t.start ? 'pending' : 'undone';
}
const PRIORITY: Record<string, string> = { H: 'A', M: 'B', L: 'C' };
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const compact = (u: string) => u.replace(/-/g, '');

export function snapshot(t: MTask): TaskSnapshot {
  const { mirrorPending: _, ...rest } = t;
  return {
    ...rest,
    last: { note: { ...t.last.note }, taskwarrior: { ...t.last.taskwarrior } },
    annotations: [...t.annotations],
    twDeps: [...t.twDeps],
    lastByMirror: { ...t.lastByMirror },
  };
}

/** The final full sync, the second one, and the end state as data. */
export async function settle(w: World): Promise<EndState> {
  const texts = () => Object.fromEntries(w.noteFiles().map((f) => [f, w.read(f)]));
  let r = await finalSync(w);
  // Taskwarrior makes the next instance of a recurring task when one is done (at the export
  // after the sync): the user's next sync shows it, so it is part of settling.
  // A report also updates the parent's mask (a write): that too is for the next sync to see.
  for (let k = 0; k < 3 && r.code === 0 && w.r3.parents.size > 0; k++) {
    const stamp = dataStamp(w);
    if (adoptInstances(w) === 0 && dataStamp(w) === stamp) break;
    r = await finalSync(w);
  }
  const notes = texts();
  const tw = w.sb.exportAll();
  // A `task` the final sync started and closed unused may log itself after the sync returned
  // (finding mirror-F2): wait for the log to be still, so it is not counted against the next.
  for (let n = w.sb.calls().length, k = 0; k < 20; k++) {
    await new Promise((r) => setTimeout(r, 100));
    const m = w.sb.calls().length;
    if (m === n && k >= 2) break;
    n = m;
  }
  w.sb.resetCalls();
  const again = await sync({ workspace: w.ws, tw: w.sb.tw, bulkMin: 1_000_000 });
  const tw2 = w.sb.exportAll();
  return {
    known: w.known,
    issues: w.issues,
    notes,
    tw,
    log: await readLog(join(w.ws, '.planager', 'activity.jsonl')),
    tasks: w.tasks.map(snapshot),
    final: { code: r.code, error: r.error ? `${r.error.code}: ${r.error.message}` : undefined },
    again: {
      code: again.code,
      changed: again.changed,
      processes: Math.max(again.processes, w.sb.calls().length),
      notesSame: JSON.stringify(texts()) === JSON.stringify(notes),
      twSame: JSON.stringify(tw2.map((t) => [t.uuid, t.modified, t.status])) === JSON.stringify(tw.map((t) => [t.uuid, t.modified, t.status])),
    },
  };
}

/** The Taskwarrior data files' sizes and mtimes: whether a `task` run wrote. */
function dataStamp(w: World): string {
  const dir = w.sb.env.TASKDATA!;
  return ['pending.data', 'completed.data', 'undo.data']
    .map((f) => (existsSync(join(dir, f)) ? `${statSync(join(dir, f)).size}:${statSync(join(dir, f)).mtimeMs}` : '-'))
    .join('|');
}

async function finalSync(w: World): Promise<Awaited<ReturnType<typeof sync>>> {
  const before = foreignOfAll(w);
  settleExpectations(w);
  const r = await sync({ workspace: w.ws, tw: w.sb.tw, bulkMin: 1_000_000 });
  afterSync(w, null, r, before, true);
  w.resolve();
  return r;
}

/** Whether a task matches a viewport filter of the forms the harness writes (project:, +tag, -tag). */
export function viewMatches(filter: string, t: TwTask): boolean {
  if (t.status !== 'pending' && t.status !== 'waiting') return false;
  const tags = t.tags ?? [];
  return filter
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => {
      if (w.startsWith('project:')) {
        const p = w.slice('project:'.length);
        return t.project === p || (t.project ?? '').startsWith(`${p}.`);
      }
      if (w.startsWith('+')) return tags.includes(w.slice(1));
      if (w.startsWith('-')) return !tags.includes(w.slice(1));
      throw new Error(`viewMatches: filter word ${w} not modelled`);
    });
}

/** Every viewport of a note: its filter and the mirror markers between its tag line and |end. */
export function viewportsOf(text: string): { line: number; filter: string; ids: string[] }[] {
  const out: { line: number; filter: string; ids: string[] }[] = [];
  let cur: { line: number; filter: string; ids: string[] } | null = null;
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    const m = /^\s*\|planager view (.*)$/.exec(l);
    if (m) {
      cur = { line: i + 1, filter: m[1].trim(), ids: [] };
      out.push(cur);
    } else if (cur && /^\s*\|end\s*$/.test(l)) cur = null;
    else if (cur) {
      const id = /%@([0-9a-f]+)%\s*$/.exec(l);
      if (id) cur.ids.push(id[1]);
    }
  });
  return out;
}

/**
 * Lookups the checks make per line and per task, by map: a big world (big.ts) has 10,000
 * tasks and 2,000 lines, and a scan per line is 20 million comparisons.
 */
class Lookup {
  private by8 = new Map<string, TwTask[]>();
  private model = new Map<string, TaskSnapshot>();
  logOf = new Map<string, LogEntry[]>();
  constructor(readonly s: EndState) {
    for (const t of s.tw) {
      const k = compact(t.uuid).slice(0, 8);
      const l = this.by8.get(k);
      if (l) l.push(t);
      else this.by8.set(k, [t]);
    }
    for (const m of s.tasks) if (m.uuid && !this.model.has(m.uuid)) this.model.set(m.uuid, m);
    for (const e of s.log) {
      const l = this.logOf.get(e.uuid);
      if (l) l.push(e);
      else this.logOf.set(e.uuid, [e]);
    }
  }
  /** The Taskwarrior tasks an id (a uuid prefix) names. */
  tw(id: string): TwTask[] {
    const c = id.length >= 8 ? (this.by8.get(id.slice(0, 8)) ?? []) : this.s.tw;
    return c.filter((t) => compact(t.uuid).startsWith(id));
  }
  task(uuid: string): TaskSnapshot | undefined {
    return this.model.get(uuid);
  }
  label(uuid: string): string {
    return this.model.get(uuid)?.label ?? compact(uuid).slice(0, 8);
  }
}

/**
 * A task the model never bound, deleted and logged so: one a killed sync created for a line with
 * no id yet, whose line was removed before the replay could give it the id (MTask.killedUnbound).
 * One line, one task, deleted with its line: no duplicate. A line still there (edited) that got
 * another task is not this, and stays an extra task.
 */
function createdForRemovedLine(s: EndState, ix: Lookup, t: TwTask): boolean {
  if (t.status !== 'deleted' || !(ix.logOf.get(t.uuid) ?? []).some((e) => e.action === 'delete')) return false;
  return s.tasks.some((m) => !m.uuid && m.deletedBy === 'note' && m.killedUnbound?.includes(t.description));
}

export function check(s: EndState): Failure[] {
  const out: Failure[] = [];
  const ix = new Lookup(s);
  for (const i of s.issues ?? []) out.push({ kind: i.kind, message: i.message });
  // A viewport shows exactly the mirrors of the tasks its filter matches (order aside).
  for (const [f, text] of Object.entries(s.notes))
    for (const v of viewportsOf(text)) {
      const want = s.tw.filter((t) => viewMatches(v.filter, t));
      const label = (u: string) => `${ix.label(u)} "${s.tw.find((t) => t.uuid === u)?.description}"`;
      for (const t of want) {
        const n = v.ids.filter((id) => compact(t.uuid).startsWith(id)).length;
        if (n !== 1) out.push({ kind: 'viewport', message: `${f}:${v.line} view ${v.filter}: ${label(t.uuid)} matches and is shown ${n} times` });
      }
      for (const id of v.ids) {
        const t = ix.tw(id)[0];
        if (!t || !want.includes(t))
          out.push({
            kind: 'viewport',
            message: `${f}:${v.line} view ${v.filter}: shows %@${id}% (${t ? `${label(t.uuid)}, ${t.status}, project ${t.project}, tags ${t.tags}` : 'no task'}), which does not match`,
          });
      }
    }
  if (s.final.code !== 0) out.push({ kind: 'sync-failed', message: `the final full sync failed: code ${s.final.code} ${s.final.error ?? ''}` });
  if (s.again.code !== 0 || s.again.changed || s.again.processes !== 0 || !s.again.notesSame || !s.again.twSame)
    out.push({
      kind: 'not-idempotent',
      message: `a second full sync: code ${s.again.code}, changed ${s.again.changed}, ${s.again.processes} task processes, notes ${s.again.notesSame ? 'same' : 'changed'}, Taskwarrior ${s.again.twSame ? 'same' : 'changed'}`,
    });

  const g = new WorkspaceGraph({ propagate: false, derive: false });
  for (const [f, t] of Object.entries(s.notes)) g.setFile(f, t);
  const lines = Object.keys(s.notes).flatMap((f) => g.objects(f)?.tasks ?? []);
  const byUuid = new Map(s.tw.map((t) => [t.uuid, t]));
  const onLine = new Map<string, string>();
  const labelOf = (uuid: string) => ix.label(uuid);
  const lineByKey = new Map(lines.map((l) => [l.key, l]));

  // 1. Every line names one task, once; note and Taskwarrior agree on every mapped field.
  for (const l of lines) {
    const where = `${l.file}:${l.line} "${l.description}"`;
    if (!l.id) {
      out.push({ kind: 'orphan-line', message: `${where} has no id after the final sync` });
      continue;
    }
    const hits = ix.tw(l.id);
    if (hits.length !== 1) {
      out.push({ kind: 'orphan-line', message: `${where}: id ${l.id} names ${hits.length} Taskwarrior tasks` });
      continue;
    }
    const tw = hits[0];
    const label = labelOf(tw.uuid);
    if (onLine.has(tw.uuid)) out.push({ kind: 'duplicate', task: label, message: `${label} is on two lines: ${onLine.get(tw.uuid)} and ${where}` });
    onLine.set(tw.uuid, where);
    const diff = (field: string, note: unknown, t: unknown) =>
      !same(note, t) &&
      out.push({ kind: 'disagree', task: label, message: `${label} ${field}: note ${where} says ${JSON.stringify(note)}, Taskwarrior ${JSON.stringify(t)}` });
    diff('description', l.description, tw.description);
    diff('status', l.status, noteStatusOf(tw));
    diff('priority', l.priority, tw.priority ? (PRIORITY[tw.priority] ?? tw.priority) : ((tw.norgpriority as string | undefined) ?? null));
    diff('project', l.project || null, tw.project ?? null);
    diff('tags', [...l.tags].sort(), (tw.tags ?? []).filter((x) => !['recurring', 'onhold', 'uncertain', 'urgent'].includes(x)).sort());
    const due = parseTwDate(tw.due);
    if ((l.due === null) !== (due === null) || (l.due !== null && due && !matchesText(l.due, due))) diff('due', l.due, tw.due ?? null);
    // What the line's subtasks and links express is among Taskwarrior's depends (round 3).
    const twDeps = new Set(fromTw(tw).depends);
    for (const k of g.dependencies(l.key)) {
      const d = lineByKey.get(k);
      const u = d?.id ? ix.tw(d.id)[0]?.uuid : undefined;
      if (u && u !== tw.uuid && !twDeps.has(u))
        out.push({
          kind: 'disagree',
          task: label,
          message: `${label} depends: ${where} expresses ${labelOf(u)} ("${d!.description}"), Taskwarrior's depends lack it`,
        });
    }
  }

  // 1b. Mirrors: none is a task (no id comment on a marked line), and after the final full sync
  // each shows exactly what Taskwarrior has of its task (a task Taskwarrior lost is left alone).
  for (const [f, text] of Object.entries(s.notes)) {
    const raw = text.split('\n');
    raw.forEach((l, i) => {
      if (/%@[0-9a-f]+%/.test(l) && /%#[0-9a-f]+%/.test(l)) out.push({ kind: 'mirror-task', message: `${f}:${i + 1} is a mirror with a task id: ${l.trim()}` });
    });
    for (const m of readMirrorLines(f, text)) {
      const hits = ix.tw(m.id);
      if (hits.length !== 1) continue;
      const tw = hits[0];
      const label = labelOf(tw.uuid);
      const where = `${f}:${m.line + 1} (mirror of ${label}) ${raw[m.line].trim()}`;
      const stale = (field: string, shown: unknown, t: unknown) =>
        !same(shown, t) &&
        out.push({ kind: 'mirror-stale', task: label, message: `${where}: ${field} shows ${JSON.stringify(shown)}, Taskwarrior has ${JSON.stringify(t)}` });
      stale('status', STATUS_NAME[m.parts[0]] ?? m.parts[0], noteStatusOf(tw));
      const pr = m.parts.slice(1).find((x) => x.trim().startsWith('#'));
      stale(
        'priority',
        pr ? pr.trim().slice(1).trim() : null,
        tw.priority ? (PRIORITY[tw.priority] ?? tw.priority) : ((tw.norgpriority as string | undefined) ?? null),
      );
      stale('description', m.text, tw.description);
      const dueText = m.parts
        .slice(1)
        .find((x) => x.trim().startsWith('<'))
        ?.trim()
        .slice(1)
        .trim();
      const due = parseTwDate(tw.due);
      // round2-F7: a mirror shows a due time without its seconds (plan/mirror.ts showDate).
      const f7 = (d: Date) => s.known?.includes('round2-f7') && matchesText(dueText!, new Date(Math.floor(d.getTime() / 60_000) * 60_000));
      if ((dueText === undefined) !== (due === null) || (dueText !== undefined && due && !matchesText(dueText, due) && !f7(due)))
        stale('due', dueText ?? null, tw.due ?? null);
    }
  }

  // 2. Every live task is on a line; every task Taskwarrior holds is one the history made.
  for (const t of s.tw) {
    const live = t.status === 'pending' || t.status === 'waiting';
    if (live && !onLine.has(t.uuid) && inWorkspace(t.project))
      out.push({ kind: 'missing', task: labelOf(t.uuid), message: `${labelOf(t.uuid)} "${t.description}" is ${t.status} in Taskwarrior but on no line` });
    if (!ix.task(t.uuid) && !createdForRemovedLine(s, ix, t))
      out.push({
        kind: 'extra-task',
        task: compact(t.uuid).slice(0, 8),
        message: `Taskwarrior holds "${t.description}" (${t.status}), a task the history never made (a duplicate?)`,
      });
  }

  for (const m of s.tasks) {
    const tw = m.uuid ? byUuid.get(m.uuid) : undefined;
    if (!tw) {
      // A line added and deleted again before any push never reached Taskwarrior.
      if (m.deletedBy === 'note' && m.origin === 'note') continue;
      out.push({
        kind: 'missing',
        task: m.label,
        message: `${m.label} (${m.noteDesc ?? m.uuid}) is in neither Taskwarrior nor ${m.uuid ? 'the export' : 'any note line with an id'}`,
      });
      continue;
    }
    const f = fromTw(tw);
    // 3. Nothing deleted comes back unless the other side wrote to it afterwards.
    // A delete that lost a logged conflict (the other side changed the status since the last
    // sync, and the merge judged that edit newer: a note's time is its file's mtime) is a
    // recorded overwrite, not a resurrection.
    const logged = ix.logOf.get(tw.uuid) ?? [];
    const deleteLogged = logged.some((e) => e.fields.status && same(e.fields.status.lost, 'cancelled'));
    if (m.deletedBy && !m.touchedAfterDelete && !deleteLogged && (tw.status === 'pending' || tw.status === 'waiting'))
      out.push({
        kind: 'resurrected',
        task: m.label,
        message: `${m.label} was deleted in ${m.deletedBy === 'note' ? 'the note' : 'Taskwarrior'} and nothing touched it since, yet it is ${tw.status} again`,
      });
    // 4. What the notes cannot express is exactly what Taskwarrior had.
    const ann = (tw.annotations ?? []).map((a: { description: string }) => a.description);
    if (!same(ann, m.annotations))
      out.push({
        kind: 'unexpressible',
        task: m.label,
        message: `${m.label} annotations: expected ${JSON.stringify(m.annotations)}, Taskwarrior has ${JSON.stringify(ann)}`,
      });
    if (m.foreign && !same(pickForeign(tw), m.foreign))
      out.push({
        kind: 'unexpressible',
        task: m.label,
        message: `${m.label} what the notes cannot express: after the last task step Taskwarrior had ${JSON.stringify(m.foreign)}, at the end ${JSON.stringify(pickForeign(tw))}`,
      });
    if (!same(tw[UDA] ?? null, m.uda))
      out.push({
        kind: 'unexpressible',
        task: m.label,
        message: `${m.label} ${UDA}: expected ${JSON.stringify(m.uda)}, Taskwarrior has ${JSON.stringify(tw[UDA] ?? null)}`,
      });
    if (!m.depsTouchedByNote) {
      const deps = new Set(f.depends);
      for (const d of m.twDeps)
        if (!deps.has(d) && !ix.task(d)?.depsTouchedByNote)
          out.push({ kind: 'unexpressible', task: m.label, message: `${m.label} lost the dependency on ${labelOf(d)} set through task` });
    }
    // 5. The last value each side wrote is the final one, or the log holds it as overwritten.
    for (const side of ['note', 'taskwarrior'] as const) {
      for (const [field, v] of Object.entries(m.last[side]) as [Field, unknown][]) {
        if (field === 'status' && m.everParent) continue;
        if (same(f[field], v)) continue;
        const inLog = logged.some((e) => field in e.fields && same((e.fields as Record<string, { lost: unknown }>)[field].lost, v));
        // mirror-F5: a mirror value that lost a conflict is not logged (the home line's is).
        const f5 = side === 'note' && m.lastByMirror?.[field] && s.known?.includes('mirror-f5');
        // The note's deletion, then Taskwarrior setting the status again (done: no line comes
        // back): the notes never show the task again, so nothing in them was overwritten, and
        // the status is the later write's (seed 300058). A reopen brings a line back and is logged.
        const superseded =
          side === 'note' &&
          field === 'status' &&
          same(v, 'cancelled') &&
          m.deletedBy === 'note' &&
          m.touchedAfterDelete &&
          !onLine.has(tw.uuid) &&
          same(m.last.taskwarrior.status, f.status);
        if (!inLog && !f5 && !superseded)
          out.push({
            kind: 'lost',
            task: m.label,
            message: `${m.label} ${field}: ${side === 'note' ? 'the note' : 'Taskwarrior'} last wrote ${JSON.stringify(v)}, the end state has ${JSON.stringify(f[field])}, and the activity log holds no overwrite of ${JSON.stringify(v)}`,
          });
      }
    }
  }
  return out;
}

/**
 * Both sides side by side, per task, for a failure report. A big world's thousands of tasks
 * are cut to those its failures name (by label) and those the history itself made.
 */
export function sides(s: EndState, focus?: Failure[]): { task: string; note: string | null; taskwarrior: Record<string, unknown> | null }[] {
  const g = new WorkspaceGraph({ propagate: false, derive: false });
  for (const [f, t] of Object.entries(s.notes)) g.setFile(f, t);
  const lines = Object.keys(s.notes).flatMap((f) => g.objects(f)?.tasks ?? []);
  const known = new Set(s.tasks.map((m) => m.uuid));
  const byUuid = new Map(s.tw.map((t) => [t.uuid, t]));
  const lineOf = new Map<string, (typeof lines)[number]>();
  const ix = new Lookup(s);
  for (const l of lines) if (l.id) for (const t of ix.tw(l.id)) if (!lineOf.has(t.uuid)) lineOf.set(t.uuid, l);
  const shown = (l: (typeof lines)[number] | undefined) => (l ? `${l.file}:${l.line} ${s.notes[l.file].split('\n')[l.line - 1]}` : null);
  const text = (focus ?? []).map((f) => `${f.task ?? ''} ${f.message}`).join('\n');
  const named = (label: string) => new RegExp(`\\b${label}\\b`).test(text);
  const tasks = s.tasks.length <= 300 ? s.tasks : s.tasks.filter((m) => !m.label.startsWith('B') || named(m.label));
  const extra = s.tw
    .filter((t) => !known.has(t.uuid))
    .map((tw) => ({
      task: `(not in the model) ${compact(tw.uuid).slice(0, 8)}`,
      note: shown(lineOf.get(tw.uuid)),
      taskwarrior: { uuid: tw.uuid, status: tw.status, description: tw.description, project: tw.project } as Record<string, unknown>,
    }));
  return [
    ...tasks.map((m) => {
      const tw = m.uuid ? byUuid.get(m.uuid) : undefined;
      const l = tw ? lineOf.get(tw.uuid) : lines.find((x) => x.description === m.noteDesc);
      const pick = tw
        ? {
            uuid: tw.uuid,
            status: tw.status,
            description: tw.description,
            priority: tw.priority,
            due: tw.due,
            project: tw.project,
            tags: tw.tags,
            depends: tw.depends,
            annotations: tw.annotations?.map((a: { description: string }) => a.description),
            [UDA]: tw[UDA],
          }
        : null;
      return { task: m.label, note: shown(l), taskwarrior: pick };
    }),
    ...extra,
  ];
}
