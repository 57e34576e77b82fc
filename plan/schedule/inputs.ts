/**
 * Reading a day's schedule inputs from its note and the tasks: the frame (the `|planager
 * schedule` tag's parameters), the fixed events (timed task lines `( |@ 14:00-15:00)` and the
 * items of `|planager fixed`), the pinned blocks of the last generation, and the candidates —
 * the open tasks the note shows (its mirrors and its own task lines) with their estimates.
 */
import { extractMirrors, extractTasks, type Tree } from '../../parser/index.js';
import { compareDays, dayOf, type Day, type PlanError } from '../day.js';
import { showDate } from '../mirror.js';
import { TaskIndex, type PlanTask } from '../tasks.js';
import { contentLines, findScheduleTags, timedItems, type TagAt } from './note.js';
import { parseBlockLine } from './blockline.js';
import { estimateOf, parseFrame } from './frame.js';
import { parseSpan } from './time.js';
import type { Candidate, FixedEvent, Frame, PinnedBlock, ScheduleInput } from './types.js';

export interface ReadInputs {
  input: ScheduleInput;
  /** The schedule section when the note has one (the first). */
  section: TagAt | null;
  /** Lines of the section that are no block: the user's, kept after the blocks. */
  kept: string[];
  /** Tasks that would be candidates but whose block the user deleted from this day (edits.ts). */
  removed: PlanTask[];
  warnings: string[];
}

const isOpen = (t: PlanTask) => t.status !== 'done' && t.status !== 'cancelled';
const inside = (pos: number, tags: readonly TagAt[]) => tags.some((g) => pos >= g.contentFrom && pos < g.endLineStart);

export function readInputs(tree: Tree, day: Day, tasks: readonly PlanTask[], removed: ReadonlySet<string> = new Set()): ReadInputs | PlanError {
  const text = tree.text;
  const { tags, warnings } = findScheduleTags(tree);
  const section = tags.find((t) => t.name === 'schedule') ?? null;
  for (const other of tags.filter((t) => t.name === 'schedule' && t !== section))
    warnings.push(`line ${other.line}: a second |planager schedule; only the first (line ${section!.line}) is generated, this one is left as it is`);
  const frame = parseFrame(section ? section.params : [], section ? section.line : 0);
  if ('code' in frame) return frame;
  const lineOf = (p: number) => tree.lines.lineAt(p) + 1;
  const index = new TaskIndex(tasks);
  const byUuid = new Map(tasks.map((t) => [t.uuid, t]));

  const fixed: FixedEvent[] = [];
  for (const g of tags.filter((t) => t.name === 'fixed')) {
    for (const l of contentLines(text, g, lineOf)) {
      const m = /^[ \t]*-+[ \t]+(\S+)[ \t]*(.*?)[ \t]*$/.exec(l.text);
      if (!m) continue;
      const s = parseSpan(m[1]);
      if (s) fixed.push({ ...s, description: m[2] });
      else warnings.push(`line ${l.line}: "${m[1]}" is not HH:MM-HH:MM; not a fixed event`);
    }
  }
  for (const t of timedItems(tree)) {
    const s = parseSpan(t.timestamp);
    if (s) fixed.push({ ...s, description: t.description });
    else warnings.push(`line ${t.line}: "@ ${t.timestamp}" is not HH:MM-HH:MM; not a fixed event`);
  }
  const shown: string[] = [];
  for (const t of extractTasks(tree)) {
    if (t.timestamp !== null) {
      const s = parseSpan(t.timestamp);
      if (s) fixed.push({ ...s, description: t.description });
      else warnings.push(`line ${t.line}: "@ ${t.timestamp}" is not HH:MM-HH:MM; not a fixed event`);
      continue;
    }
    if (inside(t.from, tags)) continue;
    const task = t.id ? index.find(t.id) : null;
    if (task) shown.push(task.uuid);
    else if (!t.id && isOpenStatus(t.status)) warnings.push(`line ${t.line}: "${t.description}" has no id yet (run planager sync); not scheduled`);
  }
  for (const m of extractMirrors(tree)) {
    if (inside(m.lineStart, tags)) continue;
    const task = index.find(m.id);
    if (task) shown.push(task.uuid);
  }

  const pinned: PinnedBlock[] = [];
  const kept: string[] = [];
  for (const l of section ? contentLines(text, section, lineOf) : []) {
    const b = parseBlockLine(l.text);
    if (b === null) {
      if (l.text.trim() !== '') kept.push(l.text);
      continue;
    }
    if (b.kind === 'bad') {
      warnings.push(`line ${l.line}: ${b.message}; kept as a note`);
      kept.push(l.text);
      continue;
    }
    if (b.kind === 'derived') continue; // placed anew
    const task = b.id ? index.find(b.id) : null;
    pinned.push({
      start: b.span.start,
      end: b.span.end,
      uuid: task?.uuid ?? null,
      id: task ? task.id : null,
      description: task ? task.description : b.text,
      raw: l.text,
      ...(b.done ? { done: true } : {}),
      after: task ? [...task.depends].sort() : [],
    });
  }

  const pinnedUuids = new Set(pinned.map((p) => p.uuid).filter((u): u is string => u !== null));
  const open = [...new Set(shown)].map((u) => byUuid.get(u)!).filter((t) => isOpen(t) && t.status !== 'onhold' && !t.waiting && !pinnedUuids.has(t.uuid));
  const chosen = open.filter((t) => !removed.has(t.uuid));
  const chosenUuids = new Set(chosen.map((t) => t.uuid));
  const candidates = chosen.map((t) => candidate(t, day, frame, byUuid, chosenUuids, pinnedUuids));
  return { input: { frame, fixed, pinned, candidates }, section, kept, removed: open.filter((t) => removed.has(t.uuid)), warnings };
}

const isOpenStatus = (s: string) => s !== 'done' && s !== 'cancelled';

function candidate(
  t: PlanTask,
  day: Day,
  frame: Frame,
  byUuid: ReadonlyMap<string, PlanTask>,
  chosen: ReadonlySet<string>,
  pinned: ReadonlySet<string>,
): Candidate {
  const est = estimateOf(t, frame.defaultEstimate);
  let blocked: string | null = null;
  let earliest: Candidate['earliest'] = null;
  if (t.scheduled) {
    const c = compareDays(dayOf(t.scheduled), day);
    if (c > 0) blocked = `it is scheduled for ${showDate(t.scheduled)}, after this day`;
    else if (c === 0 && (t.scheduled.getHours() !== 0 || t.scheduled.getMinutes() !== 0))
      earliest = { at: t.scheduled.getHours() * 60 + t.scheduled.getMinutes(), why: 'its scheduled time' };
  }
  const after: string[] = [];
  for (const d of t.depends) {
    const dep = byUuid.get(d);
    if (!dep || !isOpen(dep)) continue; // done, deleted or unknown: nothing to wait for
    if (chosen.has(d) || pinned.has(d)) after.push(d);
    else blocked ??= `it depends on "${dep.description}", which is open and not planned today`;
  }
  return {
    uuid: t.uuid,
    id: t.id,
    description: t.description,
    minutes: est.minutes,
    estimateText: est.text,
    due: t.due,
    priority: t.priority,
    urgent: t.status === 'urgent',
    entry: t.entry ?? null,
    earliest,
    after: after.sort(),
    blocked,
  };
}
