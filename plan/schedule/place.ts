/**
 * The placement: each candidate, most urgent first (urgency.ts) but never before a task it
 * depends on, goes into the earliest free time that holds its whole estimate — inside the
 * working hours, off the breaks, the fixed events and the pinned blocks, and not before its
 * earliest start (its scheduled time, the end of what it depends on). Blocks are never split.
 * A task's dependencies inherit its urgency (they go as early as the most urgent task waiting
 * for them). Greedy first fit: a later, shorter task may take a gap an earlier one was too long for.
 * Pure and deterministic: ties are broken by uuid, nothing reads a clock.
 */
import type { Block, Placement, ScheduleInput, Unplaced } from './types.js';
import { tryPlace } from './fit.js';
import { freeTime, Ranks } from './ranks.js';
import { byUrgency } from './urgency.js';

export function place(input: ScheduleInput): Placement {
  const { frame } = input;
  const order = [...input.candidates].sort(byUrgency);
  const rank = new Map(order.map((c, i) => [c.uuid, i]));
  const free = freeTime(frame.hours, [...frame.breaks, ...input.fixed, ...input.pinned]);
  // When each task placed so far ends (pinned ones first), and under what name.
  const ends = new Map<string, { end: number; description: string }>();
  for (const p of input.pinned) if (p.uuid) ends.set(p.uuid, { end: Math.max(p.end, ends.get(p.uuid)?.end ?? 0), description: p.description });

  const indegree = order.map(() => 0);
  const dependents: number[][] = order.map(() => []);
  order.forEach((c, i) => {
    for (const d of new Set(c.after)) {
      const j = rank.get(d);
      if (j === undefined || j === i) continue;
      indegree[i]++;
      dependents[j].push(i);
    }
  });
  // A task's dependencies inherit its urgency: what the urgent task waits for goes first.
  const inherited = order.map((_, i) => i);
  const seen = order.map(() => false);
  for (let i = 0; i < order.length; i++) {
    const stack = [i];
    while (stack.length > 0) {
      const k = stack.pop()!;
      for (const d of order[k].after) {
        const j = rank.get(d);
        if (j === undefined || seen[j] || j <= i) continue;
        seen[j] = true;
        inherited[j] = i;
        stack.push(j);
      }
    }
  }
  // A task a pinned block depends on must end before that block starts, and goes first.
  const deadline = new Map<number, { at: number; description: string }>();
  for (const p of input.pinned)
    for (const d of p.after ?? []) {
      const j = rank.get(d);
      if (j !== undefined && p.start < (deadline.get(j)?.at ?? Infinity)) deadline.set(j, { at: p.start, description: p.description });
    }
  const first = [...deadline.keys()];
  while (first.length > 0) {
    const j = first.pop()!;
    if (inherited[j] === -1 && !deadline.has(j)) continue;
    inherited[j] = -1;
    for (const d of order[j].after) {
      const k = rank.get(d);
      if (k !== undefined && inherited[k] !== -1) first.push(k);
    }
  }
  const n = order.length;
  const ready = new Ranks();
  const key = (i: number) => (inherited[i] + 1) * (n + 1) + i;
  indegree.forEach((d, i) => d === 0 && ready.push(key(i)));

  const blocks: Block[] = input.fixed.map((f) => ({ ...f, uuid: null, id: null, pinned: false, fixed: true, why: ['fixed event'] }));
  for (const p of input.pinned)
    blocks.push({
      start: p.start,
      end: p.end,
      uuid: p.uuid,
      id: p.id,
      description: p.description,
      pinned: true,
      fixed: false,
      why: ['pinned: its times were set in the note'],
      raw: p.raw,
      ...(p.done ? { done: true } : {}),
    });
  const unplaced = new Map<number, Unplaced>();
  const done = order.map(() => false);
  const fail = (i: number, reason: string) => unplaced.set(i, { uuid: order[i].uuid, id: order[i].id, description: order[i].description, reason });

  while (ready.size > 0) {
    const i = ready.pop() % (n + 1);
    const c = order[i];
    done[i] = true;
    const r = tryPlace(c, i, free, ends, frame.hours, deadline.get(i) ?? null, (d) =>
      rank.has(d) && unplaced.has(rank.get(d)!) ? order[rank.get(d)!].description : null,
    );
    if (typeof r === 'string') fail(i, r);
    else {
      if (inherited[i] >= 0 && inherited[i] !== i)
        r.why.splice(2, 0, `placed as early as "${order[inherited[i]].description}" (#${inherited[i] + 1}), which waits for it`);
      blocks.push(r);
      ends.set(c.uuid, { end: r.end, description: c.description });
    }
    for (const j of dependents[i]) if (--indegree[j] === 0) ready.push(key(j));
  }
  order.forEach((c, i) => {
    if (done[i]) return;
    const other = c.after.map((d) => rank.get(d)).find((j) => j !== undefined && !done[j] && j !== i);
    if (c.blocked) return fail(i, c.blocked);
    fail(i, `it and "${other === undefined ? '?' : order[other].description}" depend on each other (a dependency cycle)`);
  });
  blocks.sort(
    (a, b) => a.start - b.start || Number(b.fixed) - Number(a.fixed) || a.end - b.end || cmp(a.description, b.description) || cmp(a.uuid ?? '', b.uuid ?? ''),
  );
  return { blocks, unplaced: [...unplaced.entries()].sort((a, b) => a[0] - b[0]).map(([, u]) => u) };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
