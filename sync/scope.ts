/**
 * Which notes a sync involves, loaded and parsed, with their tasks' state.
 *
 * Contract: the notes in *scope* are the ones this sync merges and may write: every tracked
 * note on a full sync, the named ones on a one-note sync (plus, for additions and moves, the
 * notes new lines go to). Beside them, notes are loaded as *context*, never merged and never
 * marked as seen: the note an id was last seen in (to tell a moved line from a copy), link
 * targets (for `depends`), and the homes of tasks that move or arrive. What is loaded is
 * what changed and what that touches; every other note keeps its state untouched.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractObjects, resolveFile, WorkspaceGraph, type FileObjects } from '../graph/index.js';
import { parse } from '../parser/index.js';
import { findViews, isFilterError, type View, type ViewFilter } from '../plan/index.js';
import { LazyUuids } from './ids.js';
import type { PriorityMap } from './mapping.js';
import { loadMirrors, mirroring } from './mirrorscope.js';
import type { MirrorBases, MirrorEdit, NoteMirrors } from './mirrors.js';
import type { NoteFile, NoteScan, NoteSource } from './notes.js';
import type { FileProjects, Index, Store, TaskState } from './store.js';
import type { TwRead } from './twread.js';
import type { TwTask } from './taskwarrior.js';
import { takeParse } from './parses.js';
import { storedVersions } from './undo.js';
import { listNorgFiles } from './workspace.js';

export class Loaded {
  /** A lean graph: the sync reads objects, parents and links, never progress or blocked; a
   * line copied with its id into another note is a task of its own (identity.ts). */
  readonly graph = new WorkspaceGraph({ propagate: false, derive: false, keyByFile: true });
  readonly notes = new Map<string, NoteFile>();
  // Maps, not objects: uuids made or read in this sync are new strings, and an object lookup
  // with a new string costs a string-table probe (measured 0.7 µs; 13 ms a first sync of 10,000).
  readonly known = new Map<string, TaskState>();
  readonly knownCache = new Map<string, TwTask>();
  /** Notes whose shard could not be read: what they knew is rebuilt (engine.ts). */
  readonly lostShards = new Set<string>();
  /** Each loaded note's mirror baselines (sync/mirrors.ts). */
  readonly mirrorBases = new Map<string, MirrorBases>();
  /** Notes a load found not valid UTF-8: never parsed, yet their bytes may hold a task's id. */
  readonly undecodable = new Set<string>();
  private readonly changed: Map<string, NoteFile>;

  constructor(
    private readonly source: NoteSource,
    private readonly store: Store,
    scan: NoteScan,
  ) {
    this.changed = new Map(scan.changed.map((n) => [n.file, n]));
  }

  async load(file: string): Promise<void> {
    if (this.notes.has(file)) return;
    const n = this.changed.get(file) ?? this.source.load(file);
    if (!n) {
      // Not valid UTF-8: reported by the scan, never rewritten.
      this.undecodable.add(file);
      return;
    }
    this.notes.set(file, n);
    // A `sync --remote` may hold this text's parse from its merge (parses.ts).
    this.graph.setTree(file, takeParse(n.text));
    const sh = await this.store.shard(file);
    if (this.store.unreadable.includes(this.store.shardPath(file))) this.lostShards.add(file);
    for (const [u, st] of Object.entries(sh.tasks)) this.known.set(u, st);
    for (const [u, c] of Object.entries(sh.cache)) this.knownCache.set(u, c);
    if (sh.mirrors && Object.keys(sh.mirrors).length > 0) this.mirrorBases.set(file, sh.mirrors);
  }

  /** The note that could not be decoded whose bytes hold `%#id%` (a line moved there), or null. */
  undecodableHolding(id: string): string | null {
    for (const f of this.undecodable) if (this.source.current(f).includes(`%#${id}%`)) return f;
    return null;
  }

  tasksOf(file: string) {
    return this.graph.objects(file)?.tasks ?? [];
  }

  private readonly peeked = new Map<string, FileObjects | null>();

  /**
   * A note's objects, read from disk if this sync did not load it (not put in scope): a
   * viewport's mirror links to its task's home heading wherever that note is (round2-F3/F5:
   * a one-note or an unchanged-home sync wrote mirrors without the link).
   */
  objectsOf(file: string): FileObjects | null {
    const own = this.graph.objects(file);
    if (own) return own;
    if (!this.peeked.has(file)) {
      const n = this.source.load(file);
      this.peeked.set(file, n ? extractObjects(parse(n.text), file) : null);
    }
    return this.peeked.get(file)!;
  }
}

/** Where a project's tasks go: the note whose heading path (with its base project) names it. */
export class Homes {
  private readonly byProject = new Map<string, { file: string; path: string[]; score: number }>();
  private readonly bases: { base: string; file: string }[] = [];

  constructor(index: Index, loaded: Loaded, removed: string[]) {
    for (const [f, p] of Object.entries(index.files)) if (!loaded.notes.has(f) && !removed.includes(f)) this.add(f, p);
    for (const f of loaded.notes.keys()) this.add(f, projectsOf(loaded.graph, f));
  }

  private add(file: string, p: FileProjects): void {
    if (p.base) this.bases.push({ base: p.base, file });
    for (const x of p.projects) {
      const prev = this.byProject.get(x.project);
      if (!prev || prev.score < x.path.length + 1) this.byProject.set(x.project, { file, path: x.path, score: x.path.length + 1 });
    }
  }

  of(project: string | null): { file: string; path: string[] } | null {
    if (!project) return null;
    const h = this.byProject.get(project);
    if (h) return { file: h.file, path: h.path };
    for (const b of this.bases)
      if (project === b.base || project.startsWith(b.base + '.'))
        return { file: b.file, path: project === b.base ? [] : project.slice(b.base.length + 1).split('.') };
    return null;
  }
}

export function projectsOf(graph: WorkspaceGraph, file: string): FileProjects {
  const o = graph.objects(file);
  if (!o) return { base: null, projects: [] };
  const links = [...(graph.linksTo.get(file) ?? [])].filter((f) => f !== file).sort();
  return {
    base: o.baseProject,
    projects: o.projects.map((p) => ({ path: p.path, project: [o.baseProject, ...p.path.map((x) => x.replace(/\./g, '_'))].filter(Boolean).join('.') })),
    ...(links.length > 0 ? { links } : {}),
  };
}

export function extractProjects(text: string, file: string): FileProjects {
  const g = new WorkspaceGraph({ propagate: false, derive: false });
  g.setFile(file, text);
  return projectsOf(g, file);
}

export interface ScopeInput {
  workspace: string;
  stateDir: string;
  /** The named notes of a one-note sync; null: every note. */
  files: string[] | null;
  inbox: string | null;
  /** Taskwarrior's data folder (2.6: tasks read from the data files without a process). */
  dataDir: string;
  /** Whether Taskwarrior tasks may be added to notes (not on a push). */
  pulls: boolean;
  /** Whether note changes go to Taskwarrior (not on a pull): mirror edits are read only then. */
  pushes: boolean;
  priorities: PriorityMap;
  now: Date;
  /** Hex digits of a new task's id (sync/ids.ts). */
  idLength: number;
}

export interface Scope {
  loaded: Loaded;
  homes: Homes;
  /** Pending Taskwarrior tasks no note has yet, that belong in a loaded note. */
  candidates: TwTask[];
  /** Where tasks with no home go (null: they stay in Taskwarrior only), and its base project. */
  inbox: { file: string; path: string[] } | null;
  inboxProject: string | null;
  inScope(file: string): boolean;
  /** A one-note sync: the headings of notes it did not load may be unknown (a first sync). */
  partial: boolean;
  /** The mirrors of the notes in scope, and what their edits change, by task uuid. */
  mirrors: NoteMirrors[];
  mirrorEdits: Map<string, MirrorEdit>;
  /** Taskwarrior's version of mirrored tasks no note holds (read from its data files). */
  mirrorTasks: Map<string, TwTask>;
  /** Mirrors left as the user wrote them (an unreadable date, no text), and why. */
  mirrorHeld: Set<string>;
  /** Notes whose mirror edits wait for their tasks' home notes to be readable (read again next sync). */
  mirrorWaiting: Set<string>;
  mirrorWarnings: string[];
  /** The filter of the viewport holding this offset of a note, if any (its tasks take its project and tags). */
  viewAt(file: string, at: number): ViewFilter | null;
  /** The note holding a task's line at the last sync (the catalog), loaded or not. */
  homeOf(uuid: string): string | undefined;
  /** The note whose removed line deleted this task, while Taskwarrior has not reopened it. */
  removedFrom(uuid: string): string | undefined;
}

/** Load the notes a sync involves, in order: each step may need what the earlier ones loaded. */
export async function chooseNotes(input: ScopeInput, scan: NoteScan, index: Index, tw: TwRead, loaded: Loaded): Promise<Scope> {
  // Notes a mirror brings in (its task's home, a note mirroring a changed task) are in scope.
  const extra = new Set<string>();
  const inScope = (f: string) => !input.files || input.files.includes(f) || extra.has(f);
  for (const n of scan.changed) await loaded.load(n.file);
  for (const f of scan.removed) await loaded.load(f);
  for (const f of notesOfChanged(tw.changed, index, scan.removed, inScope)) await loaded.load(f);
  for (const f of mirroring(tw.changed, scan, index, input.files)) if (extra.add(f) && existsSync(join(input.workspace, f))) await loaded.load(f);
  let m = await loadMirrors(input, index, tw, loaded, inScope, extra);
  // A task edited through a mirror is mirrored in other notes too: they show the edit this sync.
  for (let round = 0; round < 3; round++) {
    const more = mirroredElsewhere(m.edits.keys(), index, loaded, scan.removed);
    if (more.length === 0) break;
    for (const f of more) if (extra.add(f) && existsSync(join(input.workspace, f))) await loaded.load(f);
    m = await loadMirrors(input, index, tw, loaded, inScope, extra);
  }
  for (const f of idOwners(loaded, index, scan.removed)) await loaded.load(f);
  for (const f of linkTargets(loaded, index, scan.files)) await loaded.load(f);
  const homes = new Homes(index, loaded, scan.removed);
  // A task no note holds, edited through its mirror: the note its project belongs in is loaded,
  // so that a task brought back to life there gets its line (plan.ts `planMirrorOnly`).
  for (const u of m.edits.keys()) {
    const at = index.where[u] ? null : homes.of(m.tasks.get(u)?.project ?? null);
    if (at && inScope(at.file) && existsSync(join(input.workspace, at.file))) await loaded.load(at.file);
  }
  const candidates: TwTask[] = [];
  // Tasks no note could hold are looked at again when an inbox is named or a heading changed.
  const again = (index.unclaimed?.length ?? 0) > 0 && (!!input.inbox || headingsChanged(loaded, index)) ? unclaimedTasks(input, index, tw) : [];
  if (tw.source !== 'cache' || Object.keys(index.unmerged ?? {}).length > 0 || again.length > 0) {
    if (input.pulls) for (const f of candidateHomes(input, scan, index, tw, homes, candidates, inScope, again)) await loaded.load(f);
  }
  for (const f of moveTargets(loaded, tw, homes)) await loaded.load(f);
  // Last, as every note whose lines may change is loaded now: the notes linking to them (their
  // depends follow), then what those and the homes loaded above link to (a link to a note not
  // loaded would read as one that reaches no task, and drop its depends).
  for (const f of linkers(loaded, index, scan.removed)) await loaded.load(f);
  for (const f of linkTargets(loaded, index, scan.files)) await loaded.load(f);
  const inbox = input.inbox ? { file: input.inbox, path: [] } : null;
  const inboxProject = input.inbox && loaded.notes.has(input.inbox) ? projectsOf(loaded.graph, input.inbox).base : null;
  return {
    loaded,
    homes,
    candidates,
    inbox,
    inboxProject,
    inScope,
    partial: input.files !== null,
    mirrors: m.notes,
    mirrorEdits: m.edits,
    mirrorTasks: m.tasks,
    mirrorHeld: m.held,
    mirrorWaiting: m.waiting,
    mirrorWarnings: m.warnings,
    viewAt: viewsOf(loaded),
    homeOf: (u) => index.where[u],
    removedFrom: (u) => index.removedLines?.[u],
  };
}

function viewsOf(loaded: Loaded): (file: string, at: number) => ViewFilter | null {
  const cache = new Map<string, View[]>();
  return (file, at) => {
    let views = cache.get(file);
    if (!views) {
      const text = loaded.notes.get(file)?.text ?? '';
      views = text.includes('|planager view') ? findViews(parse(text)) : [];
      cache.set(file, views);
    }
    const v = views.find((x) => at >= x.contentFrom && at < x.endLineStart);
    return v && !isFilterError(v.filter) ? v.filter : null;
  };
}

/** Notes the catalog says mirror one of these tasks, not loaded yet. */
function mirroredElsewhere(uuids: Iterable<string>, index: Index, loaded: Loaded, removed: string[]): string[] {
  const want = new Set(uuids);
  const out: string[] = [];
  if (want.size === 0) return out;
  for (const [f, list] of Object.entries(index.mirrored ?? {})) if (!loaded.notes.has(f) && !removed.includes(f) && list.some((u) => want.has(u))) out.push(f);
  return out;
}

/** Notes holding tasks Taskwarrior changed (in scope: the others wait, `unmerged`). */
function notesOfChanged(changed: Set<string>, index: Index, removed: string[], inScope: (f: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const u of changed) {
    const f = index.where[u];
    if (f && !removed.includes(f) && inScope(f)) out.add(f);
  }
  return out;
}

/**
 * An id written in another note than the one that had it: that one is loaded too (whatever
 * the scope), so that a copy (both notes have it) and a move (only the new one) are told apart.
 */
function idOwners(loaded: Loaded, index: Index, removed: string[]): Set<string> {
  const own = new Map<string, string>();
  for (const k of loaded.known.values()) own.set(k.id, k.file);
  const ids = new LazyUuids(() => Object.keys(index.where));
  const out = new Set<string>();
  for (const f of loaded.notes.keys()) {
    for (const t of loaded.tasksOf(f)) {
      if (!t.id || own.get(t.id) === f) continue;
      const hits = ids.get().withPrefix(t.id);
      const ownerFile = hits.length === 1 ? index.where[hits[0]] : undefined;
      if (ownerFile && ownerFile !== f && !removed.includes(ownerFile) && index.notes[ownerFile]) out.add(ownerFile);
    }
  }
  return out;
}

/** Cross-file links: their targets' tasks are needed for `depends`. */
function linkTargets(loaded: Loaded, index: Index, files: string[]): Set<string> {
  const out = new Set<string>();
  for (const f of loaded.notes.keys()) {
    for (const t of loaded.tasksOf(f)) {
      for (const l of t.links) {
        if (l.kind !== 'file') continue;
        const target = resolveFile(f, l.path);
        if (index.notes[target] || files.includes(target)) out.add(target);
      }
    }
  }
  return out;
}

/**
 * Notes not loaded whose tasks link to a loaded one, as the catalog knows them (a note last
 * written by a version that did not record links is found once a sync loads it).
 */
function linkers(loaded: Loaded, index: Index, removed: string[]): Set<string> {
  const out = new Set<string>();
  for (const [f, p] of Object.entries(index.files)) if (!loaded.notes.has(f) && !removed.includes(f) && p.links?.some((t) => loaded.notes.has(t))) out.add(f);
  return out;
}

/** Homes of pending Taskwarrior tasks no note holds yet (the inbox for those with none). */
function candidateHomes(
  input: ScopeInput,
  scan: NoteScan,
  index: Index,
  tw: TwRead,
  homes: Homes,
  out: TwTask[],
  inScope: (f: string) => boolean,
  again: string[],
): Set<string> {
  const files = new Set<string>();
  const look = new Set([...tw.changed, ...again]);
  for (const u of look) {
    const t = tw.byUuid.get(u);
    if (!t || index.where[u] || (t.status !== 'pending' && t.status !== 'waiting')) continue;
    const at = homes.of(t.project ?? null) ?? (input.inbox ? { file: input.inbox, path: [] } : null);
    if (!at || !inScope(at.file)) continue;
    if (scan.files.includes(at.file) || !existsSync(join(input.workspace, at.file))) files.add(at.file);
    out.push(t);
  }
  return files;
}

/** Links are left out: a link added or removed changes no heading. */
const sameHeadings = (a: FileProjects, b: FileProjects) => a.base === b.base && JSON.stringify(a.projects) === JSON.stringify(b.projects);

/** A loaded note whose headings are not what the state knew (a heading added, renamed). */
function headingsChanged(loaded: Loaded, index: Index): boolean {
  for (const f of loaded.notes.keys()) if (!sameHeadings(projectsOf(loaded.graph, f), index.files[f] ?? { base: null, projects: [] })) return true;
  return false;
}

/** The unclaimed tasks, read into `tw.byUuid` where this sync did not read them (2.6). */
function unclaimedTasks(input: ScopeInput, index: Index, tw: TwRead): string[] {
  const list = index.unclaimed ?? [];
  const missing = list.filter((u) => !tw.byUuid.has(u));
  for (const [u, t] of storedVersions(input.dataDir, missing)) tw.byUuid.set(u, t);
  return list.filter((u) => tw.byUuid.has(u));
}

/** The notes tasks move to when Taskwarrior changed their project to one another note holds. */
function moveTargets(loaded: Loaded, tw: TwRead, homes: Homes): Set<string> {
  const out = new Set<string>();
  for (const u of tw.changed) {
    const st = loaded.known.get(u);
    const t = tw.byUuid.get(u);
    if (!st || !t || (t.project ?? null) === st.base.project) continue;
    const to = homes.of(t.project ?? null);
    if (to && to.file !== st.file) out.add(to.file);
  }
  return out;
}

/**
 * Notes (outside `skip`) whose text holds any of these ids: a line a one-note sync no longer
 * sees may have moved to a note it did not load. Read only when a deletion is planned.
 */
export async function notesHolding(ids: string[], input: ScopeInput, skip: Set<string>, source: NoteSource): Promise<string[]> {
  if (ids.length === 0) return [];
  const out: string[] = [];
  for (const f of await listNorgFiles(input.workspace, [input.stateDir])) {
    if (skip.has(f)) continue;
    const text = source.current(f);
    if (ids.some((id) => text.includes(`%#${id}`))) out.push(f);
  }
  return out;
}
