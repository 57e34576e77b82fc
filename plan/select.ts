/**
 * Which tasks each section shows, for a period. Rules (documented in :help planager-plan):
 *
 *   overdue    not done, due before the period
 *   due        not done, due in the period
 *   scheduled  not done, scheduled in the period or before it (a start date passed while the
 *              task stayed open carries forward until it is done, as org's agenda shows it)
 *   started    in progress `(-)`
 *   waiting    on hold `(=)`, or waiting in Taskwarrior
 *   completed  done in the period
 *   carried    not done, shown or written in the previous plan of the same kind
 *
 * A task shows once per note: in the first section of that order the note has and whose rule
 * it meets. A task the note already shows (a mirror anywhere, or its home line is in this note)
 * is not added again: mirrors stay where they are, so the order never shifts under the reader.
 */
import { compareDays, dayOf, type Day } from './day.js';
import type { Period } from './period.js';
import type { SectionName } from './sections.js';
import type { PlanTask } from './tasks.js';

export type TaskSection = Exclude<SectionName, 'projects' | 'stats'>;

const ORDER: TaskSection[] = ['overdue', 'due', 'scheduled', 'started', 'waiting', 'completed', 'carried'];

const open = (t: PlanTask) => t.status !== 'done' && t.status !== 'cancelled';
const before = (d: Date | null, day: Day) => d !== null && compareDays(dayOf(d), day) < 0;
const within = (d: Date | null, p: Period) => d !== null && compareDays(dayOf(d), p.start) >= 0 && compareDays(dayOf(d), p.end) < 0;

export function qualifies(section: TaskSection, t: PlanTask, p: Period, carried: ReadonlySet<string>): boolean {
  switch (section) {
    case 'overdue':
      return open(t) && before(t.due, p.start);
    case 'due':
      return open(t) && within(t.due, p);
    case 'scheduled':
      return open(t) && (within(t.scheduled, p) || before(t.scheduled, p.start));
    case 'started':
      return t.status === 'pending';
    case 'waiting':
      return t.status === 'onhold' || (open(t) && t.waiting);
    case 'completed':
      return t.status === 'done' && within(t.end, p);
    case 'carried':
      return open(t) && carried.has(t.uuid);
  }
}

/**
 * False only for a task no section's rule can take (most of 10,000): open but not in progress
 * or on hold, with no due or scheduled date, not waiting, not carried. One look instead of a
 * rule per section.
 */
function mayQualify(t: PlanTask, carried: ReadonlySet<string>): boolean {
  return t.due !== null || t.scheduled !== null || t.waiting || t.status === 'pending' || t.status === 'onhold' || t.status === 'done' || carried.has(t.uuid);
}

/** The date a section sorts by (then priority, then text, then uuid: a total, stable order). */
function sortDate(section: TaskSection, t: PlanTask): number {
  const d = section === 'scheduled' ? t.scheduled : section === 'completed' ? t.end : (t.due ?? t.scheduled);
  return d ? d.getTime() : Number.MAX_SAFE_INTEGER;
}

const PRIORITY_RANK: Record<string, number> = { A: 0, B: 1, C: 2 };

export function sectionOrder(section: TaskSection): (a: PlanTask, b: PlanTask) => number {
  return (a, b) =>
    sortDate(section, a) - sortDate(section, b) ||
    (PRIORITY_RANK[a.priority ?? ''] ?? 3) - (PRIORITY_RANK[b.priority ?? ''] ?? 3) ||
    (a.description < b.description ? -1 : a.description > b.description ? 1 : 0) ||
    (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);
}

/**
 * The tasks to add to each section the note has: those that qualify and the note does not
 * show yet, each in one section only, sorted.
 */
export function additions(
  present: ReadonlySet<SectionName>,
  tasks: readonly PlanTask[],
  p: Period,
  shown: ReadonlySet<string>,
  carried: ReadonlySet<string>,
  /** A carried task `tasks` leaves out, by uuid (`tasks` may hold only those another rule can take). */
  carriedTask: (uuid: string) => PlanTask | null = () => null,
): Map<TaskSection, PlanTask[]> {
  const out = new Map<TaskSection, PlanTask[]>();
  const order = ORDER.filter((s) => present.has(s));
  for (const s of order) out.set(s, []);
  const lists = order.map((s) => out.get(s)!);
  const place = (t: PlanTask) => {
    if (shown.has(t.uuid) || t.status === 'cancelled' || !mayQualify(t, carried)) return;
    // A loop, not order.find: no closure made for each of 10,000 tasks.
    for (let i = 0; i < order.length; i++) {
      if (!qualifies(order[i]!, t, p, carried)) continue;
      lists[i]!.push(t);
      break;
    }
  };
  const seen = new Set<string>();
  for (const t of tasks) {
    if (carried.has(t.uuid)) seen.add(t.uuid);
    place(t);
  }
  for (const u of carried) {
    if (seen.has(u)) continue;
    const t = carriedTask(u);
    if (t && t.uuid === u) place(t);
  }
  for (const [s, list] of out) list.sort(sectionOrder(s));
  return out;
}
