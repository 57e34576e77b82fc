/**
 * The Taskwarrior adapter: `task` through argv (never a shell), stdin closed on reads, a
 * timeout, and every failure turned into a value with a code and a message.
 *
 * Facts it respects (doc/design.md §4, measured on 2.6.2):
 * - every call reads all of pending.data, so the number of processes is the cost: a push is
 *   one `import`, a pull one `export`, a sync with nothing changed none (see `stamp`);
 * - `import` replaces the whole task, so callers send the full task;
 * - a JSON array with one bad task makes 2.6 segfault (exit 139): import one object per line;
 * - without an rc file `task` asks a question: stdin is closed, and a timeout ends it;
 * - UDAs are declared on every call, or `modify` would rewrite the description;
 * - reads pass rc.gc=off rc.recurrence=off rc.hooks=off so that reading never writes; imports
 *   pass rc.gc=off rc.recurrence=off, so an import started ahead (`startImport`) writes nothing
 *   before its input arrives.
 * Taskwarrior 3.x speaks the same JSON and exit codes; its data is taskchampion.sqlite3 instead
 * of *.data, which `stamp` also watches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync, statSync } from 'node:fs';

export interface TwTask {
  uuid: string;
  description: string;
  status: 'pending' | 'completed' | 'deleted' | 'waiting' | 'recurring';
  entry?: string;
  modified?: string;
  end?: string;
  start?: string;
  due?: string;
  scheduled?: string;
  wait?: string;
  project?: string;
  priority?: string;
  tags?: string[];
  depends?: string[] | string;
  annotations?: { entry: string; description: string }[];
  id?: number;
  urgency?: number;
  [uda: string]: unknown;
}

export type TwErrorCode = 'task-missing' | 'task-failed' | 'task-crashed' | 'task-timeout' | 'hook-refused' | 'bad-output';

export interface TwError {
  code: TwErrorCode;
  message: string;
  exitCode?: number | null;
  stderr?: string;
}

export type TwResult<T> = { ok: true; value: T } | { ok: false; error: TwError };

export interface TaskwarriorOptions {
  /** The `task` binary (default: `task` on PATH). */
  bin?: string;
  /** Environment for `task`; TASKRC and TASKDATA are honoured from here. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Extra UDAs to declare, name → type. */
  udas?: Record<string, string>;
  /**
   * Keep one `import` process started and waiting for its input, for a resident caller (the
   * Neovim host): a push then pays neither the fork (2.5–3.5 ms of blocking in Node) nor
   * `task`'s start-up. A waiting import holds no lock and has read no data (measured: a
   * `task add` meanwhile is not delayed, and the import loads the database after its input).
   * It is replaced when the rc file or the hooks folder changed since it started.
   */
  standby?: boolean;
}

/** UDAs Planager uses: the norg recurrence text and a priority that is not H/M/L. */
export const PLANAGER_UDAS: Record<string, string> = { norgrecur: 'string', norgpriority: 'string' };

const COMMON = ['rc.confirmation=off', 'rc.verbose=nothing', 'rc.json.array=on', 'rc.context=', 'rc.bulk=0'];
const READ = ['rc.gc=off', 'rc.recurrence=off', 'rc.hooks=off'];
const WRITE = ['rc.gc=off', 'rc.recurrence=off'];

/** An import started ahead of knowing its tasks (see `Taskwarrior.startImport`). */
export interface PendingImport {
  /**
   * `lines`: the tasks already serialised (`importLine`), when the caller has them. `onFeed`
   * gets the pid of the `task` about to read them (a sync records it: see journal.ts).
   */
  send(tasks: TwTask[], lines?: string[], onFeed?: (pid: number | undefined) => void): Promise<TwResult<void>>;
  /**
   * Settles once what `send` gave is all in the pipe. A large input only moves while the event
   * loop runs: a caller with work to do while `task` imports waits for this first, or `task`
   * sits on a full pipe until that work is done.
   */
  written(): Promise<void>;
  /**
   * Close it unused; settles once its `task` process has exited (a sync must not return with a
   * `task` of its own still starting: the user's next command would run beside it).
   */
  cancel(): Promise<void>;
}

export class Taskwarrior {
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  private readonly udaArgs: string[];
  /** Processes started, for the tests and benchmarks that count them. */
  calls = 0;
  private readonly standbyOn: boolean;
  private standby: { p: Started; ended: boolean; stamp: string } | null = null;
  private standbyTimer: NodeJS.Timeout | null = null;

  constructor(opts: TaskwarriorOptions = {}) {
    this.bin = opts.bin ?? 'task';
    this.env = opts.env ?? process.env;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const udas = { ...PLANAGER_UDAS, ...(opts.udas ?? {}) };
    this.udaArgs = Object.entries(udas).flatMap(([name, type]) => [`rc.uda.${name}.type=${type}`, `rc.uda.${name}.label=${name}`]);
    this.standbyOn = opts.standby ?? false;
  }

  /** Run `task` with argv; stdin gets `input` (or is closed). */
  run(args: string[], input?: string): Promise<TwResult<{ stdout: string; stderr: string }>> {
    const p = this.start(args);
    p.feed(input);
    return p.result;
  }

  /**
   * Start `task` now and give it its stdin later (`feed`): the process starts up (about 3 ms of
   * the 5 ms a small import costs) while the caller still works out what to send. The timeout
   * counts from `feed`, and also from the start, so that a process never fed cannot linger.
   *
   * An import's stdout goes to /dev/null: `task import` prints a line per task whatever
   * rc.verbose says (errors go to stderr), and a pipe holds 64 KB, so while Node worked
   * (the sync stages its files during a large import) `task` sat blocked on a full pipe:
   * 10,000 tasks imported in 314 ms alone, 425 ms beside 150 ms of work in Node (measured).
   */
  private start(args: string[], armNow = true, dropOut = false): Started {
    this.calls++;
    let feed: (input?: string) => void = () => {};
    let wrote: () => void = () => {};
    const written = new Promise<void>((r) => (wrote = r));
    let pid: number | undefined;
    const result = new Promise<TwResult<{ stdout: string; stderr: string }>>((done) => {
      let child: ChildProcess;
      try {
        // Its own process group, so that a timeout also ends what it started (hooks).
        child = spawn(this.bin, args, { env: this.env, stdio: ['pipe', dropOut ? 'ignore' : 'pipe', 'pipe'], detached: true });
        pid = child.pid;
      } catch (e) {
        wrote();
        done({ ok: false, error: { code: 'task-missing', message: `cannot start ${this.bin}: ${(e as Error).message}` } });
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      let timer: NodeJS.Timeout | null = null;
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, this.timeoutMs);
      };
      if (armNow) arm();
      let fed = false;
      feed = (input?: string) => {
        if (fed) return;
        fed = true;
        arm();
        if (input !== undefined) child.stdin!.end(input, () => wrote());
        else child.stdin!.end(() => wrote());
      };
      child.stdout?.on('data', (b: Buffer) => out.push(b));
      child.stderr!.on('data', (b: Buffer) => err.push(b));
      child.stdin!.on('error', () => {}); // a task that exits early closes its stdin under us
      child.on('error', (e: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        wrote();
        done({
          ok: false,
          error: {
            code: 'task-missing',
            message:
              e.code === 'ENOENT'
                ? `Taskwarrior not found: "${this.bin}" is not on PATH (install the taskwarrior package)`
                : `cannot start ${this.bin}: ${e.message}`,
          },
        });
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        wrote();
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        if (timedOut)
          return done({
            ok: false,
            error: {
              code: 'task-timeout',
              message: `task ${args.find((a) => !a.startsWith('rc.')) ?? ''} did not answer within ${this.timeoutMs} ms (is there a ~/.taskrc, or does it ask a question?)`,
              stderr,
            },
          });
        if (signal || code === 139 || code === 134)
          return done({
            ok: false,
            error: { code: 'task-crashed', message: `task crashed (${signal ?? 'exit ' + code}); nothing was saved`, exitCode: code, stderr },
          });
        if (code !== 0) {
          const hook = /hook/i.test(stderr);
          return done({
            ok: false,
            error: {
              code: hook ? 'hook-refused' : 'task-failed',
              message: `task failed (exit ${code}): ${firstLine(stderr) || firstLine(stdout) || 'no message'}`,
              exitCode: code,
              stderr,
            },
          });
        }
        done({ ok: true, value: { stdout, stderr } });
      });
    });
    return { pid, feed: (input?: string) => feed(input), result, written };
  }

  /** Every task (or those matching `filter`, which goes before the command). */
  async export(filter: string[] = []): Promise<TwResult<TwTask[]>> {
    const r = await this.run([...COMMON, ...READ, ...this.udaArgs, ...filter, 'export']);
    if (!r.ok) return r;
    try {
      const text = r.value.stdout.trim();
      const parsed = text === '' ? [] : parseExport(text);
      if (!Array.isArray(parsed)) return { ok: false, error: { code: 'bad-output', message: 'task export did not print a JSON array' } };
      return { ok: true, value: parsed as TwTask[] };
    } catch (e) {
      return { ok: false, error: { code: 'bad-output', message: `task export printed what is not JSON: ${(e as Error).message}` } };
    }
  }

  /**
   * Change one task in place: `task UUID modify ARG…` (or `done` alone), for an editor acting on
   * a task no note holds. Arguments are argv words, never a shell string; only attribute forms
   * (`due:…`, `status:pending`) are meant, or `task` would take the rest as description.
   */
  async modify(uuid: string, args: string[] | 'done'): Promise<TwResult<void>> {
    if (!/^[0-9a-f-]{36}$/i.test(uuid)) return { ok: false, error: { code: 'task-failed', message: `"${uuid}" is not a task uuid` } };
    const r = await this.run([...COMMON, ...WRITE, ...this.udaArgs, uuid, ...(args === 'done' ? ['done'] : ['modify', ...args])]);
    return r.ok ? { ok: true, value: undefined } : r;
  }

  /** Import full tasks, one JSON object per line (a bad one is an error, not a crash). */
  async import(tasks: TwTask[]): Promise<TwResult<void>> {
    if (tasks.length === 0) return { ok: true, value: undefined };
    return this.startImport().send(tasks);
  }

  /**
   * An import whose `task` process starts now; `send` gives it the tasks, `cancel` closes its
   * input empty (an empty import writes nothing: measured). Imports pass rc.gc=off and
   * rc.recurrence=off, so that nothing is written before the input arrives and Planager never
   * renumbers ids or generates recurring instances as a side effect (the user's next `task`
   * command does both, as it would have anyway).
   */
  startImport(): PendingImport {
    const held = this.takeStandby();
    let p = held?.p ?? this.startImportTask();
    let used = false;
    // Ended before it got its input (killed after waiting too long): a fresh one takes over.
    const state = held ?? { p, ended: false, stamp: '' };
    if (!held) void p.result.then(() => (state.ended = true));
    return {
      send: async (tasks: TwTask[], lines?: string[], onFeed?: (pid: number | undefined) => void) => {
        if (used) throw new Error('a pending import was used twice');
        used = true;
        if (state.ended) p = this.startImportTask();
        onFeed?.(p.pid);
        p.feed((lines ?? tasks.map(importLine)).join('\n') + '\n');
        const r = await p.result;
        this.refillStandby();
        return r.ok ? { ok: true, value: undefined } : r;
      },
      written: () => (used ? p.written : Promise.resolve()),
      cancel: async () => {
        if (used) return;
        used = true;
        // Unused: it goes back to wait for the next push (a standby holds nothing).
        if (held && !state.ended && !this.standby) {
          this.standby = held;
          return;
        }
        p.feed('');
        // An empty import exits at once; never wait long for it (a sync holds the lock here).
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([p.result, new Promise((r) => (timer = setTimeout(r, 2000)))]);
        clearTimeout(timer);
      },
    };
  }

  /** A `task import -` process (its stdout dropped: see `start`). */
  private startImportTask(armNow = true): Started {
    return this.start([...COMMON, ...WRITE, ...this.udaArgs, 'import', '-'], armNow, true);
  }

  /** What a started `task` took from its surroundings: the rc file and the hooks folder. */
  private setupStamp(): string {
    return [this.rcPath(), join(this.dataDir(), 'hooks')]
      .map((f) => {
        const s = statSync(f, { throwIfNoEntry: false });
        return s ? `${s.size}:${s.mtimeMs}:${s.ino}` : '-';
      })
      .join('|');
  }

  /** The waiting import, if there is one still fit to use. */
  private takeStandby(): { p: Started; ended: boolean; stamp: string } | null {
    const s = this.standby;
    this.standby = null;
    if (!s) return null;
    if (s.ended) return null;
    if (s.stamp !== this.setupStamp()) {
      s.p.feed('');
      return null;
    }
    return s;
  }

  /** Start the next waiting import a moment after a push, out of the way of the one just done. */
  private refillStandby(delayMs = 20): void {
    if (!this.standbyOn || this.standby || this.standbyTimer) return;
    this.standbyTimer = setTimeout(() => {
      this.standbyTimer = null;
      this.prepareStandby();
    }, delayMs);
    this.standbyTimer.unref();
  }

  /** Start the waiting import now (a resident caller does this once, in idle time). */
  prepareStandby(): void {
    if (!this.standbyOn || this.standby) return;
    const stamp = this.setupStamp();
    const p = this.startImportTask(false);
    const s = { p, ended: false, stamp };
    void p.result.then(() => {
      s.ended = true;
      if (this.standby === s) this.standby = null;
    });
    this.standby = s;
  }

  /** Let the waiting import go (it gets empty input and writes nothing). */
  dropStandby(): void {
    if (this.standbyTimer) clearTimeout(this.standbyTimer);
    this.standbyTimer = null;
    const s = this.standby;
    this.standby = null;
    s?.p.feed('');
  }

  async version(): Promise<TwResult<string>> {
    const r = await this.run(['--version']);
    return r.ok ? { ok: true, value: r.value.stdout.trim() } : r;
  }

  /** Where the data lives: TASKDATA, else data.location in the rc file, else ~/.task. */
  private dataDirCache: string | null = null;

  dataDir(): string {
    return (this.dataDirCache ??= this.findDataDir());
  }

  /** The rc file `task` reads: TASKRC, else ~/.taskrc. */
  rcPath(): string {
    return this.env.TASKRC ? expandHome(this.env.TASKRC, this.env) : join(this.env.HOME ?? homedir(), '.taskrc');
  }

  private findDataDir(): string {
    if (this.env.TASKDATA) return resolve(expandHome(this.env.TASKDATA, this.env));
    try {
      const m = /^\s*data\.location\s*=\s*(.+?)\s*$/m.exec(readFileSync(this.rcPath(), 'utf8'));
      if (m) return resolve(expandHome(m[1], this.env));
    } catch {
      // no rc file: task's default
    }
    return join(this.env.HOME ?? homedir(), '.task');
  }

  /**
   * A cheap fingerprint of the database: size and mtime of the files every write touches
   * (undo.data on 2.6, taskchampion.sqlite3 on 3.x). Equal stamps mean no `task` process
   * is needed to know nothing changed.
   */
  async stamp(): Promise<string> {
    const dir = this.dataDir();
    const names = ['undo.data', 'pending.data', 'completed.data', 'taskchampion.sqlite3'];
    // Synchronous: four stats cost less than one thread-pool round trip each.
    const stats = names.map((f) => statSync(join(dir, f), { throwIfNoEntry: false }) ?? null);
    return names.map((f, i) => (stats[i] ? `${f}:${stats[i]!.size}:${stats[i]!.mtimeMs}` : `${f}:-`)).join('|');
  }
}

/**
 * An export's JSON. 2.6 prints a control character other than tab, newline and return (a
 * vertical tab a `task add '\v'` stored) raw inside a string, which is not JSON: one such task
 * made every export, so every full sync, fail. Those characters cannot stand between values, so
 * escaping them wherever they are gives the JSON 2.6 meant (only when the plain parse fails).
 */
export function parseExport(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const fixed = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (fixed === text) throw e;
    return JSON.parse(fixed);
  }
}

/**
 * Whether a `stamp` shows a database with no task at all: 2.6 keeps every task in
 * pending.data and completed.data, so when both are missing or empty (and there is no 3.x
 * database) an export would print `[]`. A new database's first sync then starts no export.
 * undo.data must be empty too: a `task` rewriting both files (its gc) leaves them empty for a
 * moment, and a stamp taken then made a sync read a database of 20 tasks as one of none, and
 * warn that every line's task was purged (regress case 5, seen once in CI). A database that has
 * had a task has its undo.data, which 2.6 only appends to.
 */
export function emptyByStamp(stamp: string): boolean {
  const size = new Map(stamp.split('|').map((part) => part.split(':', 2) as [string, string]));
  const none = (f: string) => size.get(f) === '-' || size.get(f) === '0';
  return none('undo.data') && none('pending.data') && none('completed.data') && size.get('taskchampion.sqlite3') === '-';
}

interface Started {
  pid: number | undefined;
  feed(input?: string): void;
  result: Promise<TwResult<{ stdout: string; stderr: string }>>;
  /** Settles once the input fed is all in the pipe (or the process is gone). */
  written: Promise<void>;
}

/** One task as `import` reads it: its JSON, one line. */
export function importLine(t: TwTask): string {
  return JSON.stringify(stripVolatile(t));
}

/** Fields `task` computes itself; sending them back is refused or meaningless. */
function stripVolatile(t: TwTask): TwTask {
  const { id: _id, urgency: _u, ...rest } = t;
  return rest as TwTask;
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p.startsWith('~/') ? join(env.HOME ?? homedir(), p.slice(2)) : p;
}

/** `YYYYMMDDTHHMMSSZ` (Taskwarrior's export format) ↔ Date, in Node, never `task calc`. */
const p2 = (n: number) => (n < 10 ? '0' : '') + n;

let lastMs = Number.NaN;
let lastText = '';

/** `YYYYMMDDTHHMMSSZ`, UTC (built from the fields: a sync formats thousands of these, mostly
 * its own `now` again and again: the last one is kept). */
export function twDate(d: Date): string {
  const ms = d.getTime();
  if (ms === lastMs) return lastText;
  lastText = twDateOf(d);
  lastMs = ms;
  return lastText;
}

function twDateOf(d: Date): string {
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999)
    return d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  return `${String(y).padStart(4, '0')}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}T${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`;
}

/**
 * `YYYYMMDDTHHMMSSZ` (what Taskwarrior exports) by character codes, null for anything else: a
 * plan maps 10,000 tasks' dates, and the pattern's match arrays were a tenth of that.
 */
export function basicMs(s: string): number | null {
  if (s.charCodeAt(8) !== 84 || s.charCodeAt(15) !== 90) return null;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 4, 6);
  const d = digitsAt(s, 6, 8);
  const h = digitsAt(s, 9, 11);
  const mi = digitsAt(s, 11, 13);
  const sec = digitsAt(s, 13, 15);
  if (Number.isNaN(y + mo + d + h + mi + sec)) return null;
  return utcMs(y, mo - 1, d, h, mi, sec);
}

/** The number the decimal digits of `s` from `from` to `to` spell; NaN when one is not a digit (a function of its own: a closure per date was made 10,000 times a plan). */
function digitsAt(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/** `Date.UTC`, but years 0-99 are years 0-99 (Date.UTC maps them to 1900-1999). */
export function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const t = Date.UTC(y, mo, d, h, mi, s);
  if (y >= 100) return t;
  const x = new Date(t);
  x.setUTCFullYear(y, mo, d);
  return x.getTime();
}

export function parseTwDate(s: string | undefined): Date | null {
  if (!s) return null;
  const ms = s.length === 16 ? basicMs(s) : null;
  if (ms !== null) return new Date(ms);
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}
