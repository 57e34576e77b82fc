/**
 * The state a sync records: per task (shards), where each task lives and what Taskwarrior last
 * showed (catalog), which Taskwarrior changes still wait for their note (`unmerged`), and the
 * notes' fingerprints (head). Pure but for stat calls: the caller writes what this returns.
 *
 * Contract:
 * - A task counts as seen only once its note was merged and written. The tasks of a note whose
 *   changes were not written (it changed meanwhile, or it is read-only) keep their old state,
 *   and any Taskwarrior change of theirs waits in `unmerged`; so does every change of a note
 *   outside this sync's scope.
 * - A note's fingerprint is recorded only when the sync merged it (in scope) and wrote what it
 *   planned; any other note the sync wrote (a move into it), or whose shard it changed (a line
 *   moved out of it), is read again next time.
 */
import type { MirrorBases } from './mirrors.js';
import type { NoteScan, NoteSource } from './notes.js';
import type { WritePlan } from './plan.js';
import type { Reconciled } from './reconcile.js';
import type { NoteChange } from './report.js';
import { extractProjects, projectsOf, type Scope } from './scope.js';
import type { Index, NoteStamp, Store, TaskState } from './store.js';
import type { TwTask } from './taskwarrior.js';
import { versionStamp, type TwRead } from './twread.js';
import { hashText } from './workspace.js';

export interface StateInput {
  index: Index;
  scan: NoteScan;
  scope: Scope;
  rec: Reconciled;
  plan: WritePlan;
  changes: NoteChange[];
  tw: TwRead;
  /** Notes whose planned changes are not written. */
  skipped: Set<string>;
  /** Uuids whose merge or deletion this sync carried out (or deferred on purpose). */
  handled: Set<string>;
}

export interface PreparedState {
  shards: { path: string; data: string }[];
  catalog: string;
  /** Pending tasks that newly belong to no note (for the report). */
  newlyUnclaimed: number;
  /** Context notes whose shard now holds other tasks than when loaded (`fingerprints`). */
  reshaped: Set<string>;
}

/** The shards and the catalog, serialised; the index (where, modified, files, unmerged) updated. */
export function nextState(store: Store, s: StateInput): PreparedState {
  const { tasks, cache } = effectiveTasks(s);
  const byFile = new Map<string, TaskState[]>();
  for (const f of s.scope.loaded.notes.keys()) byFile.set(f, []);
  for (const st of tasks.values()) {
    let l = byFile.get(st.file);
    if (!l) byFile.set(st.file, (l = []));
    l.push(st);
  }
  const index = s.index;
  // for…in, not Object.entries: no 10,000 pairs allocated to drop a note's hundred.
  for (const u in index.where) if (byFile.has(index.where[u]!)) delete index.where[u];
  for (const [file, sts] of byFile) for (const st of sts) index.where[st.uuid] = file;
  removedLines(s, tasks);
  projectsOfNotes(s);
  const newlyUnclaimed = waiting(s, tasks);
  // After `waiting`: what it queues is not marked seen.
  seenVersions(s);
  const mirrors = mirrorsOf(s, [...byFile.keys()]);
  const shards = [...byFile].map(([file, sts]) => ({ path: store.shardPath(file), data: shardText(file, sts, cache, mirrors.get(file)) }));
  return { shards, catalog: store.catalogText(index), newlyUnclaimed, reshaped: reshaped(s, byFile) };
}

/**
 * Context notes (loaded, not merged) whose shard this sync rewrites with other tasks than it
 * had: a line that moved out of the note (or in) since the note was last merged. Their
 * fingerprint vouches for the text of that merge, which the shard no longer describes.
 */
function reshaped(s: StateInput, byFile: Map<string, TaskState[]>): Set<string> {
  const { known, notes } = s.scope.loaded;
  const had = new Map<string, number>();
  for (const st of known.values()) had.set(st.file, (had.get(st.file) ?? 0) + 1);
  const out = new Set<string>();
  for (const [file, sts] of byFile) {
    if (s.scope.inScope(file) || !notes.has(file)) continue;
    if (sts.length !== (had.get(file) ?? 0) || sts.some((st) => known.get(st.uuid)?.file !== file)) out.add(file);
  }
  return out;
}

/** The plan's state, except that the tasks of unwritten notes keep what they had. */
function effectiveTasks(s: StateInput): { tasks: Map<string, TaskState>; cache: Map<string, TwTask> } {
  if (s.skipped.size === 0) return { tasks: s.plan.tasks, cache: s.plan.cache };
  const { known, knownCache } = s.scope.loaded;
  const tasks = new Map<string, TaskState>();
  const cache = new Map<string, TwTask>();
  for (const st of known.values()) {
    if (!s.skipped.has(st.file)) continue;
    tasks.set(st.uuid, st);
    const c = knownCache.get(st.uuid);
    if (c) cache.set(st.uuid, c);
  }
  for (const [u, st] of s.plan.tasks) {
    if (tasks.has(u) || s.skipped.has(st.file)) continue;
    tasks.set(u, st);
    const c = s.plan.cache.get(u);
    if (c) cache.set(u, c);
  }
  return { tasks, cache };
}

/** What Taskwarrior showed, per task: a task whose version differs next time changed. */
function seenVersions(s: StateInput): void {
  const m = s.index.modified;
  if (s.tw.source === 'export') for (const t of s.tw.exported) m[t.uuid] = versionStamp(t, s.tw.exportedAt);
  // Versions read from undo.data are not what an export shows byte for byte (numbers are
  // strings there): the next export compares these tasks again (equal values: nothing to do).
  if (s.tw.source === 'undo') for (const u of s.tw.changed) delete m[u];
  // What we imported gets a `modified` we do not know yet: the next export looks at it again.
  for (const t of s.plan.imports) delete m[t.uuid];
  // A change left waiting is not seen: the queue is in the head (index.json), these versions in
  // the catalog, and a head lost (deleted, garbled, a crash between the two writes) would
  // leave the change marked seen and never merged (seed 300597: a new task on no line).
  for (const u in s.index.unmerged ?? {}) delete m[u];
}

/** Index.removedLines: this sync's removals added; a task a line holds again, or purged, dropped. */
function removedLines(s: StateInput, tasks: Map<string, TaskState>): void {
  const r = { ...(s.index.removedLines ?? {}) };
  for (const [u, file] of s.plan.removedLines) r[u] = file;
  for (const u in r) if (tasks.has(u) || (s.tw.source === 'export' && !s.tw.byUuid.has(u))) delete r[u];
  if (Object.keys(r).length > 0) s.index.removedLines = r;
  else delete s.index.removedLines;
}

function projectsOfNotes(s: StateInput): void {
  const { index, scan, scope, changes } = s;
  for (const f of scan.removed) delete index.files[f];
  const changeOf = new Map(changes.map((c) => [c.file, c]));
  for (const f of new Set([...scope.loaded.notes.keys(), ...changeOf.keys()])) {
    if (scan.removed.includes(f)) continue;
    const change = s.skipped.has(f) ? undefined : changeOf.get(f);
    const n = scope.loaded.notes.get(f);
    // Field edits never add, remove or rename a heading: the projects stay as parsed.
    if (change) index.files[f] = n && change.edits.every((e) => e.op === 'set') ? projectsOf(scope.loaded.graph, f) : extractProjects(change.after, f);
    else if (n && !n.exists) delete index.files[f];
    else if (n) index.files[f] = projectsOf(scope.loaded.graph, f);
  }
}

/**
 * Taskwarrior changes this sync read and did not merge wait in `unmerged` (with their note, the
 * note a new task goes to, or null when a one-note sync could not tell); pending tasks with no home at
 * all are `unclaimed`, looked at again when an inbox is named or a heading appears.
 */
function waiting(s: StateInput, tasks: Map<string, TaskState>): number {
  const { index, tw, scope } = s;
  const before = new Set(index.unclaimed ?? []);
  const unmerged: Record<string, string | null> = {};
  const unclaimed = new Set(index.unclaimed ?? []);
  const look = new Set([...tw.changed, ...Object.keys(index.unmerged ?? {}), ...s.rec.deferredTw]);
  // What this sync imported is what Taskwarrior holds now: a task it reopened with no line to
  // show it (a mirror's edit, its home note out of this sync's scope) is live, though the
  // version read was not, and waits for its note (seed 400046).
  const wrote = new Map<string, TwTask>();
  for (const t of s.plan.imports) {
    wrote.set(t.uuid, t);
    if (isLive(t) && !tasks.has(t.uuid)) look.add(t.uuid);
  }
  for (const u of look) {
    const file = tasks.get(u)?.file ?? index.where[u];
    // Where this sync meant to put it: a task bound for a note that was not written waits.
    const planned = s.plan.tasks.get(u)?.file;
    const unwritten = (!!file && s.skipped.has(file)) || (!!planned && s.skipped.has(planned));
    if (s.handled.has(u) && !s.rec.deferredTw.has(u) && !unwritten) continue;
    const t = wrote.get(u) ?? tw.byUuid.get(u);
    // Gone from Taskwarrior (purged): nothing left to merge.
    if (!t && tw.source === 'export') continue;
    if (file) {
      if (!s.scan.removed.includes(file)) unmerged[u] = file;
      continue;
    }
    if (!t || !isLive(t)) continue;
    // Waits for the note it goes to; a one-note sync may not know every note's headings yet (a
    // first sync): then null, for the next full sync.
    const home = scope.homes.of(t.project ?? null)?.file ?? scope.inbox?.file ?? null;
    if (home || scope.partial) unmerged[u] = home;
    else unclaimed.add(u);
  }
  for (const u of unclaimed) {
    const t = wrote.get(u) ?? tw.byUuid.get(u);
    if (index.where[u] || (t && !isLive(t)) || unmerged[u] !== undefined) {
      unclaimed.delete(u);
      continue;
    }
    // A heading appeared for it (its note read at last: seed 2001037, a note not valid UTF-8 at
    // the first sync) and this sync did not place it (a push): it waits for that note. Left
    // unclaimed, the next syncs saw no heading change and never looked at it again.
    const home = t ? scope.homes.of(t.project ?? null)?.file : undefined;
    if (home) {
      unmerged[u] = home;
      unclaimed.delete(u);
    }
  }
  index.unmerged = unmerged;
  index.unclaimed = [...unclaimed];
  let fresh = 0;
  for (const u of unclaimed) if (!before.has(u)) fresh++;
  return fresh;
}

const isLive = (t: TwTask) => t.status === 'pending' || t.status === 'waiting';

/**
 * Each note's mirror baselines: what this sync left (its rendering), else what the note had
 * (out of scope, or not written); the catalog says which notes mirror which tasks.
 */
function mirrorsOf(s: StateInput, files: string[]): Map<string, MirrorBases> {
  const out = new Map<string, MirrorBases>();
  const mirrored = { ...(s.index.mirrored ?? {}) };
  for (const f of files) {
    const mine = s.skipped.has(f) ? undefined : s.plan.mirrorBases.get(f);
    const b = mine ?? s.scope.loaded.mirrorBases.get(f);
    if (b && Object.keys(b).length > 0) {
      out.set(f, b);
      mirrored[f] = Object.keys(b);
    } else delete mirrored[f];
  }
  for (const f of s.scan.removed) delete mirrored[f];
  s.index.mirrored = mirrored;
  const views = new Set(s.index.viewNotes ?? []);
  for (const f of files) {
    if (s.skipped.has(f) || !s.scope.inScope(f)) continue;
    if (s.plan.viewNotes.has(f)) views.add(f);
    else views.delete(f);
  }
  for (const f of s.scan.removed) views.delete(f);
  s.index.viewNotes = [...views].sort();
  return out;
}

function shardText(file: string, sts: TaskState[], cache: Map<string, TwTask>, mirrors?: MirrorBases): string {
  // Built from the maps, without uuid-keyed objects (a first sync of 10,000 tasks).
  const tasks = sts.map((st) => `${JSON.stringify(st.uuid)}:${JSON.stringify(st)}`);
  const cached: string[] = [];
  for (const st of sts) {
    const c = cache.get(st.uuid);
    if (c) cached.push(`${JSON.stringify(st.uuid)}:${JSON.stringify(c)}`);
  }
  const m = mirrors ? `,"mirrors":${JSON.stringify(mirrors)}` : '';
  return `{"file":${JSON.stringify(file)},"tasks":{${tasks.join(',')}},"cache":{${cached.join(',')}}${m}}`;
}

/**
 * The stamp of a context note whose shard was rewritten (`reshaped`): no stat matches it and
 * no text hashes to it, so the next sync that scans the note merges it, even when its text is
 * back to the one its old stamp vouched for (seed 401012: the line copied back where it had
 * moved from was never seen as a copy). Kept, not deleted: the note stays tracked meanwhile
 * (its removal is seen, its shard is read).
 */
const STALE: NoteStamp = { hash: '', size: -1, mtime: -1 };

/** Each note's fingerprint after the writes: only notes merged and written as planned. */
export function fingerprints(
  index: Index,
  s: Pick<StateInput, 'scan' | 'scope' | 'changes' | 'skipped'> & Pick<PreparedState, 'reshaped'>,
  deferred: Set<string>,
  source: NoteSource,
): void {
  const { scan, scope } = s;
  for (const f of scan.removed) delete index.notes[f];
  for (const [f, n] of scan.touched) index.notes[f] = n;
  const afterOf = new Map(s.changes.map((c) => [c.file, c.after]));
  for (const f of new Set([...scope.loaded.notes.keys(), ...afterOf.keys()])) {
    if (scan.removed.includes(f)) continue;
    const n = scope.loaded.notes.get(f);
    const after = afterOf.get(f);
    if (s.skipped.has(f) || deferred.has(f) || (n && !n.exists && after === undefined)) {
      delete index.notes[f];
      continue;
    }
    if (!scope.inScope(f)) {
      // Context: not merged. Written (a move into it): read again next time; its shard
      // rewritten (a line moved out): merged next time; else as it was.
      if (after !== undefined) delete index.notes[f];
      else if (s.reshaped.has(f) && index.notes[f]) index.notes[f] = { ...STALE };
      continue;
    }
    if (after !== undefined) index.notes[f] = source.fingerprint(f, hashText(after));
    else if (n) index.notes[f] = source.isGiven(f) ? source.givenFingerprint(f, n.hash) : { hash: n.hash, size: n.size, mtime: n.mtime };
  }
}
