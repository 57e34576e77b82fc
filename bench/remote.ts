/**
 * Several devices (issue 18), with real git, task and taskd on 127.0.0.1 (scripts/taskd.sh, a
 * server of its own in a temp folder), each device a clone of one bare repository with its own
 * Taskwarrior, as in test/helpers/devices.ts:
 *
 * - convergence: three devices holding 3,000 tasks in 30 notes change 1,000 tasks each (two in
 *   their notes, one in Taskwarrior), then `planager sync --remote` in turn until all hold the
 *   same notes and tasks; against the time spent in the git and task sync commands that took
 *   (fetch, merge, add, commit, push, task sync; the merge driver's time inside git merge is
 *   Planager's), read from timing wrappers on PATH. Target ≤ 2×; the rest of the time is shown
 *   by kind (the profile). `sync --remote` merges the notes in its own process (cli/remotemerge.ts):
 *   the driver's wrapper stays, so a driver git started after all would show in the profile;
 * - nothing changed anywhere, on one of those devices: `sync --remote` (the quiet run,
 *   cli/remotequiet.ts) against `git fetch` + `task sync` alone on the same device, rounds
 *   interleaved; target ≤ 1.3×. Beside it for scale: Node's own start, and the full run with
 *   nothing changed (the quiet record set aside before each).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ms, type Row } from './measure.js';

const ROOT = process.cwd();
const CLI = join(ROOT, 'dist', 'cli.cjs');
const TASKD = join(ROOT, 'scripts', 'taskd.sh');
const QUIET = 'sync: nothing to do (notes, tasks and git as the last run left them)';
const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@localhost',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@localhost',
  GIT_TERMINAL_PROMPT: '0',
};

const which = (cmd: string): string | null => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};

interface Device {
  name: string;
  dir: string;
  ws: string;
  /** With the timing wrappers first on PATH. */
  env: NodeJS.ProcessEnv;
  /** The same without them (the nothing-changed rounds: no wrapper's cost on either side). */
  plain: NodeJS.ProcessEnv;
  log: string;
}

/** One line per call: start, end (seconds, from bash's clock) and the words. */
function wrapper(path: string, real: string, log: string, what: string): void {
  writeFileSync(
    path,
    `#!/bin/bash\ns=$EPOCHREALTIME\n${real} "$@"\nrc=$?\nprintf '%s\\t%s\\t%s\\n' "$s" "$EPOCHREALTIME" "${what} $*" >> "${log}"\nexit $rc\n`,
  );
  chmodSync(path, 0o755);
}

function makeDevice(root: string, name: string, remote: string, rc: string, seed?: Record<string, string>): Device {
  const dir = join(root, name);
  const bin = join(dir, 'bin');
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  writeFileSync(join(dir, 'taskrc'), `data.location=${join(dir, 'data')}\nconfirmation=off\ninclude ${rc}\n`);
  for (const c of ['git', 'task']) wrapper(join(bin, c), `"${which(c)}"`, log, c);
  const plain: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    TASKRC: join(dir, 'taskrc'),
    TASKDATA: join(dir, 'data'),
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    ...GIT_ENV,
  };
  const env = { ...plain, PATH: `${bin}:${process.env.PATH}` };
  const ws = join(dir, 'notes');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, env: plain, stdio: ['ignore', 'pipe', 'pipe'] });
  execFileSync('git', ['clone', '-q', remote, ws], { env: plain, stdio: 'ignore' });
  if (seed) {
    git('checkout', '-q', '-b', 'main');
    for (const [f, t] of Object.entries(seed)) writeFileSync(join(ws, f), t);
    git('add', '.');
    git('commit', '-q', '-m', 'notes');
    git('push', '-q', '-u', 'origin', 'main');
  }
  return { name, dir, ws, env, plain, log };
}

function planager(d: Device, env: NodeJS.ProcessEnv, ...args: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: d.ws, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const t = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${d.name}: planager ${args.join(' ')} exited ${r.status}\n${r.stdout}${r.stderr}`);
  return { ms: t, out: r.stdout };
}

const syncRemote = (d: Device, env = d.env) => planager(d, env, 'sync', '--remote');

/** 30 notes of 100 tasks; task i is `Task f.j`, i = 100 f + j. */
function seedNotes(files = 30, per = 100): Record<string, string> {
  const out: Record<string, string> = { '.gitattributes': '*.norg merge=planager\n' };
  for (let f = 0; f < files; f++) {
    const lines = [`* Area ${f}`, '  Notes on this area.', ''];
    for (let j = 0; j < per; j++) {
      if (j % 25 === 0) lines.push(`** Part ${j / 25}`);
      lines.push(`   - ( ) Task ${f}.${j} with a few words to describe it`);
    }
    out[`area${String(f).padStart(2, '0')}.norg`] = `${lines.join('\n')}\n`;
  }
  return out;
}

const TASK_LINE = /^(\s*- )\( \)( Task (\d+)\.(\d+) .*)$/;

/** Edits the task lines whose number i = 100 f + j has i % 3 === k. */
function editNotes(d: Device, k: number, edit: (head: string, rest: string) => string): number {
  let n = 0;
  for (const f of readdirSync(d.ws).filter((x) => x.endsWith('.norg'))) {
    const p = join(d.ws, f);
    const lines = readFileSync(p, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = TASK_LINE.exec(lines[i]);
      if (m && (Number(m[3]) * 100 + Number(m[4])) % 3 === k) (lines[i] = edit(m[1], m[2])), n++;
    }
    writeFileSync(p, lines.join('\n'));
  }
  return n;
}

function exportAll(d: Device): { uuid: string; description: string; status: string; priority?: string; id?: number; urgency?: number }[] {
  const out = execFileSync('task', ['rc.verbose=nothing', 'rc.json.array=on', 'rc.gc=off', 'rc.hooks=off', 'export'], {
    env: d.plain,
    maxBuffer: 1 << 28,
  }).toString();
  return JSON.parse(out);
}

/** The 1,000 tasks i % 3 === 1 changed in Taskwarrior (one import, as a script or another tool would). */
function editTasks(d: Device): number {
  const now = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const changed = exportAll(d)
    .filter((t) => {
      const m = /^Task (\d+)\.(\d+) /.exec(t.description);
      return m && (Number(m[1]) * 100 + Number(m[2])) % 3 === 1;
    })
    .map(({ id: _id, urgency: _u, ...t }: any) => ({ ...t, priority: 'H', modified: now }));
  execFileSync('task', ['rc.confirmation=off', 'rc.verbose=nothing', 'rc.hooks=off', 'import', '-'], {
    env: d.plain,
    input: changed.map((t) => JSON.stringify(t)).join('\n'),
    maxBuffer: 1 << 28,
  });
  return changed.length;
}

function notesOf(d: Device): string {
  return readdirSync(d.ws)
    .filter((f) => f.endsWith('.norg'))
    .sort()
    .map((f) => `${f}\n${readFileSync(join(d.ws, f), 'utf8')}`)
    .join('\n');
}

function tasksOf(d: Device): string {
  return JSON.stringify(
    exportAll(d)
      .map((t) => [t.uuid, t.description, t.status, t.priority ?? ''])
      .sort((x, y) => x[0].localeCompare(y[0])),
  );
}

const converged = (ds: Device[]) => ds.every((d) => notesOf(d) === notesOf(ds[0]) && tasksOf(d) === tasksOf(ds[0]));

interface Call {
  start: number;
  end: number;
  words: string[];
}

function calls(d: Device): Call[] {
  let text = '';
  try {
    text = readFileSync(d.log, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [s, e, w] = l.split('\t');
      return { start: Number(s) * 1000, end: Number(e) * 1000, words: w.split(' ') };
    });
}

/** git's subcommand (past `-c k=v` and `-C dir`), task's command (past `rc.` overrides and filters). */
function kindOf(c: Call): string {
  const [prog, ...rest] = c.words;
  if (prog === 'driver') return 'driver';
  if (prog === 'git') {
    // The two-way sync's backup of its state (a repository of its own in .planager).
    if (rest.includes('commit.gpgsign=false')) return 'git (backup of the sync state)';
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '-c' || rest[i] === '-C') i++;
      else if (!rest[i].startsWith('-')) return `git ${rest[i]}`;
    }
    return 'git';
  }
  const cmd = rest.find((w) => ['sync', 'import', 'export', 'modify', 'add', 'done', 'delete', '--version', '_get'].includes(w));
  return `task ${cmd ?? rest.filter((w) => !w.startsWith('rc.'))[0] ?? ''}`;
}

const NEEDED = new Set(['git fetch', 'git merge', 'git add', 'git commit', 'git push', 'task sync']);

/** Total length of the union of intervals (overlapping children counted once). */
function covered(xs: Call[]): number {
  const s = [...xs].sort((a, b) => a.start - b.start);
  let total = 0;
  let end = -Infinity;
  for (const c of s) {
    if (c.start > end) (total += c.end - c.start), (end = c.end);
    else if (c.end > end) (total += c.end - end), (end = c.end);
  }
  return total;
}

interface Converge {
  wall: number;
  runs: number;
  /** Each run's device and time. */
  each: string[];
  needed: number;
  /**
   * The time some needed command was running (their intervals' union, the merge drivers' cut
   * out): with `task sync` beside git's steps, summing their lengths counts the overlap twice,
   * and the commands run slower beside each other, so the sum flatters a run that overlaps them.
   */
  neededSpan: number;
  neededN: number;
  byKind: Map<string, { n: number; ms: number }>;
  planagerOwn: number;
}

/** Runs until every device holds the same notes and tasks; the git and task calls read back from the logs. */
function converge(ds: Device[]): Converge {
  for (const d of ds) writeFileSync(d.log, '');
  let wall = 0;
  const each: string[] = [];
  const one = (d: Device) => {
    const t = syncRemote(d).ms;
    wall += t;
    each.push(`${d.name} ${(t / 1000).toFixed(1)} s`);
  };
  // Each device once brings its own changes out and what came before in; the first two again
  // bring in what came after them.
  for (const i of [0, 1, 2, 0, 1]) one(ds[i]);
  for (let extra = 0; !converged(ds); extra++) {
    if (extra >= 6) throw new Error('the devices did not converge');
    one(ds[(2 + extra) % 3]);
  }
  const all = ds.flatMap(calls);
  const byKind = new Map<string, { n: number; ms: number }>();
  for (const c of all) {
    const k = kindOf(c);
    const v = byKind.get(k) ?? { n: 0, ms: 0 };
    byKind.set(k, { n: v.n + 1, ms: v.ms + (c.end - c.start) });
  }
  const driver = byKind.get('driver')?.ms ?? 0;
  let needed = 0;
  let neededN = 0;
  for (const [k, v] of byKind) if (NEEDED.has(k)) (needed += v.ms), (neededN += v.n);
  // The merge driver runs inside git merge: its time is Planager's, not git's.
  needed -= driver;
  const neededSpan = covered(all.filter((c) => NEEDED.has(kindOf(c)))) - covered(all.filter((c) => kindOf(c) === 'driver'));
  return { wall, runs: each.length, each, needed, neededSpan, neededN, byKind, planagerOwn: wall - covered(all.filter((c) => kindOf(c) !== 'driver')) };
}

/** The merge driver through a timing wrapper too (its time is taken out of git merge's). */
function timeDriver(d: Device): void {
  const p = join(d.dir, 'bin', 'merge-driver');
  wrapper(p, `"${process.execPath}" "${CLI}" merge-driver`, d.log, 'driver');
  execFileSync('git', ['config', '--local', 'merge.planager.driver', `'${p}' %O %A %B %P`], { cwd: d.ws, env: d.plain });
}

function nothingChanged(
  d: Device,
  rounds = 11,
  warm = 2,
): { quiet: number[]; floor: number[]; fetch: number[]; tsync: number[]; node: number[]; full: number[] } {
  // A full run with these words and this environment records the quiet run's stamps.
  for (let i = 0; !syncRemote(d, d.plain).out.includes(QUIET); i++) if (i >= 3) throw new Error('never quiet');
  const out = { quiet: [] as number[], floor: [] as number[], fetch: [] as number[], tsync: [] as number[], node: [] as number[], full: [] as number[] };
  const t = (fn: () => void): number => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const opts = { cwd: d.ws, env: d.plain, stdio: 'ignore' as const };
  for (let r = 0; r < rounds + warm; r++) {
    const q = syncRemote(d, d.plain);
    if (!q.out.includes(QUIET)) throw new Error(`not quiet:\n${q.out}`);
    const f = t(() => execFileSync('git', ['fetch', '--quiet', 'origin'], opts));
    const s = t(() => execFileSync('task', ['rc.confirmation=off', 'rc.hooks=on', 'sync'], opts));
    const n = t(() => execFileSync(process.execPath, ['-e', ''], opts));
    if (r >= warm) out.quiet.push(q.ms), out.fetch.push(f), out.tsync.push(s), out.floor.push(f + s), out.node.push(n);
  }
  // The full run with nothing changed: what every such run cost before the quiet run.
  const state = join(d.ws, '.planager', 'remote.json');
  for (let r = 0; r < 5; r++) {
    const s = JSON.parse(readFileSync(state, 'utf8'));
    delete s.quiet;
    writeFileSync(state, JSON.stringify(s));
    out.full.push(syncRemote(d, d.plain).ms);
  }
  return out;
}

export async function benchRemote(): Promise<Row[]> {
  if (!which('taskd') || !(which('certtool') || which('gnutls-certtool')))
    return [{ name: 'sync --remote (skipped: taskd or certtool is not installed: apt-get install taskd gnutls-bin)', value: '' }];
  const load0 = loadavg()[0];
  const root = mkdtempSync(join(tmpdir(), 'planager-bench-remote-'));
  const server = join(root, 'taskd');
  const sh = (...args: string[]) => execFileSync('bash', [TASKD, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  sh('start', server);
  try {
    const key = sh('user', server, 'bench');
    const remote = join(root, 'notes.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote], { env: { ...process.env, ...GIT_ENV } });
    const ds = ['laptop', 'desk', 'phone'].map((n, i) => makeDevice(root, n, remote, sh('device', server, 'bench', key, n), i === 0 ? seedNotes() : undefined));
    for (const d of ds) {
      planager(d, d.plain, 'remote', 'setup', '--yes');
      timeDriver(d);
    }
    // In step first (not timed): every device holds the 3,000 tasks.
    for (const d of [...ds, ds[0]]) syncRemote(d);
    if (!converged(ds)) throw new Error('the devices are not in step after the first syncs');
    const changed = [
      editNotes(ds[0], 0, (head, rest) => `${head}( )${rest.replace(' with a few words ', ' with some words ')}`),
      editTasks(ds[1]),
      // A priority, not done: completing 1,000 at once stops a sync and asks (--force).
      editNotes(ds[2], 2, (head, rest) => `${head}( |# C)${rest}`),
    ];
    const c = converge(ds);
    const q = nothingChanged(ds[0]);
    const floor = median(q.floor);
    const rows: Row[] = [
      {
        name: `convergence: 3 devices, ${changed.join(' + ')} tasks changed (laptop: notes, desk: Taskwarrior, phone: notes), ${c.runs} sync --remote runs`,
        value: ms(c.wall),
        baseline: `${c.neededN} git fetch/merge/add/commit/push + task sync, the time one of them ran: ${ms(c.neededSpan)}`,
        ratio: c.wall / c.neededSpan,
        target: '≤ 2×',
        pass: c.wall / c.neededSpan <= 2,
      },
      {
        name: '  the same against the sum of their lengths (overlapping ones counted twice)',
        value: ms(c.wall),
        baseline: ms(c.needed),
        ratio: c.wall / c.needed,
        target: '(profile)',
      },
    ];
    const kinds = [...c.byKind].filter(([k]) => !NEEDED.has(k)).sort((x, y) => y[1].ms - x[1].ms);
    const label = (k: string) =>
      k === 'driver'
        ? 'the merge driver (inside git merge, one process per note)'
        : k === 'task import'
          ? 'task import (its lifetime: started early, it waits for its input while Planager works)'
          : k;
    rows.push({ name: `  runs: ${c.each.join(', ')}`, value: '', target: '(profile)' });
    for (const [k, v] of kinds) rows.push({ name: `  where the rest went: ${label(k)} × ${v.n}`, value: ms(v.ms), target: '(profile)' });
    rows.push({
      name: '  where the rest went: Planager itself (Node start, CLI, two-way sync), no child running',
      value: ms(c.planagerOwn),
      target: '(profile)',
    });
    rows.push(
      {
        name: 'nothing changed anywhere: sync --remote, the quiet run (1 git fetch + 1 task sync, side by side)',
        value: ms(median(q.quiet)),
        baseline: `git fetch ${ms(median(q.fetch))} + task sync ${ms(median(q.tsync))}`,
        ratio: median(q.quiet) / floor,
        target: '≤ 1.3×',
        pass: median(q.quiet) / floor <= 1.3,
      },
      {
        name: "  for scale: node -e '' (Node's start alone)",
        value: ms(median(q.node)),
        baseline: `git fetch + task sync ${ms(floor)}`,
        ratio: median(q.node) / floor,
        target: '(informative)',
      },
      {
        name: '  for scale: the full run with nothing changed (quiet record set aside)',
        value: ms(median(q.full)),
        baseline: `git fetch + task sync ${ms(floor)}`,
        ratio: median(q.full) / floor,
        target: '(informative)',
      },
      // Shared machines: how busy this one was, for reading the figures above.
      {
        name: `  machine load (1-minute average) at the start and the end: ${load0.toFixed(1)}, ${loadavg()[0].toFixed(1)}`,
        value: '',
        target: '(informative)',
      },
    );
    return rows;
  } finally {
    sh('stop', server);
    rmSync(root, { recursive: true, force: true });
  }
}
