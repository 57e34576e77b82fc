/**
 * Where a created task's id goes in a note edited since the sync that created it (a killed sync,
 * or one that finished while the note was edited; sync/journal.ts replays both). Pure: texts in,
 * text out.
 */
import { extractTasks, parse } from '../parser/index.js';
import { lcsPairs } from './diff3.js';
import type { Created } from './journal.js';

interface Tie {
  c: Created;
  /** The line in `after` (the killed sync's text) that holds the id. */
  row: number;
  /** That line without the id: the line as the killed sync read it. */
  bare: string;
  /** Where the id sat in it. */
  at: number;
  description: string;
}

/**
 * Each created task's id, from its line in `after`, onto its line in `now` (a task line with
 * no id yet, as the parser reads it): one insertion a line. Its line is, in this order of trust:
 * 1. the same text, where the line diff of `after` (without these ids) and `now` puts it, else
 *    anywhere (a line moved);
 * 2. the line an edit made of it: between the same unchanged lines, as many new task lines as
 *    created ones lost there, paired in order (a date added, a status ticked, a nesting);
 * 3. the one new task line anywhere with its description, when no other created line has it;
 * 4. for a task nobody changed in Taskwarrior since (`unchanged`), any new task line left, in
 *    order: its fields are what the killed sync read and the line's differ only where the user
 *    typed, so the merge makes it the line's task, its old values logged. Deleted, with a second
 *    task created for the line, it stayed in `task all` as a duplicate (seed 500117).
 * A created task on none of them is untied: its line was removed, or rewritten past that.
 * `across`: `now` is another note, where a line of `after` may have been moved: rules 1 and 3 only.
 */
export function tieIds(
  now: string,
  after: string,
  created: Created[],
  unchanged: (uuid: string) => boolean = () => false,
  opts: { across?: boolean } = {},
): { text: string; untied: string[] } {
  const lines = now.split('\n');
  const afterLines = after.split('\n');
  const untied: string[] = [];
  const ties: Tie[] = [];
  const afterItems = extractTasks(parse(after));
  for (const c of created) {
    if (now.includes(`%#${c.id}%`)) continue;
    const mark = ` %#${c.id}%`;
    const row = afterLines.findIndex((l) => l.includes(mark));
    if (row < 0) {
      untied.push(c.uuid);
      continue;
    }
    const l = afterLines[row]!;
    const at = l.indexOf(mark);
    const description = afterItems.find((t) => t.id === c.id)?.description ?? '';
    ties.push({ c, row, bare: l.slice(0, at) + l.slice(at + mark.length), at, description });
  }
  if (ties.length === 0) return { text: now, untied };
  // The lines an id may go on: task lines without one (a mirror is no task).
  const idless = new Map<number, string>();
  for (const t of extractTasks(parse(now))) if (t.id === null && !lines[t.line - 1]!.includes('%#')) idless.set(t.line - 1, t.description);
  const bareAfter = [...afterLines];
  for (const t of ties) bareAfter[t.row] = t.bare;
  const pairs = lcsPairs(bareAfter, lines);
  const toNow = new Map(pairs);
  const used = new Set<number>();
  const placed = new Map<Tie, number>();
  const free = (i: number) => !used.has(i) && idless.has(i);
  const place = (t: Tie, i: number) => {
    placed.set(t, i);
    used.add(i);
  };
  const open = () => ties.filter((t) => !placed.has(t));
  for (const t of ties) {
    const i = toNow.get(t.row);
    if (i !== undefined && lines[i] === t.bare && free(i)) place(t, i);
  }
  for (const t of open()) {
    const i = lines.findIndex((l, k) => l === t.bare && free(k));
    if (i >= 0) place(t, i);
  }
  // 2. Per gap between matched lines: the created lines it lost and the new task lines it gained.
  // Not `across` (`now` is another note than `after`'s): a place in one note means nothing in another.
  const gaps = new Map<number, Tie[]>();
  for (const t of opts.across ? [] : open()) {
    if (toNow.has(t.row)) continue;
    const k = lastBelow(pairs, t.row);
    gaps.set(k, [...(gaps.get(k) ?? []), t]);
  }
  for (const [k, lost] of gaps) {
    const from = k < 0 ? 0 : pairs[k]![1] + 1;
    const to = k + 1 < pairs.length ? pairs[k + 1]![1] : lines.length;
    const gained: number[] = [];
    for (let i = from; i < to; i++) if (free(i)) gained.push(i);
    if (gained.length === lost.length) lost.sort((a, b) => a.row - b.row).forEach((t, n) => place(t, gained[n]!));
  }
  // 3. By description, where exactly one created line and one new line have it.
  for (const t of open()) {
    if (open().filter((o) => o.description === t.description).length !== 1) continue;
    const hits = [...idless].flatMap(([i, d]) => (free(i) && d === t.description ? [i] : []));
    if (hits.length === 1) place(t, hits[0]!);
  }
  // 4. The unchanged ones, onto the new lines left.
  const left = [...idless.keys()].filter(free).sort((a, b) => a - b);
  for (const t of open()
    .filter((o) => !opts.across && unchanged(o.c.uuid))
    .sort((a, b) => a.row - b.row)) {
    const i = left.shift();
    if (i === undefined) break;
    place(t, i);
  }
  for (const t of ties) {
    const i = placed.get(t);
    if (i === undefined) {
      untied.push(t.c.uuid);
      continue;
    }
    // At the same place from the line's end (an edit before it moves it), else at the end.
    const l = lines[i]!;
    const tail = t.bare.slice(t.at);
    const at = l.endsWith(tail) ? l.length - tail.length : l.trimEnd().length;
    lines[i] = `${l.slice(0, at)} %#${t.c.id}%${l.slice(at)}`;
  }
  return { text: lines.join('\n'), untied };
}

/** The index of the last pair whose `after` row is below `row` (-1: none). */
function lastBelow(pairs: [number, number][], row: number): number {
  let k = -1;
  for (let i = 0; i < pairs.length && pairs[i]![0] < row; i++) k = i;
  return k;
}
