/**
 * The notes mirrors bring into a sync (scope.ts calls these): the notes mirroring a task that
 * changed (their mirrors are rewritten), the homes of tasks whose mirror may hold an edit (for
 * their last known version, and in scope where it does, so the edit reaches the home line in
 * the same sync), and Taskwarrior's version of mirrored tasks no note holds.
 */
import { changedFields, type Shown, type ShownField } from '../plan/mirrorread.js';
import { LazyUuids } from './ids.js';
import { mirrorEdits, readNoteMirrors, shownOfTw, type MirrorEdit, type NoteMirrors } from './mirrors.js';
import type { NoteScan } from './notes.js';
import type { Loaded, ScopeInput } from './scope.js';
import type { Index } from './store.js';
import type { TwTask } from './taskwarrior.js';
import type { TwRead } from './twread.js';
import { storedByPrefix, storedVersions } from './undo.js';

/** Notes mirroring a task Taskwarrior changed or whose note changed: their mirrors are rewritten. */
export function mirroring(changed: Set<string>, scan: NoteScan, index: Index, files: string[] | null): Set<string> {
  const out = new Set<string>();
  // Viewports: a full sync fills them all when anything changed; a one-note sync, its own.
  if (changed.size > 0 || scan.changed.length > 0 || scan.removed.length > 0)
    for (const f of index.viewNotes ?? []) if (!scan.removed.includes(f) && (!files || files.includes(f))) out.add(f);
  const mirrored = Object.entries(index.mirrored ?? {});
  if (mirrored.length === 0) return out;
  const changedNotes = new Set([...scan.changed.map((n) => n.file), ...scan.removed]);
  for (const [f, uuids] of mirrored) {
    if (scan.removed.includes(f)) continue;
    if (uuids.some((u) => changed.has(u) || changedNotes.has(index.where[u] ?? ''))) out.add(f);
  }
  return out;
}

export interface MirrorScope {
  notes: NoteMirrors[];
  edits: Map<string, MirrorEdit>;
  tasks: Map<string, TwTask>;
  warnings: string[];
  /** Tasks whose mirrors are left as the user wrote them (an edit that cannot be sent now). */
  held: Set<string>;
  /** Notes holding an edit that waits for its task's home to be readable: not recorded as read. */
  waiting: Set<string>;
}

/**
 * The mirrors of the notes in scope and their edits. The homes of tasks whose mirror may hold
 * an edit are loaded (for their last known version) and, where it does, brought into scope:
 * the edit reaches the home line in this sync.
 */
export async function loadMirrors(
  input: ScopeInput,
  index: Index,
  tw: TwRead,
  loaded: Loaded,
  inScope: (f: string) => boolean,
  extra: Set<string>,
): Promise<MirrorScope> {
  const known = new LazyUuids(() => Object.keys(index.where));
  const notes: NoteMirrors[] = [];
  for (const [f, n] of loaded.notes) if (inScope(f) && n.text.includes('%@')) notes.push(readNoteMirrors(f, n.text, loaded.mirrorBases.get(f), known));
  const tasks = tasksOnlyInTaskwarrior(input, index, notes, tw);
  if (notes.length === 0) return { notes, edits: new Map(), tasks, warnings: [], held: new Set(), waiting: new Set() };
  for (const n of notes) {
    for (const [i, l] of n.lines.entries()) {
      const u = n.uuids[i];
      const base = u ? loaded.mirrorBases.get(n.file)?.[u] : undefined;
      const home = u ? index.where[u] : undefined;
      if (home && l.shown && (!base || changedFields(base.shown, l.shown).length > 0)) await loaded.load(home);
    }
  }
  // With no baseline, the mirror was written from the last version known or the current one:
  // only a value that is neither is an edit (the version that is neither is stood in by null).
  const current = (u: string): Shown | null => {
    const last = loaded.knownCache.get(u) ?? tasks.get(u);
    const now = tw.byUuid.get(u) ?? tasks.get(u);
    return last ? shownOfTw(last, input.priorities) : now ? shownOfTw(now, input.priorities) : null;
  };
  const warnings: string[] = [];
  const held = new Set<string>();
  const waiting = new Set<string>();
  const edits = mirrorEdits(notes, (f) => loaded.mirrorBases.get(f), current, input.now, warnings, held);
  for (const [u, e] of [...edits]) {
    const now = tw.byUuid.get(u) ?? tasks.get(u);
    const nowShown = now ? shownOfTw(now, input.priorities) : null;
    const base = loaded.mirrorBases.get(e.file)?.[u];
    if (!index.where[u] && base && nowShown) {
      // No home line, so no merge: a field Taskwarrior changed too since the mirror showed it keeps Taskwarrior's value.
      for (const f of Object.keys(e.fields) as ShownField[]) {
        if (nowShown[f] === base.shown[f]) continue;
        e.twWon = { ...e.twWon, [f]: e.fields[f] };
        delete e.fields[f];
      }
    }
    if (!base && nowShown) {
      // No baseline: a field showing Taskwarrior's current value is the plan's, not an edit.
      const line = notes.find((n) => n.file === e.file)?.lines.find((l) => l.line === e.line)?.shown;
      for (const f of Object.keys(e.fields) as ShownField[]) if (line && line[f] === nowShown[f]) delete e.fields[f];
      if (Object.keys(e.fields).length === 0) {
        edits.delete(u);
        continue;
      }
    }
    const home = index.where[u];
    if (home && input.pushes && !loaded.notes.has(home)) {
      // The home could not be loaded (not valid UTF-8): with no line to merge into, a mirror
      // rendered from Taskwarrior would undo the edit, or its baseline take it in unsent (seed
      // 400008). It waits as a pull's does, its notes read again by the next sync.
      warnings.push(`${e.file}:${e.line}: this mirror's edit waits: its task's note ${home} cannot be read`);
      held.add(u);
      waiting.add(e.file);
      for (const l of e.lost) waiting.add(l.file);
      edits.delete(u);
      continue;
    }
    // A pull only keeps the edited mirror as it is (render.ts); a push brings the home in.
    if (home && input.pushes) extra.add(home);
    else if (!home && !tasks.has(u)) edits.delete(u);
  }
  return { notes, edits, tasks, warnings, held, waiting };
}

/** Mirrors naming tasks no note holds: their uuids and versions, from Taskwarrior's data files. */
function tasksOnlyInTaskwarrior(input: ScopeInput, index: Index, notes: NoteMirrors[], tw: TwRead): Map<string, TwTask> {
  const ask = new Set<string>();
  const named = new Set<string>();
  for (const n of notes)
    n.lines.forEach((l, i) => {
      const u = n.uuids[i];
      if (u === null) ask.add(l.id);
      else if (!index.where[u]) named.add(u);
    });
  const out = new Map<string, TwTask>();
  if (ask.size === 0 && named.size === 0) return out;
  const found = ask.size > 0 ? storedByPrefix(input.dataDir, ask) : new Map<string, TwTask>();
  for (const n of notes)
    n.lines.forEach((l, i) => {
      const t = n.uuids[i] === null ? found.get(l.id) : undefined;
      if (t && !index.where[t.uuid]) (n.uuids[i] = t.uuid), named.add(t.uuid);
    });
  const missing = [...named].filter((u) => !tw.byUuid.has(u));
  for (const [u, t] of storedVersions(input.dataDir, missing)) out.set(u, t);
  for (const u of named) if (tw.byUuid.has(u)) out.set(u, tw.byUuid.get(u)!);
  return out;
}
