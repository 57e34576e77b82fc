/**
 * What a written buffer needs, without starting any process: ids for new task lines, and the
 * statuses parents derive from children that changed since the last sync. The host works it
 * out from the text BufWritePost hands it, applies it to the buffer as one undo step and
 * writes the file again (doc/design.md, the write path), then pushes.
 */
import { randomBytes } from 'node:crypto';
import { ID_LENGTH } from './ids.js';
import { ChangeSet } from '@codemirror/state';
import { extractObjects, lightTasks, patchFile, propagateStatuses, type LightTask, type TaskEdit } from '../graph/index.js';
import { parse, type Tree } from '../parser/index.js';
import type { TwTask } from './taskwarrior.js';
import type { TaskState } from './store.js';

/** What pre-write needs to know: every uuid in use, and the note's tasks as last synced. */
export interface KnownTasks {
  uuids: Iterable<string>;
  tasks: Record<string, TaskState>;
  /** Taskwarrior's versions of the note's tasks at the last sync (the shard's cache). */
  cache?: Record<string, TwTask>;
}

export interface Prewrite {
  changes: ChangeSet;
  newIds: string[];
  derived: { key: string; status: string }[];
  /** Every task's key, id, status and parent (the fast pass). */
  light: LightTask[];
}

/** `tree`: the text's parse when the caller has it (re-parsed incrementally from the last). */
export function prepareWrite(
  file: string,
  text: string,
  state: KnownTasks,
  opts: { propagate?: boolean; idLength?: number } = {},
  tree: Tree = parse(text),
): Prewrite {
  // The fast pass decides whether anything needs writing; most writes need nothing.
  const light = lightTasks(tree, file);
  const byId = new Map(Object.values(state.tasks).map((s) => [s.id, s]));
  const fresh = light.filter((t) => !t.id);
  const children = new Map<string, string[]>();
  const byKey = new Map(light.map((t) => [t.key, t]));
  for (const t of light) if (t.parent) (children.get(t.parent) ?? children.set(t.parent, []).get(t.parent)!).push(t.key);
  const view = { tasks: byKey, childrenOf: (k: string) => children.get(k) ?? [] };
  const changed = light.filter((t) => !t.id || byId.get(t.id)?.base.status !== t.status).map((t) => t.key);
  const derivedMap = (opts.propagate ?? true) ? propagateStatuses(view, changed, (k) => byKey.get(k)?.status) : new Map();
  if (fresh.length === 0 && derivedMap.size === 0) return { changes: ChangeSet.empty(text.length), newIds: [], derived: [], light };

  const objects = extractObjects(tree, file);
  // A new id is `len` hex digits: it collides with a uuid exactly when it is that uuid's first
  // `len` (a set of them, not a scan of every uuid per id: 2,000 new ids cost 370 ms that way).
  const len = opts.idLength ?? ID_LENGTH;
  const known = new Set<string>([...state.uuids, ...Object.keys(state.tasks)].map((u) => u.replace(/-/g, '').slice(0, len)));
  const usedIds = new Set(light.map((t) => t.id).filter(Boolean) as string[]);
  const freshId = (): string => {
    for (;;) {
      const id = randomBytes(Math.ceil(len / 2))
        .toString('hex')
        .slice(0, len);
      if (usedIds.has(id) || known.has(id)) continue;
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
  for (const t of fresh) {
    const id = freshId();
    edit(t.key).id = id;
    newIds.push(id);
  }
  const derived: Prewrite['derived'] = [];
  for (const [key, status] of derivedMap) {
    edit(key).status = status;
    derived.push({ key, status });
  }
  return { changes: patchFile(text, objects, [...edits.values()]).changes, newIds, derived, light };
}
