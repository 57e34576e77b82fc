/**
 * The day's schedule (issue 16), pure: the note's text and the tasks in, the note with its
 * `|planager schedule` section regenerated out, with the placement and its reasons. The same
 * inputs give the same bytes (nothing here reads a clock or the disk).
 */
import type { ChangeSet } from '@codemirror/state';
import { parse } from '../../parser/index.js';
import { isoDay, type Day, type PlanError } from '../day.js';
import type { PlanTask } from '../tasks.js';
import { explain } from './explain.js';
import { readInputs } from './inputs.js';
import { place } from './place.js';
import { sectionLines, writeSection } from './render.js';
import type { Placement, ScheduleInput } from './types.js';

export interface ScheduleRequest {
  /** The day's note, relative to the workspace (links are relative to its folder). */
  file: string;
  text: string;
  day: Day;
  tasks: readonly PlanTask[];
  /** Tasks whose block the user deleted from this day: left out (plan/schedule/edits.ts). */
  removed?: ReadonlySet<string>;
}

export interface Scheduled {
  text: string;
  changes: ChangeSet;
  changed: boolean;
  input: ScheduleInput;
  placement: Placement;
  /** The --explain text. */
  explanation: string;
  warnings: string[];
}

const REMOVED = 'its block was deleted from this day (the task was unscheduled); schedule it for this day again to have it placed';

export function schedule(req: ScheduleRequest): Scheduled | PlanError {
  const read = readInputs(parse(req.text), req.day, req.tasks, req.removed);
  if ('code' in read) return read;
  const placed = place(read.input);
  const placement = {
    ...placed,
    unplaced: [...placed.unplaced, ...read.removed.map((t) => ({ uuid: t.uuid, id: t.id, description: t.description, reason: REMOVED }))],
  };
  const byUuid = new Map(req.tasks.map((t) => [t.uuid, t]));
  const w = writeSection(req.text, read.section, sectionLines(placement.blocks, read.kept, byUuid, req.file));
  return {
    text: w.text,
    changes: w.changes,
    changed: w.text !== req.text,
    input: read.input,
    placement,
    explanation: explain(isoDay(req.day), read.input, placement, read.warnings),
    warnings: read.warnings,
  };
}

export { place } from './place.js';
export { freeTime } from './ranks.js';
export { byUrgency } from './urgency.js';
export { parseDuration, parseSpan, showSpan, clock, type Span } from './time.js';
export { parseFrame, estimateOf, DEFAULT_PARAMS } from './frame.js';
export { parseBlockLine, blockLine } from './blockline.js';
export { blockEdits, dayRecord, recordKey, sectionOf, type BlockEdits, type DayRecord, type TaskWrite } from './edits.js';
export type { Block, Candidate, FixedEvent, Frame, PinnedBlock, Placement, ScheduleInput, Unplaced } from './types.js';
