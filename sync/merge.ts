/**
 * The merge rule: one task, three versions (what the note says, the base both sides agreed on
 * at the last sync, what Taskwarrior holds), per field. Pure: no I/O, no clock, no `task`.
 *
 * - A field changed on one side only takes that side.
 * - Changed on both to different values: the newer change wins, compared at one-second
 *   resolution (Taskwarrior's `modified` has no finer one); a tie goes to Taskwarrior, whose
 *   edit is usually the later one when both fall in the same second (a `task` run right after
 *   a save). The losing value is reported as a conflict, and the caller logs it.
 * - Values are compared in the note's terms: `view` says what the note would show for a
 *   Taskwarrior value (a description with a line break shows flattened). When the note shows
 *   exactly that, the field is unchanged on the note side and Taskwarrior keeps its own value.
 * - `depends`: the note expresses only subtasks and links. Taskwarrior keeps every dependency
 *   the note never expressed; one the note expressed at the base and no longer does is removed.
 *   The base records what the note expressed.
 * - `project`: a Taskwarrior project no note heading is home to cannot be shown in a note, so it
 *   is kept in Taskwarrior as it is (the line stays where it is), until the note itself moves the
 *   line under another heading. A one-note sync has not read every note's headings (a note no
 *   sync parsed yet, or one changed since): its "no home" is not final, so the Taskwarrior change
 *   is deferred as for a one-direction sync, to be merged again by a sync that reads them all
 *   (seed 700007: a push of a plan note found no home, marked the change merged, and the full
 *   sync that knew the heading never looked at the task again).
 * - A one-direction sync (pull or push) defers the other direction's winner: neither side is
 *   overwritten with it and the base keeps its old value, so the next sync the other way sends it.
 * - `due` of a task that recurs in Taskwarrior (`twNeedsDue`): `task import` refuses such a task
 *   without a due, and with it the whole import (harness round3-f5). A note's removal of the due
 *   cannot be carried out, so it loses to Taskwarrior's value, which the line shows again; the
 *   removed value is in `held` for the caller to log and warn about (harness round5-a1).
 */
import { FIELD_NAMES, sameValue, type Fields } from './mapping.js';

export type Direction = 'both' | 'pull' | 'push';

export interface Sides {
  note: Fields;
  base: Fields | null;
  /** Null: the task is new (only the note has it). */
  tw: Fields | null;
  /** The note's edit time and Taskwarrior's `modified`, in ms since the epoch. */
  noteTime: number;
  twTime: number;
  /** Taskwarrior's task recurs (a template or an instance): it cannot be without a due. */
  twNeedsDue?: boolean;
}

export interface MergeRules {
  direction: Direction;
  /** Whether some note has a heading for this project. */
  hasHome(project: string | null): boolean;
  /** Whether `hasHome` knows every note's headings (false on a one-note sync; default true). */
  allHeadings?: boolean;
  /** What the note shows for a value of `field` (identity for most fields). */
  view(field: keyof Fields, value: unknown): unknown;
}

export interface FieldConflict {
  field: keyof Fields;
  note: unknown;
  taskwarrior: unknown;
  winner: 'note' | 'taskwarrior';
}

/** A note value Taskwarrior cannot hold: the other value stays on both sides. */
export interface HeldValue {
  field: keyof Fields;
  note: unknown;
  kept: unknown;
  why: string;
}

export const NEEDS_DUE = 'a recurring task needs a due date';

export interface Merged {
  /** What the note should say after this sync. */
  merged: Fields;
  /** What Taskwarrior should hold (differs from `merged` where the note cannot show a value). */
  forTw: Fields;
  /** The base to record. */
  newBase: Fields;
  conflicts: FieldConflict[];
  /** Note values the merge could not carry out (their line is given the kept value). */
  held: HeldValue[];
  /** A note change this one-direction sync left for the next push. */
  deferredNote: boolean;
  /** A Taskwarrior change this one-direction sync left for the next pull. */
  deferredTw: boolean;
}

/** The winner of a true conflict, at Taskwarrior's one-second resolution; ties go to Taskwarrior. */
export function newerSide(noteTime: number, twTime: number): 'note' | 'taskwarrior' {
  return Math.floor(noteTime / 1000) > Math.floor(twTime / 1000) ? 'note' : 'taskwarrior';
}

export function mergeTask(s: Sides, rules: MergeRules): Merged {
  const out: Merged = { merged: { ...s.note }, forTw: { ...s.note }, newBase: { ...s.note }, conflicts: [], held: [], deferredNote: false, deferredTw: false };
  if (!s.tw) return out;
  for (const f of FIELD_NAMES) mergeField(f, s, rules, out);
  return out;
}

function put(out: Merged, f: keyof Fields, merged: unknown, forTw: unknown, base: unknown): void {
  (out.merged as unknown as Record<string, unknown>)[f] = merged;
  (out.forTw as unknown as Record<string, unknown>)[f] = forTw;
  (out.newBase as unknown as Record<string, unknown>)[f] = base;
}

function mergeField(f: keyof Fields, s: Sides, rules: MergeRules, out: Merged): void {
  const tw = s.tw!;
  const nv = s.note[f];
  const tv = tw[f];
  if (f === 'depends') return mergeDepends(s, rules, out);
  const shown = rules.view(f, tv);
  // The note shows Taskwarrior's value as well as it can: nothing to send either way.
  if (sameValue(nv, shown)) return put(out, f, nv, tv, tv);
  const bv = s.base ? s.base[f] : undefined;
  const nChanged = s.base ? !sameValue(nv, rules.view(f, bv)) : true;
  const tChanged = s.base ? !sameValue(tv, bv) : true;
  let take: 'note' | 'taskwarrior';
  if (nChanged && !tChanged) take = 'note';
  else if (tChanged && !nChanged) take = 'taskwarrior';
  else {
    take = newerSide(s.noteTime, s.twTime);
    out.conflicts.push({ field: f, note: nv, taskwarrior: tv, winner: take });
  }
  if (take === 'note' && f === 'due' && nv === null && tv !== null && s.twNeedsDue) {
    take = 'taskwarrior';
    out.held.push({ field: f, note: nv, kept: tv, why: NEEDS_DUE });
    const c = out.conflicts.find((x) => x.field === f);
    if (c) c.winner = take;
  }
  if (f === 'project' && take === 'taskwarrior' && !rules.hasHome(tv as string | null)) {
    // No heading can show it: Taskwarrior keeps it, the line stays, the base remembers the note's.
    // Unless a note this sync did not read may have that heading: then the change waits.
    if (rules.allHeadings === false) out.deferredTw = true;
    return put(out, f, nv, tv, nChanged ? nv : bv);
  }
  const d = rules.direction;
  if ((d === 'pull' && take === 'note') || (d === 'push' && take === 'taskwarrior')) {
    if (d === 'pull') out.deferredNote = true;
    else out.deferredTw = true;
    return put(out, f, nv, tv, s.base ? bv : d === 'pull' ? tv : nv);
  }
  const v = take === 'note' ? nv : tv;
  put(out, f, v, v, v);
}

/** The note's subtasks and links, plus what Taskwarrior holds that the note never expressed. */
function mergeDepends(s: Sides, rules: MergeRules, out: Merged): void {
  const note = s.note.depends;
  const tw = s.tw!.depends;
  const forTw = dependsForTw(note, s.base?.depends ?? [], tw);
  if (rules.direction === 'pull' && !sameValue(forTw, [...tw].sort())) {
    // A pull sends nothing, so what the note's nesting or links changed waits for the next push,
    // against the base it had. Taken as the base, it was in step with no push left to make, and
    // Taskwarrior never got the dependency (harness seed 1000743: a line nested, then a pull).
    out.deferredNote = true;
    return put(out, 'depends', note, tw, s.base ? s.base.depends : tw);
  }
  put(out, 'depends', note, forTw, note);
}

/** Taskwarrior's depends for what the note expresses now: the note's, plus Taskwarrior's own that the note never expressed. */
export function dependsForTw(note: string[], base: string[], tw: string[]): string[] {
  const expressed = new Set(base);
  const own = new Set(note);
  return [...note, ...tw.filter((u) => !expressed.has(u) && !own.has(u))].sort();
}
