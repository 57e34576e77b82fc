/**
 * An editor session over one or more workspaces: what the Neovim host (and any other editor
 * shell) calls. Writes go through one queue per process; the engine's lock covers the rest.
 *
 * - pull(file, text): the note changes Taskwarrior brings for an open buffer (no disk write;
 *   the editor applies them to the buffer and writes it, so disk and state agree).
 * - prewrite(file, text): ids and derived statuses, no process (BufWritePre).
 * - push(file): send a written file to Taskwarrior (BufWritePost).
 * - syncAll(buffers): both ways for every tracked file; open buffers get edits, others are
 *   written by the engine.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { stateDirOf, sync, type SyncOptions, type SyncReport } from './engine.js';
import { Store } from './store.js';
import type { KnownTasks } from './prewrite.js';
import { backup, listBackups, type BackupMode } from './backup.js';
import { history, restore } from './history.js';
import { Queue } from './lock.js';
import { readLog, type LogEntry } from './log.js';
import { prepareWrite, type Prewrite } from './prewrite.js';
import { Taskwarrior } from './taskwarrior.js';
import { join } from 'node:path';

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

  constructor(readonly config: SessionConfig) {
    this.tw = new Taskwarrior({ bin: config.task ?? 'task', env: config.env ?? process.env, timeoutMs: config.timeoutMs });
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
    return stateDirOf({ workspace, stateDir: this.config.stateDir ? join(resolve(this.config.stateDir), workspace.replace(/[^A-Za-z0-9]+/g, '_')) : undefined });
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
    const [index, shard] = await Promise.all([store.index(), store.shard(rel)]);
    return { uuids: Object.keys(index.where), tasks: shard.tasks };
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

  private async run(workspace: string, extra: Partial<SyncOptions>): Promise<SyncReport> {
    return this.queue.run(async () => {
      this.status.running = true;
      try {
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
    return prepareWrite(at.rel, text, await this.known(at.workspace, at.rel), { propagate: this.config.propagate });
  }

  async push(path: string): Promise<SyncReport | null> {
    const at = this.locate(path);
    if (!at) return null;
    this.status.pendingPushes++;
    try {
      return await this.run(at.workspace, { files: [at.rel], direction: 'push' });
    } finally {
      this.status.pendingPushes--;
    }
  }

  /**
   * Both ways for every workspace. `buffers` are the open tracked buffers (saved: the editor
   * writes them first); their changes go through `apply` (which writes them), the other
   * notes are written by the engine.
   */
  async syncAll(buffers: { path: string; text: string }[], apply: (path: string, after: string) => Promise<boolean>, extra: Partial<SyncOptions> = {}): Promise<SyncReport[]> {
    const reports: SyncReport[] = [];
    for (const w of this.config.workspaces.map((x) => resolve(x))) reports.push(await this.run(w, { ...this.bufferOptions(w, buffers, apply), ...extra }));
    return reports;
  }

  /** Open buffers' texts stand in for their files, and their changes go through `apply`. */
  private bufferOptions(workspace: string, buffers: { path: string; text: string }[], apply: (path: string, after: string) => Promise<boolean>): Partial<SyncOptions> {
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
  async restore(path: string, id: string, n: number, buffers: { path: string; text: string }[] = [], apply?: (path: string, after: string) => Promise<boolean>) {
    const at = this.locate(path) ?? { workspace: resolve(this.config.workspaces[0]), rel: '' };
    const extra = apply ? this.bufferOptions(at.workspace, buffers, apply) : {};
    return this.queue.run(() => restore(this.opts(at.workspace, extra), id, n));
  }

  async backups(): Promise<{ workspace: string; commits: { commit: string; date: string; message: string }[] }[]> {
    const out = [];
    for (const w of this.config.workspaces.map((x) => resolve(x))) out.push({ workspace: w, commits: await listBackups(w, this.stateDir(w), this.config.backup || 'state') });
    return out;
  }

  async activity(limit = 50): Promise<LogEntry[]> {
    const all: LogEntry[] = [];
    for (const w of this.config.workspaces.map((x) => resolve(x))) all.push(...(await readLog(join(this.stateDir(w), 'activity.jsonl'))));
    return all.sort((a, b) => b.time.localeCompare(a.time)).slice(0, limit);
  }
}
