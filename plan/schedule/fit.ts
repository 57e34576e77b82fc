/**
 * One task into the free time: the earliest start that holds its whole estimate, after what it
 * depends on and its earliest start, ending before a pinned block that waits for it; or the
 * reason it cannot go anywhere (for --explain and the JSON's `unplaced`).
 */
import { clock, showDuration, type Span } from './time.js';
import type { Block, Candidate } from './types.js';
import { urgencyWhy } from './urgency.js';

export function tryPlace(
  c: Candidate,
  rankOf: number,
  free: Span[],
  ends: ReadonlyMap<string, { end: number; description: string }>,
  hours: Span,
  deadline: { at: number; description: string } | null,
  failedDep: (uuid: string) => string | null,
): Block | string {
  if (c.blocked) return c.blocked;
  if (c.minutes === null) return c.estimateText;
  if (c.minutes <= 0) return `its estimate is ${c.estimateText}: nothing to place`;
  for (const d of c.after) {
    const f = failedDep(d);
    if (f !== null) return `it depends on "${f}", which is not placed`;
  }
  const need = c.minutes;
  let earliest = hours.start;
  let why = '';
  if (c.earliest && c.earliest.at > earliest) (earliest = c.earliest.at), (why = `not before ${clock(c.earliest.at)} (${c.earliest.why})`);
  for (const d of c.after) {
    const e = ends.get(d);
    if (e && e.end > earliest) (earliest = e.end), (why = `after "${e.description}", which it depends on`);
  }
  for (let k = 0; k < free.length; k++) {
    const f = free[k];
    const s = Math.max(f.start, earliest);
    if (deadline && s + need > deadline.at) break;
    if (s + need > f.end) continue;
    const parts: Span[] = [];
    if (s > f.start) parts.push({ start: f.start, end: s });
    if (s + need < f.end) parts.push({ start: s + need, end: f.end });
    free.splice(k, 1, ...parts);
    // The constraint explains the start only when it, not the gap, set it.
    let explained = earliest > f.start && why ? why : 'the earliest free time that holds it';
    if (deadline) explained += `, before "${deadline.description}" (pinned at ${clock(deadline.at)}), which depends on it`;
    const deps = c.after.map((d) => ends.get(d)?.description).filter((d): d is string => d !== undefined);
    if (deps.length > 0 && !explained.startsWith('after')) explained += `, after ${deps.map((d) => `"${d}"`).join(', ')} (which it depends on)`;
    return {
      start: s,
      end: s + need,
      uuid: c.uuid,
      id: c.id,
      description: c.description,
      pinned: false,
      fixed: false,
      why: [`${c.estimateText}`, `#${rankOf + 1} by urgency (${urgencyWhy(c)})`, explained],
    };
  }
  if (deadline)
    return `it needs ${showDuration(need)} and must end by ${clock(deadline.at)}, before "${deadline.description}" (pinned), which depends on it: no free time that long is left before then`;
  if (need > hours.end - hours.start) return `it needs ${showDuration(need)}; the working hours are ${showDuration(hours.end - hours.start)}`;
  const longest = free.reduce((m, f) => Math.max(m, f.end - f.start), 0);
  if (longest < need) return `it needs ${showDuration(need)}; the longest free time left is ${longest === 0 ? 'none' : showDuration(longest)}`;
  return `it needs ${showDuration(need)}; no free time that long is left${why ? ` ${why}` : ''}`;
}
