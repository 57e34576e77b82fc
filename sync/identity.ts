/**
 * Identity: which Taskwarrior task each task line of the loaded notes is.
 *
 * Contract: every task line gets a uuid. A line's id is looked up in the state first, then as
 * a unique uuid prefix among the tasks known; an id nobody knows (written before its note's
 * first sync, or a lost state folder) becomes a new task whose uuid starts with it. The same id
 * in two notes: the note the state says held it keeps it, and the other line is a copy, with a
 * new task and a new id. A line with no id is a new task.
 */
import { randomUUID } from 'node:crypto';
import type { TaskObject } from '../graph/index.js';
import { ID_LENGTH, LazyUuids, uuidFromId } from './ids.js';
import type { Loaded } from './scope.js';
import type { Index } from './store.js';
import type { TwRead } from './twread.js';

export interface Identity {
  /** Task line (graph key) → uuid. */
  keyToUuid: Map<string, string>;
  /** Lines that are copies of another note's line: they get a new task and a new id. */
  copies: Set<string>;
  uuids: LazyUuids;
  /**
   * Uuids made from an id no task was found for (uuidFromId). After an incremental read of
   * Taskwarrior that may only mean the read did not cover the task (a line brought back by a
   * git merge on another device, for a task this device forgot): the engine then reads again
   * with a full export before creating anything (engine.ts).
   */
  minted: Set<string>;
  /** Uuids of the lines that hold an id (not copies, not new lines): tasks that exist somewhere. */
  held: Set<string>;
}

export function identify(loaded: Loaded, index: Index, tw: TwRead, warnings: string[], idLength = ID_LENGTH): Identity {
  const idToUuid = new Map<string, string>();
  for (const t of loaded.known.values()) idToUuid.set(t.id, t.uuid);
  // Built only when an id is not in the loaded state, or a new task needs an id.
  const uuids = new LazyUuids(() => [...tw.byUuid.keys(), ...loaded.known.keys(), ...Object.keys(index.where)], idLength);
  const uuidOf = (id: string): string | null => idToUuid.get(id) ?? single(uuids.get().withPrefix(id));
  const id: Identity = { keyToUuid: new Map(), copies: new Set(), uuids, minted: new Set(), held: new Set() };
  const owner = new Map<string, TaskObject>();
  const fresh: TaskObject[] = [];
  for (const file of loaded.notes.keys()) {
    for (const t of loaded.tasksOf(file)) {
      if (!t.id) {
        fresh.push(t);
        continue;
      }
      const known = uuidOf(t.id);
      const u = known ?? uuidFromId(t.id);
      if (!known) id.minted.add(u);
      const first = owner.get(u);
      if (!first) {
        owner.set(u, t);
        id.keyToUuid.set(t.key, u);
        id.held.add(u);
        uuids.add(u);
        continue;
      }
      // The same id in two notes: the note that had it keeps it; the other line is a copy.
      const keeper = index.where[u] === t.file ? t : first;
      const copy = keeper === t ? first : t;
      warnings.push(`${copy.file}:${copy.line}: task id ${t.id} is also in ${keeper.file}; this copy gets a new task and id`);
      id.copies.add(copy.key);
      fresh.push(copy);
      owner.set(u, keeper);
      id.keyToUuid.set(keeper.key, u);
    }
  }
  for (const t of fresh) {
    const u = randomUUID();
    uuids.add(u);
    id.keyToUuid.set(t.key, u);
  }
  for (const file of loaded.notes.keys()) {
    for (const d of loaded.graph.objects(file)?.duplicateIds ?? [])
      warnings.push(`${file}:${d.line}: duplicate task id ${d.id}: this copy gets a new id; line ${d.keptAt} keeps it`);
  }
  return id;
}

function single(list: string[]): string | null {
  return list.length === 1 ? list[0] : null;
}
