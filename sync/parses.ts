/**
 * Note parses handed from one step of a `planager sync --remote` run to the next, in its one
 * process: the merge of a note both sides changed parses this device's version (notemerge.ts),
 * the merge's log parses the same text again as "before" and the merged text as "after"
 * (cli/mergedriver.ts `logIncoming`), and the two-way sync then loads the merged text
 * (scope.ts). In issue 18's convergence run a third of the parses repeated one already made.
 *
 * Off unless a run turns it on (`keepParses`): the Neovim host and the other commands parse as
 * before, and nothing is held past the run. Keyed by the whole text (a parse depends on nothing
 * else), so a text changed in between is simply parsed again. `keep` holds a parse for a later
 * step; `take` hands it over and forgets it (each text has one later reader): the process
 * never holds more than the notes in flight. A parse and its tasks are shared, read only.
 */
import { extractTasks, parse, type TaskItem, type Tree } from '../parser/index.js';

interface Kept {
  tree: Tree;
  tasks?: TaskItem[];
}

let kept: Map<string, Kept> | null = null;

/** On for the rest of this run, or off (what is held is dropped). */
export function keepParses(on: boolean): void {
  kept = on ? (kept ?? new Map()) : null;
}

function entry(text: string, hold: boolean): Kept {
  const hit = kept?.get(text);
  if (hit) return hit;
  const e: Kept = { tree: parse(text) };
  if (hold) kept?.set(text, e);
  return e;
}

function tasksOf(e: Kept): TaskItem[] {
  return (e.tasks ??= extractTasks(e.tree));
}

/** The text's tasks, its parse kept for a later step (when on). */
export function keepTasks(text: string): TaskItem[] {
  return tasksOf(entry(text, true));
}

/** The text's tasks, a kept parse handed over (and forgotten), else parsed. */
export function takeTasks(text: string): TaskItem[] {
  const e = entry(text, false);
  kept?.delete(text);
  return tasksOf(e);
}

/** The text's parse, a kept one handed over (and forgotten), else parsed. */
export function takeParse(text: string): Tree {
  const e = entry(text, false);
  kept?.delete(text);
  return e.tree;
}
