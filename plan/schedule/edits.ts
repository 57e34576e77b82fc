/**
 * Editing the schedule is editing its tasks (issue 16). Pure: the section's lines as the user
 * left them, what the last run wrote there (the day's record, which the caller keeps in
 * `.planager/schedule.json`), and the tasks in; what to change in Taskwarrior out.
 *
 * - A block moved (pinned, with a task): the task is scheduled at the block's start that day,
 *   unless Taskwarrior already says so. Only a move does this: a block Planager placed is a
 *   suggestion, not the user's word.
 * - A block marked done `(x)`: its task is done. The mark taken off again (the record says the
 *   block was done here, the task is still completed): the task is pending again.
 * - A block deleted (the record names its task, no line does now): the task is unscheduled
 *   when Taskwarrior has it scheduled that day, and it stays out of that day's schedule until
 *   it is scheduled that day again (`task ID modify scheduled:…`) — else the next run would
 *   place it again at once.
 * - The whole section gone, or no record for the day: nothing (there is nothing to compare).
 *
 * A rule acts on what changed in the note since the last run (a moved block whose move was
 * already sent does not undo a `scheduled` changed in Taskwarrior since), and on Taskwarrior's
 * state, so nothing is written twice; the caller saves the record only when every write went
 * through, so that a failed one is made again by the next run.
 */
import { parse } from '../../parser/index.js';
import { isoDay, type Day } from '../day.js';
import type { PlanTask } from '../tasks.js';
import { parseBlockLine } from './blockline.js';
import { contentLines, findScheduleTags } from './note.js';

/** What the last run left in a day's section: its tasks' blocks, and the tasks left out. */
export interface DayRecord {
  /** Uuid → whether its block was marked done, and where it started. */
  blocks: Record<string, { done: boolean; start: number }>;
  removed: string[];
}

export type TaskWrite =
  | { uuid: string; kind: 'schedule'; at: Date }
  | { uuid: string; kind: 'unschedule' }
  | { uuid: string; kind: 'done' }
  | { uuid: string; kind: 'reopen' };

export interface EditInput {
  day: Day;
  /** The section's lines (null: the note has no schedule section). */
  lines: readonly string[] | null;
  record: DayRecord | null;
  tasks: readonly PlanTask[];
  /** The task a block's id names. */
  uuidOf(id: string): string | null;
}

export interface BlockEdits {
  writes: TaskWrite[];
  /** The tasks to leave out of this day's schedule. */
  removed: string[];
}

interface SeenBlock {
  uuid: string;
  done: boolean;
  start: number;
  /** Whether the user set its times (pinned), not Planager. */
  pinned: boolean;
}

function seenBlocks(lines: readonly string[], uuidOf: (id: string) => string | null): Map<string, SeenBlock> {
  const out = new Map<string, SeenBlock>();
  for (const l of lines) {
    const b = parseBlockLine(l);
    if (b === null || b.kind === 'bad' || b.id === null) continue;
    const uuid = uuidOf(b.id);
    if (!uuid || out.has(uuid)) continue;
    out.set(uuid, { uuid, done: b.kind === 'pinned' && b.done, start: b.span.start, pinned: b.kind === 'pinned' });
  }
  return out;
}

const at = (day: Day, minutes: number) => new Date(day.y, day.m - 1, day.d, Math.floor(minutes / 60), minutes % 60);
const onDay = (d: Date | null, day: Day) => d !== null && d.getFullYear() === day.y && d.getMonth() + 1 === day.m && d.getDate() === day.d;

export function blockEdits(i: EditInput): BlockEdits {
  const byUuid = new Map(i.tasks.map((t) => [t.uuid, t]));
  const kept = (i.record?.removed ?? []).filter((u) => byUuid.has(u) && !onDay(byUuid.get(u)!.scheduled, i.day));
  if (i.lines === null) return { writes: [], removed: kept };
  const seen = seenBlocks(i.lines, i.uuidOf);
  const writes: TaskWrite[] = [];
  for (const b of seen.values()) {
    const t = byUuid.get(b.uuid);
    if (!t) continue;
    // Only what changed in the note since the last run acts: a change made in Taskwarrior
    // since (a task reopened, scheduled elsewhere) is not undone by a block left as it was.
    const last = i.record?.blocks[b.uuid];
    const completed = t.status === 'done';
    if (b.done && !last?.done && !completed && t.status !== 'cancelled') writes.push({ uuid: b.uuid, kind: 'done' });
    if (!b.done && last?.done && completed) writes.push({ uuid: b.uuid, kind: 'reopen' });
    if (b.pinned && !b.done && b.start !== last?.start) {
      const when = at(i.day, b.start);
      if (t.scheduled?.getTime() !== when.getTime()) writes.push({ uuid: b.uuid, kind: 'schedule', at: when });
    }
  }
  const removed = new Set(kept.filter((u) => !seen.has(u)));
  for (const u of Object.keys(i.record?.blocks ?? {})) {
    const t = byUuid.get(u);
    if (!t || seen.has(u)) continue;
    removed.add(u);
    if (onDay(t.scheduled, i.day)) writes.push({ uuid: u, kind: 'unschedule' });
  }
  return { writes, removed: [...removed].sort() };
}

/** The record of what a run left in the section (its final lines). */
export function dayRecord(lines: readonly string[] | null, removed: readonly string[], uuidOf: (id: string) => string | null): DayRecord {
  const blocks: DayRecord['blocks'] = {};
  for (const b of seenBlocks(lines ?? [], uuidOf).values()) blocks[b.uuid] = { done: b.done, start: b.start };
  return { blocks, removed: [...removed] };
}

/** The key a day's record is kept under. */
export const recordKey = (day: Day) => isoDay(day);

/** The lines of a note's schedule section, or null when it has none. */
export function sectionOf(text: string | null): string[] | null {
  if (text === null) return null;
  const tree = parse(text);
  const tag = findScheduleTags(tree).tags.find((t) => t.name === 'schedule');
  return tag ? contentLines(text, tag, (p) => tree.lines.lineAt(p) + 1).map((l) => l.text) : null;
}
