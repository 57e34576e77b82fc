/**
 * The tasks a plan is made of, as values: what Taskwarrior says about each (the caller maps
 * its export), joined here with the note line that is its home, if any.
 */
import type { NoteOutline } from '../graph/index.js';
import type { TaskStatus } from '../parser/index.js';

export interface Home {
  file: string;
  /** 1-based line of the task in its note. */
  line: number;
  headingPath: string[];
  /** Level of the innermost heading (for a link Neorg follows), null under no heading. */
  headingLevel: number | null;
}

export interface PlanTask {
  uuid: string;
  /** Its short id: the shortest prefix of the uuid's hex digits (8 at least) no other task shares. */
  id: string;
  description: string;
  /** The norg status (sync/mapping.ts `fromTw`). */
  status: TaskStatus;
  /** Taskwarrior's `waiting` (hidden until its wait date). */
  waiting: boolean;
  priority: string | null;
  due: Date | null;
  scheduled: Date | null;
  end: Date | null;
  depends: string[];
  project: string | null;
  home: Home | null;
  /** Taskwarrior tags (the schedule reads `estimate_1h30`); absent where a caller has none. */
  tags?: string[];
  /** When the task was entered (the schedule's age order). */
  entry?: Date | null;
  /** The `estimate` UDA as Taskwarrior exports it (a duration, e.g. `PT1H30M`), if any. */
  estimate?: string | null;
}

export function hexOf(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}

/** `hexOf(uuid).slice(0, 8)`, without the whole hex where the first 8 digits come before any dash (a uuid's do). */
function prefixOf(uuid: string): string {
  const dash = uuid.indexOf('-');
  return dash < 0 || dash >= 8 ? uuid.slice(0, 8).toLowerCase() : hexOf(uuid).slice(0, 8);
}

interface Entry<T> {
  uuid: string;
  task: T;
  /** The whole hex, made when a lookup needs more than the first 8 digits. */
  hex: string | null;
}

const hexOfEntry = (e: Entry<unknown>) => (e.hex ??= hexOf(e.uuid));

/**
 * Uuids by their first 8 digits, one entry per hex (the last task of a uuid listed twice):
 * only uuids that share those digits are ever compared further, so a set of 10,000 costs a
 * slice of each, not its whole hex. A prefix no other uuid shares (nearly all of them) holds
 * its task itself: an entry and a list for each of 10,000 tasks were garbage to collect.
 */
type Bucket<T> = T | Entry<T>[];

const isList = <T>(b: Bucket<T>): b is Entry<T>[] => Array.isArray(b);

function bucketsOf<T extends { uuid: string }>(tasks: readonly T[]): Map<string, Bucket<T>> {
  const out = new Map<string, Bucket<T>>();
  for (const task of tasks) {
    const k = prefixOf(task.uuid);
    const b = out.get(k);
    if (b === undefined) {
      out.set(k, task);
      continue;
    }
    const hex = hexOf(task.uuid);
    if (!isList(b)) {
      if (hexOf(b.uuid) === hex) out.set(k, task);
      else
        out.set(k, [
          { uuid: b.uuid, task: b, hex: hexOf(b.uuid) },
          { uuid: task.uuid, task, hex },
        ]);
      continue;
    }
    const same = b.find((e) => hexOfEntry(e) === hex);
    if (same) same.task = task;
    else b.push({ uuid: task.uuid, task, hex });
  }
  return out;
}

/** Short ids for a set of uuids: 8 digits, more where two share a longer prefix. */
export function shortIds(uuids: readonly string[]): Map<string, string> {
  // A prefix only one uuid has is that uuid alone, not a list (10,000 lists to collect).
  const buckets = new Map<string, string | string[]>();
  for (const u of uuids) {
    const k = prefixOf(u);
    const list = buckets.get(k);
    if (list === undefined) buckets.set(k, u);
    else if (typeof list === 'string') buckets.set(k, [list, u]);
    else list.push(u);
  }
  const lcp = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const out = new Map<string, string>();
  for (const [k, list] of buckets) {
    if (typeof list === 'string') {
      out.set(list, k);
      continue;
    }
    const hexes = list.map(hexOf);
    for (const [i, h] of hexes.entries()) {
      let n = 0;
      for (const [j, o] of hexes.entries()) if (j !== i) n = Math.max(n, lcp(h, o));
      out.set(list[i]!, h.slice(0, Math.min(32, Math.max(8, n + 1))));
    }
  }
  return out;
}

/** What finds a task by an id written in a note: a TaskIndex, or one that makes its values when first found (cli/notes.ts). */
export interface TaskLookup<T = PlanTask> {
  find(id: string): T | null;
}

/** Finds the task an id written in a note (a uuid prefix) stands for (any value with a uuid: a plan's tasks, an export's). */
export class TaskIndex<T extends { uuid: string } = PlanTask> implements TaskLookup<T> {
  /**
   * By the first 8 digits, the length of every id Planager writes (shortIds): a lookup is one
   * map hit and a look at the few tasks there, instead of a search of every uuid (at 10,000
   * tasks a plan looks up as many ids, and the search was a tenth of its time).
   */
  private readonly buckets: Map<string, Bucket<T>>;
  private byHex: Map<string, T> | null = null;
  private sorted: [string, T][] | null = null;

  constructor(readonly tasks: readonly T[]) {
    this.buckets = bucketsOf(tasks);
  }

  /** The task whose uuid starts with `id` (an ambiguous or unknown id finds none). */
  find(id: string): T | null {
    if (id.length < 8) return this.findShort(id);
    const list = this.buckets.get(id.slice(0, 8));
    if (list === undefined) return null;
    if (!isList(list)) return id.length === 8 || hexOf(list.uuid).startsWith(id) ? list : null;
    // A uuid that is the id itself wins over longer ones it is a prefix of.
    let hit: T | null = null;
    let hits = 0;
    for (const e of list) {
      const h = hexOfEntry(e);
      if (h === id) return e.task;
      if (h.startsWith(id)) (hit = e.task), hits++;
    }
    return hits === 1 ? hit : null;
  }

  /** An id shorter than 8 digits (written by hand): a search of the sorted uuids. */
  private findShort(id: string): T | null {
    this.byHex ??= new Map(this.tasks.map((t) => [hexOf(t.uuid), t]));
    const exact = this.byHex.get(id);
    if (exact) return exact;
    this.sorted ??= [...this.byHex.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]![0] < id) lo = mid + 1;
      else hi = mid;
    }
    const first = this.sorted[lo];
    if (!first || !first[0].startsWith(id)) return null;
    const next = this.sorted[lo + 1];
    return next && next[0].startsWith(id) ? null : first[1];
  }
}

/**
 * What a home is found by in one note: each task line with an id, in note order, as
 * `[id, line, heading]` (an index into `headings`), and each distinct heading path of those
 * lines with the level of the project heading at that path (null: none). A plan needs only this
 * of every note but its own (cli/parsecache.ts keeps it apart from the rest of the outline, so
 * that a plan from the shell reads 10,000 small tuples instead of 10,000 task objects).
 */
export interface HomeLines {
  file: string;
  lines: readonly (readonly [id: string, line: number, heading: number])[];
  headings: readonly (readonly [path: readonly string[], level: number | null])[];
}

export function homeLinesOf(n: NoteOutline): HomeLines {
  const lines: [string, number, number][] = [];
  const headings: [string[], number | null][] = [];
  const at = new Map<string, number>();
  for (const t of n.tasks) {
    if (!t.id) continue;
    const key = JSON.stringify(t.headingPath);
    let h = at.get(key);
    if (h === undefined) {
      const p =
        t.headingPath.length > 0 ? n.projects.find((q) => q.path.length === t.headingPath.length && q.path.every((x, i) => x === t.headingPath[i])) : undefined;
      at.set(key, (h = headings.length));
      headings.push([t.headingPath, p ? p.level : null]);
    }
    lines.push([t.id, t.line, h]);
  }
  return { file: n.file, lines, headings };
}

/**
 * Each task's home: a note line whose id names the task. With the same id in two notes (a copy
 * the sync has not split yet) the first note in `notes` order is the home.
 */
export function homesOf(tasks: readonly PlanTask[], notes: readonly NoteOutline[], index = new TaskIndex(tasks)): Map<string, Home> {
  return homesFrom(notes.map(homeLinesOf), index);
}

/** `homesOf` from the notes' home lines (`homeLinesOf`), by uuid. */
export function homesFrom<T extends { uuid: string }>(notes: readonly HomeLines[], index: TaskLookup<T>): Map<string, Home> {
  const homes = new Map<string, Home>();
  for (const n of notes) {
    // Indexed, not destructured: a destructured tuple goes through the array iterator, and
    // before the loop is optimised that was most of its time.
    const lines = n.lines;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      const task = index.find(l[0]);
      if (!task || homes.has(task.uuid)) continue;
      const h = n.headings[l[2]]!;
      homes.set(task.uuid, { file: n.file, line: l[1], headingPath: h[0] as string[], headingLevel: h[1] });
    }
  }
  return homes;
}

/** The tasks with their homes (homesOf), as new values. */
export function withHomes(tasks: readonly PlanTask[], notes: readonly NoteOutline[]): PlanTask[] {
  const homes = homesOf(tasks, notes);
  return tasks.map((t) => ({ ...t, home: homes.get(t.uuid) ?? null }));
}
