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

/**
 * Short ids for a set of uuids: 8 digits, more where two share a longer prefix. Only uuids
 * that share their first 8 digits need comparing (a sort of every uuid was most of the cost).
 */
export function shortIds(uuids: readonly string[]): Map<string, string> {
  const byPrefix = new Map<string, string[]>();
  const hexes = new Map<string, string>();
  for (const u of uuids) {
    const h = hexOf(u);
    hexes.set(u, h);
    const k = h.slice(0, 8);
    const list = byPrefix.get(k);
    if (list) list.push(h);
    else byPrefix.set(k, [h]);
  }
  const lcp = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const out = new Map<string, string>();
  for (const [u, h] of hexes) {
    let n = 0;
    let copies = 0;
    for (const o of byPrefix.get(h.slice(0, 8))!) {
      if (o === h) copies++;
      else n = Math.max(n, lcp(h, o));
    }
    // The same uuid twice (or spelt in two cases) shares every digit.
    if (copies > 1) n = 32;
    out.set(u, h.slice(0, Math.min(32, Math.max(8, n + 1))));
  }
  return out;
}

/** Finds the task an id written in a note (a uuid prefix) stands for. */
export class TaskIndex {
  private readonly byHex = new Map<string, PlanTask>();
  /**
   * By the first 8 digits, the length of every id Planager writes (shortIds): a lookup is one
   * map hit and a look at the few tasks there, instead of a search of every uuid (at 10,000
   * tasks a plan looks up as many ids, and the search was a tenth of its time).
   */
  private buckets: Map<string, [string, PlanTask][]> | null = null;

  constructor(readonly tasks: readonly PlanTask[]) {
    for (const t of tasks) this.byHex.set(hexOf(t.uuid), t);
  }

  /** The task whose uuid starts with `id` (an ambiguous or unknown id finds none). */
  find(id: string): PlanTask | null {
    const exact = this.byHex.get(id);
    if (exact) return exact;
    if (id.length < 8) return this.findShort(id);
    let hit: PlanTask | null = null;
    for (const [h, t] of this.bucketsByPrefix().get(id.slice(0, 8)) ?? []) {
      if (!h.startsWith(id)) continue;
      if (hit) return null;
      hit = t;
    }
    return hit;
  }

  private bucketsByPrefix(): Map<string, [string, PlanTask][]> {
    if (this.buckets) return this.buckets;
    const b = new Map<string, [string, PlanTask][]>();
    for (const [h, t] of this.byHex) {
      const k = h.slice(0, 8);
      const list = b.get(k);
      if (list) list.push([h, t]);
      else b.set(k, [[h, t]]);
    }
    return (this.buckets = b);
  }

  /** An id shorter than 8 digits (written by hand): a search of the sorted uuids. */
  private findShort(id: string): PlanTask | null {
    if (!this.sorted) this.sorted = [...this.byHex.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid][0] < id) lo = mid + 1;
      else hi = mid;
    }
    const first = this.sorted[lo];
    if (!first || !first[0].startsWith(id)) return null;
    const next = this.sorted[lo + 1];
    return next && next[0].startsWith(id) ? null : first[1];
  }

  private sorted: [string, PlanTask][] | null = null;
}

/**
 * The tasks with their homes: a note line whose id names the task. With the same id in two
 * notes (a copy the sync has not split yet) the first note in `notes` order is the home.
 */
export function withHomes(tasks: readonly PlanTask[], notes: readonly NoteOutline[]): PlanTask[] {
  const index = new TaskIndex(tasks);
  const homes = new Map<string, Home>();
  for (const n of notes) {
    for (const t of n.tasks) {
      if (!t.id) continue;
      const task = index.find(t.id);
      if (!task || homes.has(task.uuid)) continue;
      const p =
        t.headingPath.length > 0 ? n.projects.find((q) => q.path.length === t.headingPath.length && q.path.every((x, i) => x === t.headingPath[i])) : undefined;
      homes.set(task.uuid, { file: n.file, line: t.line, headingPath: t.headingPath, headingLevel: p ? p.level : null });
    }
  }
  return tasks.map((t) => ({ ...t, home: homes.get(t.uuid) ?? null }));
}
