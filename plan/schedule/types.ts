/**
 * The values passed between the schedule's phases: inputs read from the note and the tasks
 * (inputs.ts), the placement (place.ts), then the section's text (render.ts) and the reasons
 * (explain.ts). Times are minutes since local midnight (time.ts).
 */
import type { Span } from './time.js';

export interface Frame {
  /** Working hours: no block outside them. */
  hours: Span;
  breaks: Span[];
  /** Minutes a task without an estimate takes. */
  defaultEstimate: number;
}

export interface FixedEvent extends Span {
  description: string;
}

/** A block the user placed (changed its times, or wrote it): kept where it is. */
export interface PinnedBlock extends Span {
  uuid: string | null;
  /** The task's short id, or null for a block of the user's own. */
  id: string | null;
  description: string;
  /** The line as the user wrote it, written back as it is when no task stands behind it, or it is done. */
  raw: string;
  /** Marked done `(x)` in the note. */
  done?: boolean;
  /** Uuids of the tasks its task depends on: those placed today must end before it starts. */
  after?: string[];
}

/** A task to place today, with everything the placement and the reasons need. */
export interface Candidate {
  uuid: string;
  id: string;
  description: string;
  /** Minutes it takes; null when its estimate cannot be read (`estimateText` says why). */
  minutes: number | null;
  /** `1h30 (estimate UDA)`, `30m (default)`, or the unreadable estimate. */
  estimateText: string;
  due: Date | null;
  priority: string | null;
  /** Status `(!)`: ranks above every priority. */
  urgent: boolean;
  entry: Date | null;
  /** Not before this minute (its scheduled time today), with the reason. */
  earliest: { at: number; why: string } | null;
  /** Uuids of the tasks it depends on that are candidates or pinned today. */
  after: string[];
  /** Why it cannot be placed whatever the day holds (blocked by a task not planned today, …). */
  blocked: string | null;
}

export interface ScheduleInput {
  frame: Frame;
  fixed: FixedEvent[];
  pinned: PinnedBlock[];
  candidates: Candidate[];
}

export interface Block extends Span {
  uuid: string | null;
  id: string | null;
  description: string;
  pinned: boolean;
  fixed: boolean;
  /** Why it is where it is (explain). */
  why: string[];
  /** A pinned block's own line, for a block no task stands behind (or one marked done). */
  raw?: string;
  done?: boolean;
}

export interface Unplaced {
  uuid: string;
  id: string;
  description: string;
  reason: string;
}

export interface Placement {
  /** By start time. */
  blocks: Block[];
  /** In urgency order. */
  unplaced: Unplaced[];
}
