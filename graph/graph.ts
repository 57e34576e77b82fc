/**
 * The workspace graph: files → projects and tasks, subtask nesting, links between tasks and
 * headings (within and across files), and derived values (a parent's status, a heading's
 * progress, whether a task is blocked).
 *
 * Incremental: updating a file diffs its objects by content hash against the previous ones,
 * marks dirty only the parents, headings and dependents of what changed, and recomputes along
 * those edges, stopping where a value comes out as it was (early cutoff). `counters` shows how
 * many nodes were visited and recomputed, so tests and benchmarks can check the bound.
 *
 * Dependency edges may form cycles across files; they are found when an edge is added,
 * reported once, and never followed in a loop (derivations read statuses, not other
 * derivations, along link edges; parent edges form a tree).
 */
import { parse, reparse, type TaskStatus, type TextChange, type Tree } from '../parser/index.js';
import { extractObjects, type FileObjects, type ProjectObject, type TaskObject } from './objects.js';
import { derivedStatus } from './status.js';

export interface GraphOptions {
  /** Derive a parent's status from its children (default true). */
  propagate?: boolean;
  /** Task keys hold the file (objects.ts `extractObjects`): the same id in two notes is two tasks. */
  keyByFile?: boolean;
  /**
   * Keep progress and blocked flags up to date and diff each update (default true). Sync
   * reads only the objects, parent edges and links, and on a first sync of 10,000 tasks this
   * upkeep was a quarter of loading the notes: it turns it off. Its updates then list every
   * old task as removed and every new one as added, and derive nothing; links still resolve.
   */
  derive?: boolean;
}

export interface Counters {
  /** Graph nodes looked at while recomputing. */
  visited: number;
  /** Derived values computed again. */
  recomputed: number;
}

export interface DerivedChange {
  key: string;
  field: 'status';
  from: TaskStatus;
  to: TaskStatus;
  /** The child whose change caused it. */
  cause: string;
}

export interface FileUpdate {
  file: string;
  added: TaskObject[];
  removed: TaskObject[];
  changed: { before: TaskObject; after: TaskObject }[];
  /** Status changes the graph derives (apply them as patches, then update the file again). */
  derived: DerivedChange[];
  /** Dependency cycles first seen in this update, as lists of task keys. */
  cycles: string[][];
  duplicateIds: FileObjects['duplicateIds'];
  counters: Counters;
}

interface FileState {
  tree: Tree;
  objects: FileObjects;
}

export class WorkspaceGraph {
  private readonly files = new Map<string, FileState>();
  readonly tasks = new Map<string, TaskObject>();
  private readonly children = new Map<string, Set<string>>();
  private readonly deps = new Map<string, string[]>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly projectsByFile = new Map<string, ProjectObject[]>();
  /** file → files it links to; and the reverse. The workspace index of cross-file links. */
  readonly linksTo = new Map<string, Set<string>>();
  readonly linkedFrom = new Map<string, Set<string>>();
  readonly blocked = new Map<string, boolean>();
  readonly progress = new Map<string, { done: number; total: number }>();
  private readonly reportedCycles = new Set<string>();
  readonly counters: Counters = { visited: 0, recomputed: 0 };
  private readonly propagate: boolean;
  private readonly derive: boolean;
  private readonly keyByFile: boolean;

  constructor(opts: GraphOptions = {}) {
    this.keyByFile = opts.keyByFile ?? false;
    this.propagate = opts.propagate ?? true;
    this.derive = opts.derive ?? true;
  }

  fileNames(): string[] {
    return [...this.files.keys()];
  }

  tree(file: string): Tree | undefined {
    return this.files.get(file)?.tree;
  }

  objects(file: string): FileObjects | undefined {
    return this.files.get(file)?.objects;
  }

  childrenOf(key: string): string[] {
    return [...(this.children.get(key) ?? [])];
  }

  /** Tasks this task depends on: its subtasks and what its text links to. */
  dependencies(key: string): string[] {
    return [...this.childrenOf(key), ...(this.deps.get(key) ?? [])];
  }

  /** Add or replace a file. With `change`, the previous tree is re-parsed incrementally. */
  setFile(file: string, text: string, change?: TextChange): FileUpdate {
    const before = this.files.get(file);
    const tree =
      before && change && before.tree.text.length - (change.to - change.from) + change.insert.length === text.length
        ? reparse(before.tree, change)
        : parse(text);
    return this.setTree(file, tree);
  }

  setTree(file: string, tree: Tree): FileUpdate {
    const counters: Counters = { visited: 0, recomputed: 0 };
    const before = this.files.get(file);
    const objects = extractObjects(tree, file, undefined, this.keyByFile);
    const oldTasks = before ? before.objects.tasks : [];
    if (!this.derive) {
      // Unindexing drops every old edge, so only tasks with links resolve again (and those
      // of files linking here, whose heading may have come or gone).
      for (const o of oldTasks) this.unindexTask(o);
      this.files.set(file, { tree, objects });
      this.projectsByFile.set(file, objects.projects);
      for (const t of objects.tasks) this.indexTask(t);
      this.updateFileLinks(file);
      const cycles: string[][] = [];
      const relink = objects.tasks.filter((t) => t.links.length > 0);
      for (const f of this.linkedFrom.get(file) ?? [])
        if (f !== file) for (const t of this.files.get(f)?.objects.tasks ?? []) if (t.links.length > 0) relink.push(t);
      for (const t of relink) cycles.push(...this.resolveDeps(t, counters));
      return { file, added: objects.tasks, removed: oldTasks, changed: [], derived: [], cycles, duplicateIds: objects.duplicateIds, counters };
    }
    const oldByKey = new Map(oldTasks.map((t) => [t.key, t]));
    const newByKey = new Map(objects.tasks.map((t) => [t.key, t]));
    const added: TaskObject[] = [];
    const removed: TaskObject[] = [];
    const changed: { before: TaskObject; after: TaskObject }[] = [];
    for (const t of objects.tasks) {
      const o = oldByKey.get(t.key);
      if (!o) added.push(t);
      else if (o.hash !== t.hash) changed.push({ before: o, after: t });
    }
    for (const o of oldTasks) if (!newByKey.has(o.key)) removed.push(o);

    // Unindex the old objects of this file, index the new ones.
    for (const o of oldTasks) this.unindexTask(o);
    this.files.set(file, { tree, objects });
    this.projectsByFile.set(file, objects.projects);
    for (const t of objects.tasks) this.indexTask(t);

    // Links: tasks whose text changed re-resolve theirs; so do tasks in files linking here,
    // since a heading they point at may have appeared or gone.
    const relink = new Set<string>([...added, ...changed.map((c) => c.after)].map((t) => t.key));
    const linkingFiles = this.linkedFrom.get(file);
    const headingsChanged = !before || before.objects.projects.map((p) => p.key).join('\n') !== objects.projects.map((p) => p.key).join('\n');
    if (headingsChanged && linkingFiles) {
      for (const f of linkingFiles) for (const t of this.files.get(f)?.objects.tasks ?? []) if (t.links.length > 0) relink.add(t.key);
    }
    if (headingsChanged) for (const t of objects.tasks) if (t.links.length > 0) relink.add(t.key);
    this.updateFileLinks(file);
    const cycles: string[][] = [];
    for (const k of relink) {
      const t = this.tasks.get(k);
      if (t) cycles.push(...this.resolveDeps(t, counters));
    }

    // Dirty set: parents of what changed status or appeared/disappeared, headings, dependents.
    const statusChanged: string[] = [];
    for (const t of added) statusChanged.push(t.key);
    for (const c of changed) if (c.before.status !== c.after.status || c.before.parent !== c.after.parent) statusChanged.push(c.after.key);
    const derived: DerivedChange[] = [];
    const parentsToCheck = new Set<string>();
    for (const k of statusChanged) {
      const t = this.tasks.get(k)!;
      if (t.parent) parentsToCheck.add(t.parent);
    }
    for (const o of removed) if (o.parent && this.tasks.has(o.parent)) parentsToCheck.add(o.parent);
    for (const c of changed) if (c.before.parent && c.before.parent !== c.after.parent && this.tasks.has(c.before.parent)) parentsToCheck.add(c.before.parent);
    if (this.propagate) this.propagateStatus(parentsToCheck, derived, counters, statusChanged[0] ?? removed[0]?.key ?? '');

    // Headings' progress and dependents' blocked flags, with early cutoff.
    const touched = [...added, ...changed.map((c) => c.after), ...removed];
    const headingKeys = new Set(touched.map((t) => `${t.file}#${t.headingPath.join('/')}`));
    this.recomputeProgress(file, headingKeys, counters);
    for (const t of touched) {
      for (const d of this.dependents.get(t.key) ?? []) {
        counters.visited++;
        this.recomputeBlocked(d, counters);
      }
      if (this.tasks.has(t.key)) this.recomputeBlocked(t.key, counters);
    }
    this.counters.visited += counters.visited;
    this.counters.recomputed += counters.recomputed;
    return { file, added, removed, changed, derived, cycles, duplicateIds: objects.duplicateIds, counters };
  }

  removeFile(file: string): FileUpdate {
    return this.setTree(file, parse(''));
  }

  private indexTask(t: TaskObject): void {
    this.tasks.set(t.key, t);
    if (t.parent) {
      let s = this.children.get(t.parent);
      if (!s) this.children.set(t.parent, (s = new Set()));
      s.add(t.key);
    }
  }

  private unindexTask(t: TaskObject): void {
    if (this.tasks.get(t.key) === t) this.tasks.delete(t.key);
    if (t.parent) this.children.get(t.parent)?.delete(t.key);
    for (const d of this.deps.get(t.key) ?? []) this.dependents.get(d)?.delete(t.key);
    this.deps.delete(t.key);
    this.blocked.delete(t.key);
  }

  private updateFileLinks(file: string): void {
    for (const target of this.linksTo.get(file) ?? []) this.linkedFrom.get(target)?.delete(file);
    const targets = new Set<string>();
    for (const t of this.files.get(file)?.objects.tasks ?? []) {
      for (const l of t.links) if (l.kind === 'file') targets.add(resolveFile(file, l.path));
    }
    this.linksTo.set(file, targets);
    for (const target of targets) {
      let s = this.linkedFrom.get(target);
      if (!s) this.linkedFrom.set(target, (s = new Set()));
      s.add(file);
    }
  }

  /** Resolve a task's links to task keys; returns newly found cycles. */
  private resolveDeps(t: TaskObject, counters: Counters): string[][] {
    for (const d of this.deps.get(t.key) ?? []) this.dependents.get(d)?.delete(t.key);
    const out = new Set<string>();
    for (const l of t.links) {
      counters.visited++;
      if (l.kind === 'heading') for (const k of this.headingTasks(t.file, l.text)) out.add(k);
      else if (l.kind === 'file') {
        const f = resolveFile(t.file, l.path);
        if (l.inner && l.inner.kind === 'heading') for (const k of this.headingTasks(f, l.inner.text)) out.add(k);
        else if (l.inner && l.inner.kind === 'generic') for (const k of this.namedTasks(f, l.inner.text)) out.add(k);
      } else if (l.kind === 'generic') for (const k of this.namedTasks(t.file, l.text)) out.add(k);
    }
    out.delete(t.key);
    const list = [...out];
    this.deps.set(t.key, list);
    for (const d of list) {
      let s = this.dependents.get(d);
      if (!s) this.dependents.set(d, (s = new Set()));
      s.add(t.key);
    }
    const cycles: string[][] = [];
    for (const d of list) {
      const path = this.findPath(d, t.key, counters);
      if (path) {
        const cycle = [t.key, ...path.slice(0, -1)];
        const id = [...cycle].sort().join(' ');
        if (!this.reportedCycles.has(id)) {
          this.reportedCycles.add(id);
          cycles.push(cycle);
        }
      }
    }
    return cycles;
  }

  /** A dependency path from `from` to `to`, if one exists (visits each node once). */
  private findPath(from: string, to: string, counters: Counters): string[] | null {
    const prev = new Map<string, string | null>([[from, null]]);
    const queue = [from];
    while (queue.length > 0) {
      const k = queue.shift()!;
      counters.visited++;
      if (k === to) {
        const path: string[] = [];
        for (let c: string | null = k; c !== null; c = prev.get(c) ?? null) path.unshift(c);
        return path;
      }
      for (const n of this.deps.get(k) ?? []) {
        if (!prev.has(n)) {
          prev.set(n, k);
          queue.push(n);
        }
      }
    }
    return null;
  }

  private headingTasks(file: string, title: string): string[] {
    const projects = this.projectsByFile.get(file) ?? [];
    const h = projects.find((p) => p.title === title);
    if (!h) return [];
    if (h.taskKey) return [h.taskKey];
    const tasks = this.files.get(file)?.objects.tasks ?? [];
    return tasks.filter((t) => t.parent === null && t.headingPath.join('/') === h.path.join('/')).map((t) => t.key);
  }

  private namedTasks(file: string, name: string): string[] {
    const inFile = (this.files.get(file)?.objects.tasks ?? []).filter((t) => t.description === name);
    if (inFile.length > 0) return inFile.map((t) => t.key);
    return this.headingTasks(file, name);
  }

  private status(key: string): TaskStatus | undefined {
    return this.tasks.get(key)?.status;
  }

  private propagateStatus(start: Set<string>, out: DerivedChange[], counters: Counters, cause: string): void {
    const effective = new Map<string, TaskStatus>();
    const queue = [...start];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const p = queue.shift()!;
      if (seen.has(p)) continue; // parent edges form a tree; this only guards bad input
      seen.add(p);
      counters.visited++;
      const parent = this.tasks.get(p);
      if (!parent) continue;
      const kids = [...(this.children.get(p) ?? [])].map((k) => effective.get(k) ?? this.status(k)!);
      counters.recomputed++;
      const d = derivedStatus(kids);
      const current = effective.get(p) ?? parent.status;
      if (d === null || d === current) continue; // early cutoff
      // Recurring and urgent parents keep their status: they mean something children can't say.
      if (current === 'recurring' || current === 'urgent' || current === 'cancelled') continue;
      effective.set(p, d);
      out.push({ key: p, field: 'status', from: current, to: d, cause });
      if (parent.parent) queue.push(parent.parent);
    }
  }

  /** Progress of the given headings of one file, in one pass over its tasks (not one per heading). */
  private recomputeProgress(file: string, headingKeys: Set<string>, counters: Counters): void {
    if (headingKeys.size === 0) return;
    const counts = new Map<string, { done: number; total: number }>();
    for (const h of headingKeys) {
      counters.visited++;
      counters.recomputed++;
      counts.set(h, { done: 0, total: 0 });
    }
    for (const t of this.files.get(file)?.objects.tasks ?? []) {
      if (t.status === 'cancelled') continue;
      const c = counts.get(`${file}#${t.headingPath.join('/')}`);
      if (!c) continue;
      c.total++;
      if (t.status === 'done') c.done++;
    }
    for (const [h, c] of counts) this.progress.set(h, c);
  }

  private recomputeBlocked(key: string, counters: Counters): void {
    counters.recomputed++;
    const deps = this.deps.get(key) ?? [];
    const b = deps.some((d) => {
      const s = this.status(d);
      return s !== undefined && s !== 'done' && s !== 'cancelled';
    });
    this.blocked.set(key, b);
  }
}

/** `{:other:}` from `dir/a.norg` → `dir/other.norg`; `$/x` is relative to the workspace root. */
export function resolveFile(from: string, path: string): string {
  let p = path.startsWith('$/') ? path.slice(2) : joinPath(dirOf(from), path);
  if (!p.endsWith('.norg')) p += '.norg';
  return normalize(p);
}

function dirOf(f: string): string {
  const i = f.lastIndexOf('/');
  return i < 0 ? '' : f.slice(0, i);
}

function joinPath(a: string, b: string): string {
  return a ? `${a}/${b}` : b;
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
