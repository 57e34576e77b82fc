/**
 * Round 4 of the harness (issue 13): real histories replayed as outside edits.
 *
 * - undo.data: a Taskwarrior 2.6 transaction log, made by running drawn `task` commands
 *   (history.ts SrcCmd) in a throwaway TASKDATA of its own, or read from a file (the fixture
 *   under fixtures/, or `--replay-undo FILE`). It is parsed with the product's own reader
 *   (sync/undo.ts readUndoTailSync); the parse is checked against that Taskwarrior's export
 *   (the newest version of every task must be what `task export` shows: the product trusts
 *   this to find lost updates). Each transaction is then applied to the harness's Taskwarrior
 *   with `task import`: its `new` version, or, when the harness's copy has changed since (a
 *   sync wrote to it), the transaction's own change rebased onto that copy, as the `task`
 *   command that made it would have done.
 * - activity.jsonl: an entry of the workspace's own log (a value a sync overwrote, with its
 *   whole version) brought back through `task import` (an outside edit) or `planager restore`.
 *
 * Both are Taskwarrior-side writes for the model (`outsideWrite`): what they change is what
 * Taskwarrior last wrote.
 *
 * Over 500 lines: making a stream, checking its parse and replaying it share their types and
 * the model update; split, each half would import most of the other.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { history, readLog, restore, type LogEntry, type SyncReport, type TwTask } from '../../sync/index.js';
import { fromTw, toTw } from '../../sync/mapping.js';
import { canon, diff, expectedVersions, readUndoTailSync, rebase } from '../../sync/undo.js';
import { REAL_TASK } from '../helpers/tw.js';
import {
  dueIso,
  PRIORITIES,
  PROJECTS,
  RECUR_BASE,
  RECURS,
  SRC_WORDS,
  UDA,
  UNTILS,
  WAITS,
  type BulkStep,
  type Round4Step,
  type SrcCmd,
  type UndoSource,
} from './history.js';
import { foreignOfAll, FOREIGN_UDAS, newTask, settleExpectations, snapForeign } from './round3.js';
import type { Field, MTask, StepRecord, World } from './world.js';

/** A UDA only the stream's Taskwarrior declares: in the harness's it is an orphan, to be kept. */
export const ORPHAN_UDA = 'harnessorphan';

export type Round4Issue = 'undo-parse' | 'replay-refused' | 'log-restore' | 'big-adopt';

export interface Transaction {
  old: TwTask | null;
  new: TwTask;
}

/** A parsed undo.data: its transactions (uuids renamed, see `rename`) and what the parse got wrong. */
export interface Stream {
  transactions: Transaction[];
  /** The newest version the parse gives a task, against the stream Taskwarrior's export. */
  parseIssues: string[];
  /** The raw undo.data (kept for the report and the fixture). */
  raw: string;
}

export interface ReplayState {
  stream: Stream | null;
  /** An earlier run's activity.jsonl, played back by the last `logApply` (History.log). */
  logFile: string | null;
  at: number;
  /** Stream uuid → the harness's uuid of the same task (a recurring instance both Taskwarriors made). */
  alias: Map<string, string>;
}

export const newReplayState = (): ReplayState => ({ stream: null, logFile: null, at: 0, alias: new Map() });

const TW_PRIORITY: Record<string, string> = { A: 'H', B: 'M', C: 'L' };
const TAGS = ['red', 'blue', 'green'];
const srcWord = (n: number) => `${SRC_WORDS[n % SRC_WORDS.length]} s${n}`;
const day = (n: number) => dueIso(n % 40).slice(0, 10);

/** The taskrc of the stream's Taskwarrior: the harness's UDAs and one of its own. */
function streamRc(data: string): string {
  return [
    `data.location=${data}`,
    'confirmation=off',
    'verbose=nothing',
    // An edit of a recurring instance changes that instance (the harness's own `task` does so too).
    'recurrence.confirmation=no',
    `uda.${UDA}.type=string`,
    ...FOREIGN_UDAS.map(([n, t]) => `uda.${n}.type=${t}`),
    `uda.${ORPHAN_UDA}.type=string`,
    '',
  ].join('\n');
}

interface StreamTw {
  dir: string;
  env: NodeJS.ProcessEnv;
  task(...args: string[]): string;
  exportAll(): TwTask[];
}

function streamTw(): StreamTw {
  const dir = mkdtempSync(join(tmpdir(), 'planager-harness-stream-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(dir, 'taskrc'), streamRc(data));
  const env = { PATH: process.env.PATH, HOME: dir, TASKRC: join(dir, 'taskrc'), TASKDATA: data, TZ: process.env.TZ ?? 'UTC', LANG: 'C.UTF-8' };
  const task = (...args: string[]) => execFileSync(REAL_TASK, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  return { dir, env, task, exportAll: () => JSON.parse(task('rc.json.array=on', 'rc.gc=off', 'export')) as TwTask[] };
}

/** The `task` arguments of one command, given the tasks there now (null: nothing to act on). */
export function argsOf(c: SrcCmd, tasks: TwTask[]): string[] | null {
  const pick = (n: number) => (tasks.length === 0 ? null : tasks[n % tasks.length]);
  switch (c.c) {
    case 'add': {
      const pr = PRIORITIES[c.priority % PRIORITIES.length];
      return [
        'add',
        `project:${PROJECTS[c.project % PROJECTS.length]}`,
        ...(pr ? [`priority:${TW_PRIORITY[pr]}`] : []),
        ...(c.days === null ? [] : [`due:${day(c.days + 5)}`]),
        ...(c.tag === null ? [] : [`+${TAGS[c.tag % TAGS.length]}`]),
        ...(c.uda ? [`${UDA}:born`] : []),
        '--',
        srcWord(c.word),
      ];
    }
    case 'recur':
      return [
        'add',
        `project:${PROJECTS[c.project % PROJECTS.length]}`,
        `recur:${RECURS[c.period % RECURS.length]}`,
        `due:${new Date(RECUR_BASE + c.days * 86_400_000).toISOString().slice(0, 10)}`,
        '--',
        `recurring s${c.word}`,
      ];
    case 'report':
      return ['list'];
    case 'undo':
      return ['undo'];
  }
  const t = pick(c.task);
  if (!t) return null;
  switch (c.c) {
    case 'modify':
      return [t.uuid, 'modify', modification(c.field, c.value)];
    case 'annotate':
      return [t.uuid, 'annotate', '--', `note a${c.word}`];
    case 'denotate': {
      const a = (t.annotations as { description: string }[] | undefined)?.[0];
      return a ? [t.uuid, 'denotate', '--', a.description] : null;
    }
    case 'depends': {
      const o = pick(c.on);
      return o && o.uuid !== t.uuid ? [t.uuid, 'modify', `depends:${o.uuid}`] : null;
    }
    default:
      return [t.uuid, c.c];
  }
}

function modification(f: Extract<SrcCmd, { c: 'modify' }>['field'], v: number): string {
  const clear = v % 7 === 0;
  switch (f) {
    case 'description':
      return `description:${srcWord(v)}`;
    case 'priority': {
      const pr = PRIORITIES[v % PRIORITIES.length];
      return `priority:${pr ? TW_PRIORITY[pr] : ''}`;
    }
    case 'due':
      return `due:${clear ? '' : day(v)}`;
    case 'scheduled':
      return `scheduled:${clear ? '' : day(v)}`;
    case 'project':
      return `project:${PROJECTS[v % PROJECTS.length]}`;
    case 'tag':
      return `+${TAGS[v % TAGS.length]}`;
    case 'untag':
      return `-${TAGS[v % TAGS.length]}`;
    case 'wait':
      return `wait:${WAITS[v % WAITS.length] ?? ''}`;
    case 'until':
      return `until:${UNTILS[v % UNTILS.length] ?? ''}`;
    case 'uda':
      return `${UDA}:${clear ? '' : `v${v}`}`;
    case 'orphan':
      return `${ORPHAN_UDA}:${clear ? '' : `o${v}`}`;
    case 'num':
      return `harnessnum:${clear ? '' : `${v}.5`}`;
    case 'date':
      return `harnessdate:${clear ? '' : day(v)}`;
  }
}

/** Runs the commands in a fresh Taskwarrior; returns its undo.data and its export after. */
export function runCommands(cmds: SrcCmd[]): { raw: string; exported: TwTask[]; ran: string[] } {
  const tw = streamTw();
  const ran: string[] = [];
  try {
    for (const c of cmds) {
      // A recurring parent is no task a command names (its instances are).
      const tasks = tw.exportAll().filter((t) => t.status !== 'recurring');
      const args = argsOf(c, tasks);
      if (!args) {
        ran.push(`${c.c}: nothing to act on`);
        continue;
      }
      try {
        tw.task(...args);
        ran.push(`task ${args.join(' ')}`);
      } catch (e) {
        // Refused (a dependency cycle, a recurring task's due): the user's command wrote nothing.
        ran.push(
          `task ${args.join(' ')}: refused (${String((e as { stderr?: Buffer }).stderr ?? e)
            .trim()
            .slice(0, 60)})`,
        );
      }
    }
    // The export first: it makes a recurring parent's due instances (a write undo.data records).
    const exported = tw.exportAll();
    const undo = join(tw.env.TASKDATA!, 'undo.data');
    return { raw: existsSync(undo) ? readFileSync(undo, 'utf8') : '', exported, ran };
  } finally {
    rmSync(tw.dir, { recursive: true, force: true });
  }
}

/** Transactions of an undo.data text, read with the product's reader. */
export function parseUndo(raw: string): Transaction[] {
  const dir = mkdtempSync(join(tmpdir(), 'planager-harness-undo-'));
  try {
    writeFileSync(join(dir, 'undo.data'), raw);
    return readUndoTailSync(dir, 0)?.transactions ?? [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where the product's parse of undo.data and Taskwarrior's export disagree on a task's newest version. */
export function parseIssuesOf(transactions: Transaction[], exported: TwTask[]): string[] {
  const latest = expectedVersions(transactions);
  const out: string[] = [];
  for (const t of exported) {
    const p = latest.get(t.uuid);
    if (!p) out.push(`${t.uuid} "${t.description}": in the export, in no transaction`);
    else if (canon(p) !== canon(t)) out.push(`${t.uuid} "${t.description}": undo.data parses to ${canon(p)}; task export shows ${canon(t)}`);
  }
  const seen = new Set(exported.map((t) => t.uuid));
  for (const [u, p] of latest) if (!seen.has(u)) out.push(`${u} "${p.description}": in undo.data, not in the export`);
  return out;
}

/**
 * The stream's uuids renamed, in order of first appearance, to ones derived from `key`: a
 * stream made again (shrinking re-runs the commands) gives the same uuids, so a history and
 * its trace read the same each time. Projects no note holds are mapped onto the notes'.
 */
export function rename(transactions: Transaction[], key: string): Transaction[] {
  const names = new Map<string, string>();
  const name = (u: string) => {
    let n = names.get(u);
    if (!n) {
      const h = createHash('sha1').update(`${key}:${names.size}`).digest('hex');
      n = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
      names.set(u, n);
    }
    return n;
  };
  const one = (t: TwTask): TwTask => {
    const o: TwTask = { ...t, uuid: name(t.uuid) };
    if (typeof o.parent === 'string') o.parent = name(o.parent);
    if (Array.isArray(o.depends)) o.depends = (o.depends as string[]).map(name).sort();
    if (typeof o.project === 'string' && !PROJECTS.includes(o.project))
      o.project = PROJECTS[Number.parseInt(createHash('sha1').update(o.project).digest('hex').slice(0, 6), 16) % PROJECTS.length];
    return o;
  };
  return transactions.map((x) => ({ old: x.old ? one(x.old) : null, new: one(x.new) }));
}

const cache = new Map<string, Stream>();

/** The stream of a history's undo source (made once per process and source). */
export function streamOf(src: UndoSource): Stream {
  const key = JSON.stringify(src);
  const hit = cache.get(key);
  if (hit) return hit;
  let s: Stream;
  if ('file' in src) {
    const raw = readFileSync(src.file, 'utf8');
    // Named by its content, not its path: a fixture gives the same uuids in every checkout.
    s = { transactions: rename(parseUndo(raw), `file:${createHash('sha1').update(raw).digest('hex')}`), parseIssues: [], raw };
  } else {
    const { raw, exported } = runCommands(src.commands);
    const tx = parseUndo(raw);
    s = { transactions: rename(tx, key), parseIssues: parseIssuesOf(tx, exported), raw };
  }
  cache.set(key, s);
  return s;
}

/** Taskwarrior's own version of one task in the harness (null: none). */
function exportOne(w: World, uuid: string): TwTask | null {
  const out = execFileSync(REAL_TASK, ['rc.verbose=nothing', 'rc.json.array=on', 'rc.gc=off', uuid, 'export'], { env: w.sb.env }).toString();
  return (JSON.parse(out) as TwTask[]).find((t) => t.uuid === uuid) ?? null;
}

function importOne(w: World, t: TwTask): void {
  const { id: _id, urgency: _u, ...rest } = t;
  execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', 'rc.recurrence.confirmation=no', 'import', '-'], {
    env: w.sb.env,
    input: JSON.stringify([rest]),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * A Taskwarrior-side write the harness made behind the sync (a replayed transaction, a log
 * entry brought back): the model takes every changed field as Taskwarrior's last write, and
 * what the notes cannot express as Taskwarrior has it now.
 */
export function outsideWrite(w: World, before: TwTask | null, after: TwTask): MTask {
  let t = w.tasks.find((x) => x.uuid === after.uuid);
  if (!t) {
    t = newTask(w, after.uuid, 'taskwarrior', {});
    w.tasks.push(t);
  }
  if (after.status === 'recurring') {
    t.recurParent = true;
    w.r3.parents.add(after.uuid);
  }
  const a = fromTw(after);
  const b = before ? fromTw(before) : null;
  for (const f of ['description', 'status', 'priority', 'due'] as Field[]) if (!b || !same(a[f], b[f])) w.twWrite(t, f, a[f]);
  if (a.status === 'cancelled' && b?.status !== 'cancelled') (t.deletedBy = 'taskwarrior'), (t.touchedAfterDelete = false);
  // Brought back by Taskwarrior itself: no longer a delete to keep.
  if (a.status !== 'cancelled' && b?.status === 'cancelled' && t.deletedBy === 'taskwarrior') t.deletedBy = null;
  t.annotations = ((after.annotations as { description: string }[] | undefined) ?? []).map((x) => x.description);
  t.uda = (after[UDA] as string | undefined) ?? null;
  if (!b || !same(a.depends, b.depends)) t.twDeps = new Set(a.depends);
  return t;
}

/** The harness's instance of a recurring parent with this index (the one its Taskwarrior made). */
function twinInstance(w: World, parent: string, imask: unknown): TwTask | null {
  return w.sb.exportAll().find((t) => t.parent === parent && Number(t.imask) === Number(imask)) ?? null;
}

/** One transaction of the stream, applied to the harness's Taskwarrior; a line for the trace. */
export function applyTransaction(w: World, x: Transaction): string {
  const r = w.r4;
  const mapped = (t: TwTask): TwTask => ({
    ...t,
    uuid: r.alias.get(t.uuid) ?? t.uuid,
    ...(Array.isArray(t.depends) ? { depends: (t.depends as string[]).map((d) => r.alias.get(d) ?? d).sort() } : {}),
  });
  const nu = mapped(x.new);
  const old = x.old ? mapped(x.old) : null;
  // Any `task` run makes a recurring parent's due instances: the harness's may already exist.
  const cur = exportOne(w, nu.uuid);
  if (!cur && typeof nu.parent === 'string' && nu.imask !== undefined) {
    const twin = twinInstance(w, nu.parent, nu.imask);
    if (twin) {
      r.alias.set(x.new.uuid, twin.uuid);
      if (!old) return `instance ${nu.imask} of ${labelOf(w, nu.parent)}: made by this Taskwarrior too (${labelOf(w, twin.uuid)})`;
      return applyTransaction(w, x);
    }
  }
  if (cur && !old) return `create ${nu.uuid.slice(0, 8)}: already here`;
  const want = cur && old ? rebase(cur, diff(old, nu), undefined) : nu;
  const what = old ? [...diff(old, nu).keys()].join(',') || 'nothing' : `new ${nu.status}`;
  try {
    importOne(w, want);
  } catch (e) {
    const why = String((e as { stderr?: Buffer }).stderr ?? e)
      .trim()
      .slice(0, 120);
    w.issues.push({ kind: 'replay-refused', message: `task import of a replayed transaction (${what}) on ${nu.uuid}: ${why}` });
    return `refused: ${why}`;
  }
  const after = exportOne(w, want.uuid);
  if (!after) return `${want.uuid.slice(0, 8)} gone after its import`;
  const rebased = !!(cur && old && canon(cur) !== canon(old));
  if (rebased && process.env.HARNESS_DEBUG) console.log('REBASE', canon(cur!), '\n   old', canon(old!));
  const t = outsideWrite(w, cur, after);
  return `${t.label} ${what}${rebased ? ' (rebased)' : ''}`;
}

const labelOf = (w: World, u: string) => w.tasks.find((t) => t.uuid === u)?.label ?? u.slice(0, 8);

/**
 * `task undo` in the harness's Taskwarrior. An undone add would take its task away altogether
 * (2.6 removes it), which no model of either side expresses: then nothing is undone.
 */
function twUndo(w: World): string {
  const last = readUndoTailSync(w.sb.env.TASKDATA!, 0)?.transactions.at(-1);
  if (!last) return 'nothing to undo';
  if (!last.old) return `the last change made ${labelOf(w, last.new.uuid)}: not undone`;
  const before = new Map(w.sb.exportAll().map((t) => [t.uuid, t]));
  try {
    w.task('undo');
  } catch (e) {
    return `task undo refused: ${String((e as { stderr?: Buffer }).stderr ?? e)
      .trim()
      .slice(0, 80)}`;
  }
  const changed: string[] = [];
  for (const t of w.sb.exportAll()) {
    const b = before.get(t.uuid);
    if (b && canon(b) === canon(t)) continue;
    const m = outsideWrite(w, b ?? null, t);
    changed.push(`${m.label} ${b ? [...diff(b, t).keys()].join(',') : 'back'}`);
  }
  snapForeign(w);
  return `task undo: ${changed.join('; ') || 'no task changed'}`;
}

/** Round 4's steps. */
export async function round4Step(w: World, s: Exclude<Round4Step, BulkStep>, rec: StepRecord): Promise<string> {
  if (s.t === 'twUndo') return twUndo(w);
  if (s.t === 'undoApply') {
    const st = w.r4.stream;
    if (!st) return 'no undo stream';
    const out: string[] = [];
    for (let k = 0; k < s.n && w.r4.at < st.transactions.length; k++) out.push(applyTransaction(w, st.transactions[w.r4.at++]));
    snapForeign(w);
    return out.length === 0 ? 'stream done' : `${out.length} transactions (${w.r4.at}/${st.transactions.length}): ${out.join('; ')}`;
  }
  const earlier: string[] = [];
  if (s.entry === 'all' && w.r4.logFile) {
    // An earlier run's log: its tasks are not this workspace's, so each version is an outside
    // edit that makes its task where Taskwarrior has none (no restore: this history never held it).
    const file = await readLog(w.r4.logFile);
    for (const e of file) earlier.push(`${await applyEntry(w, e, 'edit', rec, true)}; ${await w.runSync(rec, {})}`);
  }
  const log = await readLog(join(w.ws, '.planager', 'activity.jsonl'));
  if (log.length === 0) return earlier.length ? `played back ${earlier.length} entries of ${w.r4.logFile}: ${earlier.join(' | ')}` : 'no log entries';
  if (s.entry !== 'all') return applyEntry(w, log[s.entry % log.length], s.how === 'mixed' ? 'edit' : s.how, rec);
  // Every entry the log held when the playback began, each followed by a full sync.
  const out: string[] = earlier.length ? [`${earlier.length} entries of ${w.r4.logFile}: ${earlier.join(' | ')}`] : [];
  for (const [k, e] of log.entries()) {
    const how = s.how === 'mixed' ? (k % 2 === 0 ? 'edit' : 'restore') : s.how;
    const r = await applyEntry(w, e, how, rec);
    out.push(how === 'edit' ? `${r}; ${await w.runSync(rec, {})}` : r);
  }
  return `played back ${log.length} log entries: ${out.join(' | ')}`;
}

/** A logged version brought back: through `task import`, or with `planager restore`. */
async function applyEntry(w: World, e: LogEntry, how: 'edit' | 'restore', rec: StepRecord, create = false): Promise<string> {
  const cur = exportOne(w, e.uuid);
  const who = `${labelOf(w, e.uuid)} (${e.action} of ${e.time.slice(11, 19)}, ${Object.keys(e.fields).join(',')})`;
  if (!cur && !create) return `${who}: not in Taskwarrior`;
  const now = w.now();
  // Dependencies on tasks this Taskwarrior lacks (an earlier run's) would be refused.
  const held = new Set(w.sb.exportAll().map((t) => t.uuid));
  const want = toTw({ ...e.version, depends: e.version.depends.filter((d) => held.has(d)) }, cur, e.uuid, now);
  if (how === 'edit') {
    try {
      importOne(w, want);
    } catch (x) {
      return `${who}: task import refused (${String((x as { stderr?: Buffer }).stderr ?? x)
        .trim()
        .slice(0, 80)})`;
    }
    const after = exportOne(w, e.uuid);
    if (after) outsideWrite(w, cur, after);
    snapForeign(w);
    return `${who} re-applied`;
  }
  if (!cur) return `${who}: not in Taskwarrior`;
  const opts = w.syncOptions({});
  const h = await history(opts, e.uuid);
  const v = h.ok ? h.versions.find((x) => x.n > 0 && x.time === e.time && same(x.fields, e.version)) : undefined;
  if (!h.ok || !v) {
    w.issues.push({ kind: 'log-restore', message: `step ${rec.i}: the log entry of ${e.time} for ${e.id} is no version of planager history` });
    return `${who}: no such version`;
  }
  // The write restore makes (its own import), taken by the model before the sync it runs.
  const before = foreignOfAll(w);
  settleExpectations(w);
  outsideWrite(w, cur, { ...want, modified: cur.modified });
  const r = await restore(opts, e.uuid, v.n);
  if (!('processes' in r)) {
    w.issues.push({ kind: 'log-restore', message: `step ${rec.i}: planager restore ${e.id} --version ${v.n}: ${r.message}` });
    return `${who}: restore refused: ${r.message}`;
  }
  w.synced(rec, r as SyncReport, {}, before);
  snapForeign(w);
  return `${who} restored (version ${v.n}): code ${r.code}`;
}
