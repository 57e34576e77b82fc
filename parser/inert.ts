/**
 * Ranged tags whose content is not live text for the task readers (the sync's graph, the task
 * list, mirrors, the plan's sections):
 *
 * - `|example` and `|comment`: shown, never acted on.
 * - `|planager schedule`: the day's blocks (plan/schedule). A block may carry a status — Neorg's
 *   todo toggle turns `- 09:00-09:30 Cut the release` into `- (x) 09:00-09:30 …` — and that
 *   marks the block's task done (plan/schedule/edits.ts); read as a task line it became a
 *   second, completed task named "09:00-09:30 Cut the release".
 */
import type { NodeData } from './types.js';

const INERT = new Set(['example', 'comment']);

/** `|example`, `|comment`. */
export function isInertTag(d: NodeData | undefined): boolean {
  return d?.type === 'tag' && INERT.has(d.name);
}

/** Inert, or a tag whose list items are something other than tasks (the schedule's blocks). */
export function holdsNoTasks(d: NodeData | undefined): boolean {
  return isInertTag(d) || (d?.type === 'tag' && d.name === 'planager' && d.params[0] === 'schedule');
}
