/**
 * The norg ↔ Taskwarrior field mapping (doc/design.md §5). Every norg status round-trips:
 *
 * | norg  | Taskwarrior                                         |
 * |-------|-----------------------------------------------------|
 * | ( )   | pending                                             |
 * | (-)   | pending, `start` set (started)                      |
 * | (x)   | completed                                           |
 * | (_)   | deleted                                             |
 * | (=)   | pending, tag `onhold`                               |
 * | (?)   | pending, tag `uncertain`                            |
 * | (!)   | pending, tag `urgent`                               |
 * | (+ …) | pending, tag `recurring`, UDA `norgrecur` = the text (kept verbatim) |
 *
 * Priorities: `# A/B/C` → H/M/L (configurable); any other text goes to the UDA `norgpriority`.
 * `< date` → due, `> date` → scheduled. The heading path (with the file's base project) →
 * project. Subtasks and links → depends. Tags are carryover tags; the status tags above are
 * Planager's and never shown as carryover tags.
 */
import type { TaskStatus } from '../parser/index.js';
import { parseTwDate, twDate, type TwTask } from './taskwarrior.js';

export const STATUS_TAGS: Record<string, TaskStatus> = { onhold: 'onhold', uncertain: 'uncertain', urgent: 'urgent', recurring: 'recurring' };

export interface PriorityMap {
  [norg: string]: string;
}

export const DEFAULT_PRIORITIES: PriorityMap = { A: 'H', B: 'M', C: 'L' };

/** The fields sync compares, in one domain for both sides. Dates are ISO strings (UTC). */
export interface Fields {
  description: string;
  status: TaskStatus;
  priority: string | null;
  due: string | null;
  scheduled: string | null;
  tags: string[];
  project: string | null;
  depends: string[];
  recurrence: string | null;
}

export const FIELD_NAMES: (keyof Fields)[] = ['description', 'status', 'priority', 'due', 'scheduled', 'tags', 'project', 'depends', 'recurrence'];

export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

function iso(s: string | undefined): string | null {
  const d = parseTwDate(s);
  return d ? d.toISOString() : null;
}

export function dependsOf(t: TwTask): string[] {
  const d = t.depends;
  if (!d) return [];
  return (Array.isArray(d) ? d : String(d).split(','))
    .map((x) => x.trim())
    .filter(Boolean)
    .sort();
}

const NO_TAGS: readonly string[] = [];

/** A Taskwarrior task's norg status. */
export function statusOfTw(t: TwTask): TaskStatus {
  // No empty list made for a task without tags (most of 10,000, a plan).
  const tags = t.tags ?? NO_TAGS;
  if (t.status === 'completed') return 'done';
  if (t.status === 'deleted') return 'cancelled';
  if (tags.includes('recurring') || t.status === 'recurring' || typeof t.norgrecur === 'string') return 'recurring';
  if (tags.includes('onhold')) return 'onhold';
  if (tags.includes('uncertain')) return 'uncertain';
  if (tags.includes('urgent')) return 'urgent';
  if (t.start) return 'pending';
  return 'undone';
}

/** A Taskwarrior task's norg priority (`norgpriority`, else the map's letter for its priority). */
export function priorityOfTw(t: TwTask, priorities: PriorityMap = DEFAULT_PRIORITIES): string | null {
  if (typeof t.norgpriority === 'string') return t.norgpriority;
  if (!t.priority) return null;
  // The map's last letter for it, as a reversed map would give (no map made: 10,000 tasks a plan).
  let letter: string | null = null;
  // for…in, not Object.keys: no array of the keys made per task.
  for (const k in priorities) if (Object.hasOwn(priorities, k) && priorities[k] === t.priority) letter = k;
  return letter ?? t.priority;
}

export function fromTw(t: TwTask, priorities: PriorityMap = DEFAULT_PRIORITIES): Fields {
  const tags = t.tags ?? [];
  const status = statusOfTw(t);
  return {
    description: t.description ?? '',
    status,
    priority: priorityOfTw(t, priorities),
    due: iso(t.due),
    scheduled: iso(t.scheduled),
    tags: tags.filter((x) => !(x in STATUS_TAGS)).sort(),
    project: t.project ?? null,
    depends: dependsOf(t),
    recurrence: status === 'recurring' ? (typeof t.norgrecur === 'string' ? t.norgrecur : '') : null,
  };
}

/** A recurring template or instance: `task import` refuses one without a due. */
export function recurs(t: TwTask | null | undefined): boolean {
  return !!t && (!!t.recur || t.status === 'recurring');
}

/**
 * The Taskwarrior task with `f` applied on top of `base` (import replaces the whole task, so
 * every field Planager does not manage is carried over as it was).
 */
export function toTw(f: Fields, base: TwTask | null, uuid: string, now: Date, priorities: PriorityMap = DEFAULT_PRIORITIES): TwTask {
  const t: TwTask = base ? { ...base } : { uuid, description: f.description, status: 'pending', entry: twDate(now) };
  t.uuid = uuid;
  t.description = f.description;
  const stamp = twDate(now);
  const wasDone = base?.status === 'completed' || base?.status === 'deleted';
  if (f.status === 'done') {
    t.status = 'completed';
    if (!base || base.status !== 'completed' || !t.end) t.end = stamp;
  } else if (f.status === 'cancelled') {
    t.status = 'deleted';
    if (!base || base.status !== 'deleted' || !t.end) t.end = stamp;
  } else {
    t.status = base?.status === 'waiting' && !wasDone ? 'waiting' : 'pending';
    delete t.end;
  }
  if (f.status === 'pending') t.start = base?.start ?? stamp;
  else delete t.start;
  const tags = new Set(f.tags);
  if (f.status in STATUS_TAGS || f.status === 'onhold' || f.status === 'uncertain' || f.status === 'urgent' || f.status === 'recurring') tags.add(f.status);
  const list = [...tags].sort();
  if (list.length > 0) t.tags = list;
  else delete t.tags;
  delete t.priority;
  delete t.norgpriority;
  if (f.priority !== null) {
    if (priorities[f.priority]) t.priority = priorities[f.priority];
    else t.norgpriority = f.priority;
  }
  for (const k of ['due', 'scheduled'] as const) {
    const v = f[k];
    if (v) t[k] = twDate(new Date(v));
    // A recurring task (template or instance) without a due is refused by `task import` ("A
    // recurring task must also have a 'due' date"), and with it every other task of the import
    // (harness round3-f5): the due stays. The merge already keeps it for a line (merge.ts
    // `twNeedsDue`); this covers every other caller.
    else if (!(k === 'due' && base?.due && recurs(base))) delete t[k];
  }
  if (f.project) t.project = f.project;
  else delete t.project;
  if (f.depends.length > 0) t.depends = [...f.depends];
  else delete t.depends;
  if (f.status === 'recurring') t.norgrecur = f.recurrence ?? '';
  else delete t.norgrecur;
  return t;
}
