/**
 * What a buffer needs before it is written (BufWritePre), without starting any process:
 * ids for new task lines, and the statuses parents derive from children that changed since
 * the last sync. Edits made after the write would be lost by Neovim, so they are made here,
 * and the file on disk is complete.
 */
import { randomBytes } from 'node:crypto';
import { patchFile, propagateStatuses, WorkspaceGraph, type TaskEdit } from '../graph/index.js';
import type { ChangeSet } from '@codemirror/state';
import type { TaskState } from './store.js';

/** What pre-write needs to know: every uuid in use, and the note's tasks as last synced. */
export interface KnownTasks {
  uuids: Iterable<string>;
  tasks: Record<string, TaskState>;
}

export interface Prewrite {
  changes: ChangeSet;
  newIds: string[];
  derived: { key: string; status: string }[];
}

export function prepareWrite(file: string, text: string, state: KnownTasks, opts: { propagate?: boolean } = {}): Prewrite {
  const graph = new WorkspaceGraph({ propagate: false });
  graph.setFile(file, text);
  const objects = graph.objects(file)!;
  const known = new Set<string>([...state.uuids, ...Object.keys(state.tasks)].map((u) => u.replace(/-/g, '')));
  const usedIds = new Set(objects.tasks.map((t) => t.id).filter(Boolean) as string[]);
  const fresh = (): string => {
    for (;;) {
      const id = randomBytes(4).toString('hex');
      if (usedIds.has(id) || [...known].some((u) => u.startsWith(id))) continue;
      usedIds.add(id);
      return id;
    }
  };
  const edits = new Map<string, Extract<TaskEdit, { op: 'set' }>>();
  const edit = (key: string) => {
    let e = edits.get(key);
    if (!e) edits.set(key, (e = { op: 'set', key }));
    return e;
  };
  const newIds: string[] = [];
  for (const t of objects.tasks) {
    if (!t.id) {
      const id = fresh();
      edit(t.key).id = id;
      newIds.push(id);
    }
  }
  const derived: Prewrite['derived'] = [];
  if (opts.propagate ?? true) {
    const byId = new Map(Object.values(state.tasks).map((s) => [s.id, s]));
    const changed = objects.tasks.filter((t) => !t.id || byId.get(t.id)?.base.status !== t.status).map((t) => t.key);
    for (const [key, status] of propagateStatuses(graph, changed, (k) => graph.tasks.get(k)?.status)) {
      edit(key).status = status;
      derived.push({ key, status });
    }
  }
  return { changes: patchFile(text, objects, [...edits.values()]).changes, newIds, derived };
}
