/**
 * An editor session over one or more workspaces: what the Neovim host (and any other editor
 * shell) calls. Writes go through one queue per process; the engine's lock covers the rest.
 *
 * - pull(file, text): the note changes Taskwarrior brings for an open buffer (no disk write;
 *   the editor applies them to the buffer and writes it, so disk and state agree).
 * - prewrite(file, text): ids and derived statuses, no process (after the write: the host
 *   applies them to the buffer and writes it again).
 * - push(file): send a written file to Taskwarrior (BufWritePost).
 * - syncAll(buffers): both ways for every tracked file; open buffers get edits, others are
 *   written by the engine.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { stateDirOf, sync, uuidFromId, type SyncOptions, type SyncReport } from './engine.js';
import { type Shard, Store } from './store.js';
import type { KnownTasks } from './prewrite.js';
import { backup, listBackups, type BackupMode } from './backup.js';
import { history, restore } from './history.js';
import { Queue } from './lock.js';
import { readLog, type LogEntry } from './log.js';
import { prepareWrite, type Prewrite } from './prewrite.js';
import { Taskwarrior } from './taskwarrior.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeSet } from '@codemirror/state';
import { extractObjects } from '../graph/index.js';
import { fromTw } from './mapping.js';
import type { TwTask } from './taskwarrior.js';
import { parse, reparse } from '../parser/index.js';
import { acquireLock } from './lock.js';
import { idLengthOf } from './workspace.js';
import { planPrepush, textChange, type Parsed, type Prepush } from './prepush.js';
import { canon, deltaToJson, diff, versionKey } from './undo.js';

export interface SessionConfig {
  workspaces: string[];
  task?: string;
  stateDir?: string | null;
  inbox?: string | null;
  backup?: BackupMode | false;
  propagate?: boolean;
  bulkShare?: number;
  bulkMin?: number;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /**
   * Keep one `task import` started and waiting for its input, and send a one-line change as
   * soon as the file is written (prepush.ts). Default true; false starts `task` per push.
   */
  standby?: boolean;
}

export interface Status {
  lastSync: string | null;
  lastError: string | null;
  pendingPushes: number;
  conflicts: number;
  running: boolean;
}

export interface Located {
  workspace: string;
  rel: string;
}

export class Session {
  readonly tw: Taskwarrior;
  private readonly queue = new Queue();
  private readonly states = new Map<string, KnownTasks>();
  /** Notes that were written from the editor (their state is kept warm). */
  private readonly written = new Set<string>();
  private status: Status = { lastSync: null, lastError: null, pendingPushes: 0, conflicts: 0, running: false };
  private backupTimer: NodeJS.Timeout | null = null;
  private readonly dirty = new Set<string>();
  /** The last text each note was written with, and its parse (the next one re-parses from it). */
  private readonly parsed = new Map<string, Parsed & { clean: boolean }>();
  /** A one-line change worked out at BufWritePre, sent once the write is on disk. */
  private readonly prepushes = new Map<string, Prepush & { text: string }>();
  /**
   * The shards loadKnown parsed (after each sync), with the bytes they were parsed from: the
   * fast push checks the shard on disk against Taskwarrior's version it planned from, and when
   * the file holds the same bytes it need not parse it again. Parsing the 1,000-task shard
   * (≈600 KB) was 4–9 ms of the ≈10 ms between the write and the import's input (bench nvim).
   */
  private readonly shards = new Map<string, { bytes: Buffer; shard: Shard }>();

  constructor(readonly config: SessionConfig) {
    this.tw = new Taskwarrior({ bin: config.task ?? 'task', env: config.env ?? process.env, timeoutMs: config.timeoutMs, standby: config.standby ?? true });
  }

  /** The workspace holding `path`, or null when the file is not tracked. */
  locate(path: string): Located | null {
    const abs = resolve(path);
    if (!abs.endsWith('.norg')) return null;
    for (const w of this.config.workspaces) {
      const root = resolve(w);
      const rel = relative(root, abs);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return { workspace: root, rel: rel.split(sep).join('/') };
    }
    return null;
  }

  private stateDir(workspace: string): string {
    return stateDirOf({
      workspace,
      stateDir: this.config.stateDir ? join(resolve(this.config.stateDir), workspace.replace(/[^A-Za-z0-9]+/g, '_')) : undefined,
    });
  }

  private opts(workspace: string, extra: Partial<SyncOptions>): SyncOptions {
    return {
      workspace,
      tw: this.tw,
      stateDir: this.stateDir(workspace),
      inbox: this.config.inbox ?? null,
      propagate: this.config.propagate,
      bulkShare: this.config.bulkShare,
      bulkMin: this.config.bulkMin,
      ...extra,
    };
  }

  /** The uuids in use and the note's last synced tasks: the index and one shard, cached. */
  private async known(workspace: string, rel: string): Promise<KnownTasks> {
    const key = `${workspace}\0${rel}`;
    this.written.add(key);
    let s = this.states.get(key);
    if (!s) this.states.set(key, (s = await this.loadKnown(workspace, rel)));
    return s;
  }

  private async loadKnown(workspace: string, rel: string): Promise<KnownTasks> {
    const store = new Store(this.stateDir(workspace));
    const [index, { bytes, shard }] = await Promise.all([store.index(), store.shardRead(rel)]);
    if (bytes) this.shards.set(`${workspace}\0${rel}`, { bytes, shard });
    else this.shards.delete(`${workspace}\0${rel}`);
    return { uuids: Object.keys(index.where), tasks: shard.tasks, cache: shard.cache };
  }

  /**
   * After a sync the cached state is stale; reload it for the notes being edited right away,
   * in the idle time after the sync, so that the next BufWritePre does not pay for it.
   */
  private refreshKnown(): void {
    this.states.clear();
    for (const key of this.written) {
      const [workspace, rel] = key.split('\0');
      void this.loadKnown(workspace, rel)
        .then((k) => {
          if (!this.states.has(key)) this.states.set(key, k);
        })
        .catch(() => {});
    }
  }

  private async run(workspace: string, extra: Partial<SyncOptions>, first?: () => Promise<void>): Promise<SyncReport> {
    return this.queue.run(async () => {
      this.status.running = true;
      try {
        await first?.().catch((e: unknown) => console.error('planager: the fast push failed; the full sync follows', e));
        const r = await sync(this.opts(workspace, extra));
        this.refreshKnown();
        this.status.lastSync = new Date().toISOString();
        this.status.lastError = r.ok ? null : (r.error?.message ?? 'sync failed');
        this.status.conflicts += r.conflicts.length;
        if (r.ok && r.changed && !r.dryRun) this.scheduleBackup(workspace);
        return r;
      } finally {
        this.status.running = false;
      }
    });
  }

  /** Debounced: one commit for a burst of syncs, never in the way of the editor. */
  private scheduleBackup(workspace: string): void {
    if (this.config.backup === false) return;
    this.dirty.add(workspace);
    if (this.backupTimer) clearTimeout(this.backupTimer);
    this.backupTimer = setTimeout(() => {
      this.backupTimer = null;
      const list = [...this.dirty];
      this.dirty.clear();
      for (const w of list) void this.queue.run(() => backup(w, this.stateDir(w), this.config.backup || 'state', 'planager: sync from Neovim'));
    }, 5_000);
    this.backupTimer.unref();
  }

  async flushBackups(): Promise<void> {
    if (!this.backupTimer) return;
    clearTimeout(this.backupTimer);
    this.backupTimer = null;
    const list = [...this.dirty];
    this.dirty.clear();
    for (const w of list) await this.queue.run(() => backup(w, this.stateDir(w), this.config.backup || 'state', 'planager: sync from Neovim'));
  }

  /**
   * Pull into an open, unmodified buffer. `apply` gets the new text and must put it in the
   * buffer and write it (false when the buffer changed meanwhile: nothing is committed).
   */
  async pull(path: string, text: string, apply: (after: string) => Promise<boolean>): Promise<SyncReport | null> {
    const at = this.locate(path);
    if (!at) return null;
    return this.run(at.workspace, {
      files: [at.rel],
      direction: 'pull',
      texts: new Map([[at.rel, { text, mtime: Date.now() }]]),
      writeNotes: false,
      applyNotes: async (changes) => {
        const c = changes.find((x) => x.file === at.rel);
        return c ? apply(c.after) : true;
      },
    });
  }

  async prewrite(path: string, text: string): Promise<Prewrite | null> {
    const at = this.locate(path);
    if (!at) return null;
    const abs = resolve(path);
    const prev = this.parsed.get(abs);
    const change = prev && prev.text !== text ? textChange(prev.text, text) : undefined;
    const tree = !prev ? parse(text) : change ? reparse(prev.tree, change) : prev.tree;
    const known = await this.known(at.workspace, at.rel);
    this.prepushes.delete(abs);
    // A one-line change to a synced task, on a text that needed no ids or derived statuses:
    // this one needs none either (no new line, no status that derives another), so the
    // whole-file pass is skipped and the change is sent as soon as the write is on disk.
    if (prev?.clean && this.config.standby !== false) {
      const plan = planPrepush(at.rel, prev, { text, tree, change }, null, known, new Date());
      if (plan) {
        this.parsed.set(abs, { text, tree, clean: true });
        this.prepushes.set(abs, { ...plan, text });
        return { changes: ChangeSet.empty(text.length), newIds: [], derived: [], light: [] };
      }
    }
    const p = prepareWrite(at.rel, text, known, { propagate: this.config.propagate, idLength: idLengthOf(at.workspace) }, tree);
    this.parsed.set(abs, { text, tree, clean: p.changes.empty });
    if (prev && p.changes.empty && this.config.standby !== false) {
      const plan = planPrepush(at.rel, prev, { text, tree, change }, p.light, known, new Date());
      if (plan) this.prepushes.set(abs, { ...plan, text });
    }
    return p;
  }

  /**
   * Run the one-line write path on a small made-up note, in idle time after start-up: V8
   * compiles by call count, not by size, so the first real writes find it optimised (the first
   * writes of a session measured 7 ms of prewrite at 1,000 tasks instead of 2). No I/O.
   */
  warmUp(): void {
    const lines = ['* Warm'];
    for (let i = 0; i < 40; i++) lines.push(`  - ( |# B) warm ${i} task %#${(0x10000000 + i).toString(16)}%`);
    let text = lines.join('\n') + '\n';
    let tree = parse(text);
    const known: KnownTasks = { uuids: [], tasks: {}, cache: {} };
    for (const t of extractObjects(tree, 'warm.norg').tasks) {
      const uuid = uuidFromId(t.id!);
      const tw: TwTask = { uuid, description: t.description, status: 'pending', entry: '20260101T000000Z', priority: 'M' };
      known.cache![uuid] = tw;
      known.tasks[uuid] = { uuid, id: t.id!, file: 'warm.norg', base: fromTw(tw), dueText: null, scheduledText: null, noteHash: t.hash };
    }
    for (let k = 0; k < 40; k++) {
      const next = text
        .replace(`warm ${k} task`, `warm ${k} task${k % 2 ? ' done' : ''}`)
        .replace(`( |# B) warm ${k} `, k % 3 ? `(x|# B) warm ${k} ` : `( |# A) warm ${k} `);
      const after = reparse(tree, textChange(text, next));
      planPrepush('warm.norg', { text, tree }, { text: next, tree: after }, null, known, new Date());
      text = next;
      tree = after;
    }
  }

  /**
   * Push one note. A push may change other notes too (the home line of a mirror edited here,
   * the mirrors of what changed): `buffers` lists the editor's open notes (asked only when the
   * push changes a note), whose changes go through `apply`; one with unsaved changes is not
   * touched (its changes wait for its write).
   */
  async push(
    path: string,
    buffers?: () => Promise<{ path: string; modified: boolean }[]>,
    apply?: (path: string, after: string) => Promise<boolean>,
  ): Promise<SyncReport | null> {
    const at = this.locate(path);
    if (!at) return null;
    const abs = resolve(path);
    const pre = this.prepushes.get(abs);
    this.prepushes.delete(abs);
    this.status.pendingPushes++;
    const open = buffers && apply ? this.openNotes(at.workspace, abs, buffers, apply) : {};
    try {
      return await this.run(at.workspace, { files: [at.rel], direction: 'push', ...open }, pre ? () => this.prepush(at.workspace, abs, pre) : undefined);
    } finally {
      this.status.pendingPushes--;
    }
  }

  /**
   * Send a one-line change worked out at BufWritePre, if the file on disk is what it was
   * worked out from and Taskwarrior has not changed since the last sync. Its intent goes into
   * the index, so that the sync that follows (and any later one reading undo.data) tells it
   * from another writer's edit. Best effort: when anything is off, the full sync does the job.
   */
  private async prepush(workspace: string, abs: string, pre: Prepush & { text: string }): Promise<void> {
    let disk: string;
    try {
      disk = readFileSync(abs, 'utf8');
    } catch {
      return;
    }
    if (disk !== pre.text + '\n' && disk !== pre.text) return;
    const dir = this.stateDir(workspace);
    const locked = await acquireLock(dir);
    if (!locked.ok) return;
    try {
      if (existsSync(join(dir, 'journal.json'))) return;
      const store = new Store(dir);
      const head = await store.head();
      if (head.stamp === null || (await this.tw.stamp()) !== head.stamp) return;
      // The stamp can be the same while another sync (a second editor, the CLI) changed this
      // task after the plan was made: its basis must still be the version the state holds, and
      // no Taskwarrior change of it may be waiting to be merged.
      if (head.unmerged && pre.uuid in head.unmerged) return;
      const rel = relative(workspace, abs).split(sep).join('/');
      const seen = this.shards.get(`${workspace}\0${rel}`);
      const now = seen ? store.shardBytes(rel) : null;
      const shard = seen && now && now.equals(seen.bytes) ? seen.shard : await store.shard(rel);
      const cached = shard.cache[pre.uuid];
      if (!cached || canon(cached) !== canon(pre.basis)) return;
      const importing = this.tw.startImport().send([pre.task]);
      head.intents = [...(head.intents ?? []), [versionKey(pre.task), deltaToJson(diff(pre.basis, pre.task))]];
      await store.saveHead(head);
      await importing;
    } finally {
      await locked.lock.release();
    }
  }

  /**
   * Both ways for every workspace. `buffers` are the open tracked buffers (saved: the editor
   * writes them first); their changes go through `apply` (which writes them), the other
   * notes are written by the engine.
   */
  async syncAll(
    buffers: { path: string; text: string }[],
    apply: (path: string, after: string) => Promise<boolean>,
    extra: Partial<SyncOptions> = {},
  ): Promise<SyncReport[]> {
    const reports: SyncReport[] = [];
    for (const w of this.config.workspaces.map((x) => resolve(x))) reports.push(await this.run(w, { ...this.bufferOptions(w, buffers, apply), ...extra }));
    return reports;
  }

  /**
   * A push's view of the other open notes: saved buffers hold what their files hold, so the
   * sync reads the files (no given texts: a push with nothing to do stops at the first check)
   * and their changes go to the buffers; unsaved ones are held.
   */
  private openNotes(
    workspace: string,
    pushed: string,
    buffers: () => Promise<{ path: string; modified: boolean }[]>,
    apply: (path: string, after: string) => Promise<boolean>,
  ): Partial<SyncOptions> {
    const saved = new Map<string, string>();
    const unsaved = new Set<string>();
    return {
      holds: (f) => unsaved.has(f),
      writeNotes: (f) => !saved.has(f),
      applyNotes: async (changes) => {
        if (!changes.some((c) => join(workspace, c.file) !== pushed)) return true;
        for (const b of await buffers()) {
          const x = this.locate(b.path);
          if (!x || x.workspace !== workspace || resolve(b.path) === pushed) continue;
          if (b.modified) unsaved.add(x.rel);
          else saved.set(x.rel, b.path);
        }
        for (const c of changes) {
          const p = saved.get(c.file);
          if (p && !(await apply(p, c.after))) return false;
        }
        return true;
      },
    };
  }

  /** Open buffers' texts stand in for their files, and their changes go through `apply`. */
  private bufferOptions(
    workspace: string,
    buffers: { path: string; text: string }[],
    apply: (path: string, after: string) => Promise<boolean>,
  ): Partial<SyncOptions> {
    const open = buffers.map((b) => ({ ...b, at: this.locate(b.path) })).filter((b) => b.at && b.at.workspace === workspace);
    const texts = new Map(open.map((b) => [b.at!.rel, { text: b.text, mtime: Date.now() }]));
    return {
      texts,
      writeNotes: (f) => !texts.has(f),
      applyNotes: async (changes) => {
        for (const c of changes) {
          const b = open.find((x) => x.at!.rel === c.file);
          if (b && !(await apply(b.path, c.after))) return false;
        }
        return true;
      },
    };
  }

  getStatus(): Status {
    return { ...this.status };
  }

  async history(path: string, id: string) {
    const at = this.locate(path) ?? { workspace: resolve(this.config.workspaces[0]), rel: '' };
    return history({ workspace: at.workspace, stateDir: this.stateDir(at.workspace) }, id);
  }

  /** Restore a version; `buffers` and `apply` as for syncAll, so open notes change in place. */
  async restore(
    path: string,
    id: string,
    n: number,
    buffers: { path: string; text: string }[] = [],
    apply?: (path: string, after: string) => Promise<boolean>,
  ) {
    const at = this.locate(path) ?? { workspace: resolve(this.config.workspaces[0]), rel: '' };
    const extra = apply ? this.bufferOptions(at.workspace, buffers, apply) : {};
    return this.queue.run(() => restore(this.opts(at.workspace, extra), id, n));
  }

  async backups(): Promise<{ workspace: string; commits: { commit: string; date: string; message: string }[] }[]> {
    const out = [];
    for (const w of this.config.workspaces.map((x) => resolve(x)))
      out.push({ workspace: w, commits: await listBackups(w, this.stateDir(w), this.config.backup || 'state') });
    return out;
  }

  async activity(limit = 50): Promise<LogEntry[]> {
    const all: LogEntry[] = [];
    for (const w of this.config.workspaces.map((x) => resolve(x))) all.push(...(await readLog(join(this.stateDir(w), 'activity.jsonl'))));
    return all.sort((a, b) => b.time.localeCompare(a.time)).slice(0, limit);
  }
}
