/**
 * The order tasks are placed in, most urgent first (documented in :help planager-schedule):
 *
 *   1. due date, earliest first (overdue before due today); no due date after every dated one
 *   2. priority: `(!)` urgent, then A, B, C, then any other priority text (in text order), then none
 *   3. age: the task entered first goes first; no entry date last
 *   4. uuid, so that equal tasks still have one order (the same input, the same bytes)
 */
import { showDate } from '../mirror.js';
import type { Candidate } from './types.js';

function priorityRank(c: Candidate): [number, string] {
  if (c.urgent) return [0, ''];
  if (c.priority === null) return [5, ''];
  const i = ['A', 'B', 'C'].indexOf(c.priority);
  return i >= 0 ? [1 + i, ''] : [4, c.priority];
}

const dateCmp = (a: Date | null, b: Date | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a.getTime() - b.getTime());

export function byUrgency(a: Candidate, b: Candidate): number {
  const d = dateCmp(a.due, b.due);
  if (d !== 0) return d;
  const [pa, ta] = priorityRank(a);
  const [pb, tb] = priorityRank(b);
  if (pa !== pb) return pa - pb;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const e = dateCmp(a.entry, b.entry);
  if (e !== 0) return e;
  return a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
}

/** What made a task as urgent as it is, for --explain. */
export function urgencyWhy(c: Candidate): string {
  const parts: string[] = [];
  parts.push(c.due ? `due ${showDate(c.due)}` : 'no due date');
  if (c.urgent) parts.push('urgent (!)');
  else if (c.priority) parts.push(`priority ${c.priority}`);
  if (c.entry) parts.push(`entered ${showDate(c.entry)}`);
  return parts.join(', ');
}
