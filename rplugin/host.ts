/**
 * The remote plugin host, started by Lua with jobstart({'node', host}, {rpc = true}).
 * RPC glue only: every request maps to a Session method; positions are converted once
 * (edits.ts). Nothing but RPC goes to stdout; logs go to $PLANAGER_LOG. The host exits when
 * Neovim's end of the pipe closes, which also happens when Neovim is killed.
 *
 * Over 500 lines: it is every RPC method the Lua side calls, each a short handler in front of
 * the Session (which does the work); split, each file would need the same connection state.
 */
import { appendFileSync, existsSync, readdir as readdirCb, readFile as readFileCb, unlink as unlinkCb } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
// The client alone, not the package's index (which also loads the plugin host and findNvim,
// and with them child_process): less to read and compile at every start.
import { attach } from 'neovim/lib/attach/attach.js';
import type { Session, SessionConfig, SyncReport } from '../sync/index.js';
import type * as EngineModule from './engine.js';
import { pingAnswer } from './first.js';

/**
 * The sync engine, the parser and the rest (rplugin/engine.ts, its own bundle) are loaded by
 * the setup notification, not at start-up: the first answer (ping, :checkhealth) needs none of
 * it. boot.ts provides the loader (with V8's code cache); without it, a plain require.
 */
let E: typeof EngineModule;
function loadEngine(): typeof EngineModule {
  const g = globalThis as { __planagerLoad?: (name: string) => unknown };
  E ??= (g.__planagerLoad ? g.__planagerLoad('host-engine.cjs') : require(join(__dirname, 'host-engine.cjs'))) as typeof EngineModule;
  return E;
}

// Not node:fs/promises, not node:os at start-up: each costs Node more internal modules to load
// (fs/promises brings readline), on the path to the first answer.
const readdir = promisify(readdirCb);
const readFile = promisify(readFileCb);
const unlink = promisify(unlinkCb);
const LOG = process.env.PLANAGER_LOG || join((require('node:os') as typeof import('node:os')).tmpdir(), 'planager.log');
const DEBUG = process.env.PLANAGER_LOG_LEVEL === 'debug';
function log(level: string, ...parts: unknown[]): void {
  try {
    appendFileSync(
      LOG,
      `${new Date().toISOString()} ${level} [host ${process.pid}] ${parts.map((p) => (p instanceof Error ? (p.stack ?? p.message) : typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}\n`,
    );
  } catch {
    // the log is best effort; stdout is never an option
  }
}
// Anything that would print goes to the log instead of the RPC channel.
for (const k of ['log', 'info', 'warn', 'error', 'debug'] as const) console[k] = (...a: unknown[]) => log(k.toUpperCase(), ...a);
const logger = {
  info: (...a: unknown[]) => DEBUG && log('INFO', ...a),
  warn: (...a: unknown[]) => log('WARN', ...a),
  error: (...a: unknown[]) => log('ERROR', ...a),
  debug: () => {},
  level: 'warn',
};

const nvim = attach({ reader: process.stdin, writer: process.stdout, options: { logger: logger as never } });
let session: Session | null = null;
let unregister: (() => Promise<void>) | null = null;

process.stdin.on('end', () => exit(0));
process.stdin.on('close', () => exit(0));
// A write to a pipe Neovim closed: it is gone, as when stdin ends. (The first bytes this bundle
// writes, the client's nvim_get_api_info, can come after Neovim closed the channel: boot.ts
// answered the ping before this bundle was loaded.)
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') exit(0);
  else {
    log('ERROR', 'stdout', e);
    exit(1);
  }
});
process.on('uncaughtException', (e) => {
  log('ERROR', 'uncaught', e);
  exit(1);
});
process.on('unhandledRejection', (e) => log('ERROR', 'unhandled rejection', e));

let exiting = false;
function exit(code: number): void {
  if (exiting) return;
  exiting = true;
  const done = () => process.exit(code);
  const timer = setTimeout(done, 1000);
  session?.tw.dropStandby();
  Promise.resolve(session?.flushBackups())
    .then(() => unregister?.())
    .catch(() => {})
    .finally(() => {
      clearTimeout(timer);
      done();
    });
}

function lua(code: string, args: unknown[]): Promise<unknown> {
  return nvim.lua(code, args as never);
}

function notify(level: 'info' | 'warn' | 'error', msg: string): void {
  void lua("require('planager')._notify(...)", [level, msg]).catch((e) => log('ERROR', e));
}

/** The CLI's words for what the editor does otherwise (the bulk guard's --force is :Planager sync force). */
function inEditorTerms(m: string): string {
  return m
    .replace('run again with --force to go ahead', 'run :Planager sync force to go ahead')
    .replace('`planager sync --inbox inbox.norg` collects them', 'the `inbox` option of setup() collects them');
}

/** `note.norg:12: message`: a problem of one line, shown on it. */
const LINE_WARNING = /^(.+?\.norg):(\d+): ([\s\S]*)$/;

/**
 * `scope`: the notes this sync covered (absolute paths; null: every note). Their diagnostics
 * are replaced by this sync's line problems, so a problem fixed is cleared at the next sync.
 */
function reportProblems(r: SyncReport | null | undefined, what: string, scope: string[] | null = null, clears = true): void {
  if (!r) return;
  if (!r.ok) notify(r.code === 1 ? 'warn' : 'error', `${what}: ${inEditorTerms(r.error?.message ?? '')}`);
  for (const w of r.warnings) log('WARN', `${what}: ${w}`);
  const lines: { file: string; line: number; message: string }[] = [];
  const general: string[] = [];
  for (const w of r.warnings) {
    const m = LINE_WARNING.exec(w);
    if (m) lines.push({ file: m[1], line: Number(m[2]), message: inEditorTerms(m[3]) });
    else general.push(w);
  }
  // A pull re-reads only lines Taskwarrior changed: it adds problems but never clears them (a
  // write or a full sync, which read the note's changed lines, do).
  if (process.env.PLANAGER_TIMING) log('TIMING', `${what} report: ok ${r.ok}, ${lines.length} line problem(s), clears ${clears}`);
  if ((r.ok || r.code === 1) && (clears || lines.length > 0)) void lua("require('planager')._diagnostics(...)", [scope, lines]).catch((e) => log('ERROR', e));
  // Warnings reach the user, not only the log: the first few, and how many more the log holds.
  if (general.length > 0) {
    const shown = general.slice(0, 3).map(inEditorTerms);
    const more = general.length - shown.length;
    notify('warn', `${what}: ${shown.join('; ')}${more > 0 ? ` (and ${more} more in ${LOG})` : ''}`);
  }
  if (r.conflicts.length > 0) notify('warn', `${r.conflicts.length} conflict(s) in ${what}; the older values are in :Planager history`);
  void pushStatus();
}

async function pushStatus(): Promise<void> {
  if (session) await lua("require('planager')._status(...)", [session.getStatus()]).catch(() => {});
}

interface BufInfo {
  bufnr: number;
  path: string;
  tick: number;
  lines: string[];
  modified: boolean;
}

async function buffers(): Promise<BufInfo[]> {
  return ((await lua("return require('planager')._buffers()", [])) as BufInfo[]) ?? [];
}

/**
 * A push's way to the other open notes (asked for only when it changes one): their list, and
 * their changes applied where the buffer is still as listed (its changedtick), then written.
 */
function otherBuffers(): { list: () => Promise<{ path: string; modified: boolean }[]>; apply: (path: string, after: string) => Promise<boolean> } {
  let open: BufInfo[] = [];
  return {
    list: async () => {
      open = await buffers().catch(() => [] as BufInfo[]);
      return open.map((b) => ({ path: b.path, modified: b.modified }));
    },
    apply: async (path, after) => {
      const o = open.find((x) => x.path === path);
      if (!o) return false;
      const text = o.lines.join('\n');
      // The sync read the file, which ends with the line break a buffer's lines do not hold.
      const next = after.endsWith('\n') && !text.endsWith('\n') ? after.slice(0, -1) : after;
      return (await lua("return require('planager')._apply(...)", [o.bufnr, o.tick, E.editsByLine(text, next), true])) === 'ok';
    },
  };
}

/** Buffers with unsaved changes are pulled right after their next write, never under the user. */
const pullAfterWrite = new Set<number>();
/** Writes (postwrite) under way, per note. */
const writing = new Map<string, number>();
/**
 * A sync reads the open buffers: it waits for the writes ahead of it (`:PlanagerSync` writes
 * unsaved notes first) to have their ids applied and pushed, or it would read them without.
 */
async function writesDone(): Promise<void> {
  while (writing.size > 0) await new Promise((r) => setTimeout(r, 5));
}

/** Pull into one open buffer; recompute when the user typed meanwhile, never force. */
async function pullBuffer(bufnr: number, path: string, attempt = 0): Promise<void> {
  if (!session) return;
  const info = ((await lua("return require('planager')._buffer(...)", [bufnr])) as BufInfo | null) ?? null;
  if (!info) return;
  // Unsaved changes, or a write of it still on its way (its push reports the note's line
  // problems, which a pull that ran first would see cleared): pull after the write.
  if (info.modified || (writing.get(path) ?? 0) > 0) {
    pullAfterWrite.add(bufnr);
    return;
  }
  const text = info.lines.join('\n');
  // Unmodified, yet not what its file holds: another Neovim's host or a command-line sync wrote
  // the note since it was read. Pulling from the old text would write it over the newer file.
  if (attempt < 3 && (await changedOnDisk(path, text))) {
    // Only if the buffer is still the text compared: a write since (a capture's, whose push
    // is on its way) made it the file's, and reloading it then cancelled that push.
    await lua("return require('planager')._reload(...)", [bufnr, info.tick]);
    return pullBuffer(bufnr, path, attempt + 1);
  }
  let stale = false;
  const r = await session.pull(path, text, async (after) => {
    const res = await lua("return require('planager')._apply(...)", [bufnr, info.tick, E.editsByLine(text, after), true]);
    stale = res !== 'ok';
    return !stale;
  });
  if (stale) {
    if (attempt < 3) return pullBuffer(bufnr, path, attempt + 1);
    return;
  }
  reportProblems(r, 'pull', [path], false);
}

/** Whether the file holds other text than the buffer (line ends and the last newline aside). */
async function changedOnDisk(path: string, text: string): Promise<boolean> {
  const disk = await readFile(path, 'utf8').catch(() => null);
  if (disk === null) return false;
  const d = disk.replace(/\r\n/g, '\n');
  return d !== text && d !== `${text}\n`;
}

let refreshTimer: NodeJS.Timeout | null = null;
function scheduleRefresh(): void {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = null;
    for (const b of await buffers().catch(() => [] as BufInfo[])) await pullBuffer(b.bufnr, b.path).catch((e) => log('ERROR', e));
  }, 15);
}

/** Reminders (`planager remind --neovim`) left for the open Neovims: shown once each here. */
const shownMessages = new Set<string>();
async function showMessages(): Promise<void> {
  for (const m of await E.unreadMessages(shownMessages).catch(() => [] as string[])) notify('info', m);
}

/** Where Lua records a write until its push is confirmed (see lua/planager/pending.lua). */
let pendingDir: string | null = null;
/** The pid of the Neovim this host serves (its pending entries' tokens start with it). */
let ownPid: number | null = null;
const pendingEntry = (path: string) => join(pendingDir!, path.replace(/\//g, '%'));

/** Remove a note's pending entry if it is still the one this push was for. */
async function clearPending(path: string, token: string | null): Promise<void> {
  if (!pendingDir) return;
  try {
    const text = await readFile(pendingEntry(path), 'utf8');
    if (token === null || text.split('\n')[0] === token) await unlink(pendingEntry(path));
  } catch {
    // already gone
  }
}

/**
 * The write path's ids and derived statuses, worked out after the write from the text it
 * wrote (BufWritePost sends it) and applied to the buffer, which is written again without
 * autocommands. 'ok': the file on disk is complete (nothing to add, or added); 'stale': the
 * user typed since, nothing was applied and the push waits for the next write; 'gone': the
 * buffer (or Neovim) is gone, and the push adds the ids to the file.
 */
async function completeWrite(bufnr: number, path: string, text: string, tick: number | null): Promise<'ok' | 'stale' | 'gone'> {
  const t0 = performance.now();
  const p = await session!.prewrite(path, text);
  const edits = p ? E.editsFromChanges(text, p.changes) : [];
  if (process.env.PLANAGER_TIMING) log('TIMING', `prewrite ${(performance.now() - t0).toFixed(2)} ms (${edits.length} edits)`);
  if (edits.length === 0) {
    if (tick !== null) void lua("require('planager')._clean(...)", [bufnr, tick]).catch(() => {});
    return 'ok';
  }
  const res = await lua("return require('planager')._apply(...)", [bufnr, tick, edits, true, true]).catch(() => 'gone');
  return res === 'ok' ? 'ok' : res === 'stale' ? 'stale' : 'gone';
}

/** A buffer's text for completeWrite, when no BufWritePost sent it (pending from before). */
async function bufferText(bufnr: number, path: string): Promise<{ text: string; tick: number } | 'modified' | null> {
  const info = ((await lua("return require('planager')._buffer(...)", [bufnr]).catch(() => null)) as BufInfo | null) ?? null;
  if (!info || info.path !== path) return null;
  if (info.modified) return 'modified';
  return { text: info.lines.join('\n'), tick: info.tick };
}

/** After the pull on open: parse the note and load its state now, not at the first `:w`. */
const warmed = new Set<string>();
async function warmNote(bufnr: number, path: string): Promise<void> {
  if (!session || warmed.has(path)) return;
  warmed.add(path);
  const info = ((await lua("return require('planager')._buffer(...)", [bufnr])) as BufInfo | null) ?? null;
  if (!info || info.path !== path) return;
  const text = info.lines.join('\n');
  const p = await session.prewrite(path, text);
  // A text that needs nothing: its first `:w` sends nothing at all.
  if (p && p.changes.empty) await lua("require('planager')._clean(...)", [bufnr, info.tick]);
}

/**
 * Notes whose push a previous Neovim did not see through (it quit right after the write):
 * an open, unmodified buffer gets its ids as after a queued write; any other is pushed from
 * its file (the sync adds the ids to it).
 */
async function pushPending(): Promise<void> {
  if (!pendingDir) return;
  const names = await readdir(pendingDir).catch(() => [] as string[]);
  if (names.length === 0) return;
  const open = await buffers().catch(() => [] as BufInfo[]);
  for (const name of names) {
    // The entry holds the token and the path (its name is the path with `/` as `%`).
    const [token = '', path = ''] = (await readFile(join(pendingDir, name), 'utf8').catch(() => '')).split('\n');
    // This Neovim's own writes: their postwrite is right behind this setup, in the pipe (a
    // second push here would also replace that push's line problems with none).
    if (ownPid && token.startsWith(`${ownPid}.`)) continue;
    if (!path || !session!.locate(path)) continue;
    // A note deleted since: nothing of it to push (a sync of the workspace handles its tasks).
    if (!existsSync(path)) {
      await clearPending(path, null);
      continue;
    }
    const b = open.find((x) => x.path === path);
    if (b) {
      const t = await bufferText(b.bufnr, path);
      if (t === 'modified') continue; // its next write pushes it
      if (t && (await completeWrite(b.bufnr, path, t.text, t.tick)) === 'stale') continue;
    }
    const ob = otherBuffers();
    const r = await session!.push(path, ob.list, ob.apply);
    reportProblems(r, 'push', [path]);
    if (r?.ok) await clearPending(path, null);
  }
}

/** A note's push is through: an agenda waiting for it shows Taskwarrior as it is now. */
function pushed(path: string): void {
  void lua("require('planager')._pushed(...)", [path]).catch((e) => log('ERROR', e));
}

/** A note the host wrote itself (a capture into a note no buffer holds): pushed like a write. */
async function pushFile(path: string): Promise<void> {
  const ob = otherBuffers();
  const r = await session!.push(path, ob.list, ob.apply);
  reportProblems(r, 'push', [path]);
  pushed(path);
}

const editor = () => ({ session: session!, buffers });

let markReady: () => void = () => {};
const ready = new Promise<void>((r) => (markReady = r));
/** Requests that need the session wait for setup (sent just before them, as a notification). */
const EARLY = new Set(['ping', 'setup']);

type Handler = (...args: never[]) => Promise<unknown> | unknown;
const handlers: Record<string, Handler> = {
  ping: () => pingAnswer(),
  setup: async (config: SessionConfig & { hook?: boolean; pendingDir?: string; nvimPid?: number }) => {
    // After the answers to what came with this notification (a ping): loading the engine
    // takes a while, and the first answer need not wait for it.
    await new Promise((r) => setImmediate(r));
    const { Session, registerHost } = loadEngine();
    session = new Session(config);
    pendingDir = config.pendingDir ?? null;
    ownPid = config.nvimPid ?? null;
    unregister = await registerHost(() => {
      scheduleRefresh();
      void showMessages();
    });
    await pushPending().catch((e) => log('ERROR', 'pending pushes', e));
    markReady();
    // Ready: for :checkhealth and the tests (the write path never waits for it).
    void lua("require('planager')._ready(...)", [process.pid]).catch((e) => log('ERROR', e));
    // The waiting import starts once the editor has settled after opening the note.
    setTimeout(() => {
      session?.tw.prepareStandby();
      session?.warmUp();
    }, 200).unref();
    return { pid: process.pid };
  },
  open: async (bufnr: number, path: string) => {
    await pullBuffer(bufnr, path);
    await warmNote(bufnr, path);
  },
  postwrite: async (bufnr: number, path: string, o: { text?: string; tick?: number; push?: boolean; token?: string } = {}) => {
    const t0 = performance.now();
    warmed.add(path);
    writing.set(path, (writing.get(path) ?? 0) + 1);
    try {
      // The ids first; when the user typed since, the next write does it all (it stays pending).
      if (typeof o.text === 'string' && (await completeWrite(bufnr, path, o.text, o.tick ?? null)) === 'stale') return;
      if (o.push === false) return;
      const ob = otherBuffers();
      const r = await session!.push(path, ob.list, ob.apply);
      reportProblems(r, 'push', [path]);
      pushed(path);
      if (!r || r.ok) await clearPending(path, o.token ?? null);
      if (process.env.PLANAGER_TIMING) log('TIMING', `push ${(performance.now() - t0).toFixed(2)} ms`);
    } finally {
      const n = (writing.get(path) ?? 1) - 1;
      if (n > 0) writing.set(path, n);
      else writing.delete(path);
    }
    if (!writing.has(path) && pullAfterWrite.delete(bufnr)) await pullBuffer(bufnr, path);
  },
  sync: async (force = false) => {
    const started = Date.now();
    const slow = setTimeout(() => void lua("require('planager')._progress(...)", ['syncing…']).catch(() => {}), 300);
    let reports: SyncReport[] = [];
    await writesDone();
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const open = (await buffers()).map((b) => ({ ...b, text: b.lines.join('\n') }));
        let stale = false;
        reports = await session!.syncAll(
          open,
          async (path, after) => {
            const o = open.find((x) => x.path === path)!;
            const res = await lua("return require('planager')._apply(...)", [o.bufnr, o.tick, E.editsByLine(o.text, after), true]);
            stale = stale || res !== 'ok';
            return res === 'ok';
          },
          { force },
        );
        if (!stale) break;
      }
    } finally {
      clearTimeout(slow);
    }
    for (const rep of reports) reportProblems(rep, 'sync');
    const tw = reports.reduce((n, x) => n + x.taskwarrior.created.length + x.taskwarrior.updated.length + x.taskwarrior.deleted.length, 0);
    const notes = reports.reduce((n, x) => n + x.notes.length, 0);
    if (reports.every((x) => x.ok))
      notify('info', tw + notes === 0 ? 'sync: nothing to do' : `sync: ${notes} note(s), ${tw} task(s) changed in ${Date.now() - started} ms`);
    return reports.map((x) => ({
      ok: x.ok,
      code: x.code,
      notes: x.notes,
      taskwarrior: x.taskwarrior,
      conflicts: x.conflicts,
      warnings: x.warnings,
      error: x.error,
    }));
  },
  status: () => session?.getStatus() ?? null,
  task_at: (lines: string[], line: number) => {
    // The innermost task whose item holds the cursor line (1-based).
    const text = lines.join('\n');
    const off = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    const t = E.extractObjects(E.parse(text), 'buffer')
      .tasks.filter((x) => x.spans.item.from <= off && off <= x.spans.item.to)
      .pop();
    return t && t.id ? { id: t.id, description: t.description } : null;
  },
  history: async (path: string, id: string) => session!.history(path, id),
  restore: async (path: string, id: string, n: number) => {
    await writesDone();
    const open = (await buffers()).filter((b) => !b.modified).map((b) => ({ ...b, text: b.lines.join('\n') }));
    const r = await session!.restore(path, id, n, open, async (p, after) => {
      const o = open.find((x) => x.path === p)!;
      return (await lua("return require('planager')._apply(...)", [o.bufnr, o.tick, E.editsByLine(o.text, after), true])) === 'ok';
    });
    if ('notes' in r) reportProblems(r, 'restore');
    else notify('error', `restore: ${r.message}`);
    scheduleRefresh();
    return 'message' in r && !('notes' in r) ? { ok: false, message: r.message } : { ok: true };
  },
  backups: () => session!.backups(),
  activity: (limit = 50) => session!.activity(limit),
  hook_install: () => loadEngine().installHook(session!.tw),
  // Planning sessions (rplugin/planning.ts, rplugin/taskedit.ts).
  plan: (kind: string, o: Parameters<typeof E.plan>[2] | null) => E.plan(editor(), kind, o ?? {}),
  agenda: (o: Parameters<typeof E.agendaView>[1] | null) => E.agendaView(editor(), o ?? {}),
  schedule: (o: Parameters<typeof E.scheduleDay>[1] | null) => E.scheduleDay(editor(), o ?? {}),
  stats: (path: string | null) => E.statsView(editor(), { path: path ?? undefined }),
  report: (path: string | null, file: string) => E.reportFile(editor(), { path: path ?? undefined, file }),
  capture: (text: string, o: Parameters<typeof E.captureTask>[2] | null) =>
    E.captureTask(editor(), text, o ?? {}, (abs) => void pushFile(abs).catch((e) => log('ERROR', 'capture push', e))),
  task_edit: (lines: string[], line: number, change: EngineModule.TaskChange, want: EngineModule.Expected) => E.editHome(lines, line, change, want),
  task_modify: async (uuid: string, status: string, change: EngineModule.TaskChange) => {
    const r = await E.modifyTask(session!.tw, uuid, status, change);
    // Open notes holding a mirror or the task itself show the change.
    if (r.ok) scheduleRefresh();
    return r;
  },
};

// Straight from the transport: the client holds what Neovim sends until its own
// nvim_get_api_info has been answered and decoded (≈10 ms at start, and the first answer
// waited for it). Calls into Neovim (lua()) still wait for the client's API, as before.
const transport = (nvim as unknown as { transport: { on(ev: string, f: (...a: never[]) => void): void } }).transport;
transport.on('request', (method: string, args: unknown[], resp: { send: (v: unknown, isError?: boolean) => void }) => {
  const h = handlers[method];
  if (!h) return resp.send(`planager: unknown request ${method}`, true);
  (EARLY.has(method) ? Promise.resolve() : ready)
    .then(() => (h as (...a: unknown[]) => unknown)(...args))
    .then((v) => resp.send(v ?? null))
    .catch((e: unknown) => {
      log('ERROR', method, e);
      resp.send(`planager: ${method} failed: ${e instanceof Error ? e.message : String(e)}`, true);
    });
});

transport.on('notification', (method: string, args: unknown[]) => {
  const h = handlers[method];
  if (!h) return log('WARN', `unknown notification ${method}`);
  (EARLY.has(method) ? Promise.resolve() : ready)
    .then(() => (h as (...a: unknown[]) => unknown)(...args))
    .catch((e: unknown) => {
      log('ERROR', method, e);
      notify('error', `${method} failed: ${e instanceof Error ? e.message : String(e)} (details in ${LOG})`);
    });
});

if (process.env.PLANAGER_TIMING) {
  // boot.ts's marks (ms since the process started): it began; the first ping was answered (by
  // boot.ts, before this bundle was loaded); this bundle began loading, and had run.
  setImmediate(() => {
    const b = (globalThis as { __planagerBoot?: number[] }).__planagerBoot ?? [];
    const f = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(1));
    log('TIMING', `start: boot ${f(b[0])} ms, first ping answered ${f(b[2])} ms, bundle loaded ${f(b[1])}–${f(b[3])} ms after the process started`);
  });
}

log('INFO', `started (node ${process.version})`);
