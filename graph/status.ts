/**
 * A parent's status from its children, Neorg's rule (core.qol.todo_items), written for us:
 * cancelled children do not count; with none left the parent keeps its own status;
 * all left done or uncertain (one uncertain at least) → on hold; done, on hold or uncertain
 * with one on hold at least → on hold; any pending → pending; all done → done;
 * none done → undone; some done → pending.
 */
import type { TaskStatus } from '../parser/index.js';

export function derivedStatus(children: readonly TaskStatus[]): TaskStatus | null {
  let counted = 0;
  let done = 0;
  let pending = 0;
  let onhold = 0;
  let uncertain = 0;
  for (const s of children) {
    if (s === 'cancelled') continue;
    counted++;
    if (s === 'done') done++;
    else if (s === 'pending') pending++;
    else if (s === 'onhold') onhold++;
    else if (s === 'uncertain') uncertain++;
  }
  if (counted === 0) return null;
  if (uncertain > 0 && done + uncertain === counted) return 'onhold';
  if (onhold > 0 && done + onhold + uncertain === counted) return 'onhold';
  if (pending > 0) return 'pending';
  if (done === counted) return 'done';
  if (done === 0) return 'undone';
  return 'pending';
}

export const STATUS_CHAR: Record<TaskStatus, string> = {
  undone: ' ',
  done: 'x',
  pending: '-',
  onhold: '=',
  cancelled: '_',
  urgent: '!',
  recurring: '+',
  uncertain: '?',
};

/**
 * Walk up from the tasks whose status changed (and from those, when they have children): each parent takes the status its children
 * imply, and the walk stops where a parent keeps its status (early cutoff). Parents are
 * visited deepest first, each once, after every child below it settled, so one pass reaches
 * the fixpoint (a breadth-first walk from mixed depths decided a grandparent before its
 * child changed). Recurring, urgent and cancelled parents keep theirs: they say something
 * children cannot. Returns the parents whose status changes, with the new status.
 */
export function propagateStatuses(
  graph: { tasks: Map<string, { parent: string | null; status: TaskStatus }>; childrenOf(key: string): string[] },
  changed: Iterable<string>,
  statusOf: (key: string) => TaskStatus | undefined,
): Map<string, TaskStatus> {
  const out = new Map<string, TaskStatus>();
  const current = (k: string) => out.get(k) ?? statusOf(k);
  const depthOf = (k: string): number => {
    let d = 0;
    for (let p = graph.tasks.get(k)?.parent; p; p = graph.tasks.get(p)?.parent) d++;
    return d;
  };
  const buckets: Set<string>[] = [];
  const enqueue = (k: string, depth: number) => (buckets[depth] ??= new Set()).add(k);
  for (const k of changed) {
    // A task ticked done over children that are not all done goes back to what they say (and
    // so does its parent): done is a claim about the children. Any other status the user sets
    // on a parent (in progress, on hold) is their judgement and stays until a child changes.
    if (statusOf(k) === 'done' && graph.childrenOf(k).length > 0) enqueue(k, depthOf(k));
    const p = graph.tasks.get(k)?.parent;
    if (p) enqueue(p, depthOf(p));
  }
  for (let depth = buckets.length - 1; depth >= 0; depth--) {
    for (const p of buckets[depth] ?? []) {
      const cur = current(p);
      if (cur === undefined) continue;
      const d = derivedStatus(
        graph
          .childrenOf(p)
          .map(current)
          .filter((s): s is TaskStatus => s !== undefined),
      );
      if (d === null || d === cur || cur === 'recurring' || cur === 'urgent' || cur === 'cancelled') continue;
      out.set(p, d);
      const gp = graph.tasks.get(p)?.parent;
      if (gp) enqueue(gp, depth - 1);
    }
  }
  return out;
}
