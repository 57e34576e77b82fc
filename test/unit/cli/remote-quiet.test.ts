/**
 * The quiet `sync --remote` (cli/remotequiet.ts): with nothing changed anywhere it starts one
 * `git fetch` and (with a server) one `task sync`, and no other process; and every kind of change
 * makes it hand over to the full run, which does the work without running either command again.
 * Real git, task and taskd on loopback (test/helpers/taskd.ts), the built CLI. Processes are
 * counted twice: by the git and task wrappers on PATH, and by a preload in the planager process
 * that logs every process Node starts (so a process of any other name would show).
 */
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareRemote, device, type Device } from '../../helpers/devices.js';
import { HAVE_TASKD, TASKD_SKIP, taskdServer, type TaskdServer } from '../../helpers/taskd.js';
import { remoteWords } from '../../../cli/remotequiet.js';
import { assertBuilt, planager, type Run } from './run.js';

const NOTE = `* Week
  Plans for the week.
  - ( ) Write the report
  - ( |# B) Call Anna
  - ( ) Buy milk

  Last line.
`;
const SEED = { 'week.norg': NOTE, '.gitattributes': '*.norg merge=planager\n' };
const QUIET = 'sync: nothing to do (notes, tasks and git as the last run left them)';

// Preloaded into the planager process (NODE_OPTIONS=--require): every process it starts, one
// JSON line each. Asynchronous starts all go through ChildProcess#spawn; the synchronous ones
// through the module's functions.
const PRELOAD = `const cp = require('node:child_process');
const fs = require('node:fs');
const note = (file, args) => fs.appendFileSync(process.env.SPAWN_LOG, JSON.stringify([file, ...args.map(String)]) + '\\n');
const spawn = cp.ChildProcess.prototype.spawn;
cp.ChildProcess.prototype.spawn = function (o) { note(o.file, o.args.slice(1)); return spawn.call(this, o); };
for (const k of ['spawnSync', 'execFileSync', 'execSync']) {
  const f = cp[k];
  cp[k] = function (file, args) { note(file, Array.isArray(args) ? args : []); return f.apply(this, arguments); };
}
// And Node's own modules the run loaded, last (what a quiet run must not load: see below).
process.on('exit', () => note('modules', process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))));
`;

const preload = join(mkdtempSync(join(tmpdir(), 'planager-spawnlog-')), 'spawn-log.cjs');

/** `planager sync --remote` on a device, with every process it starts logged; the log read back. */
async function logged(d: Device): Promise<Run & { spawns: string[]; modules: string[] }> {
  const log = join(d.sb.dir, `spawns-${Date.now()}.log`);
  writeFileSync(log, '');
  const r = await planager(['sync', '--remote'], { cwd: d.ws, env: { ...d.env, NODE_OPTIONS: `--require ${preload}`, SPAWN_LOG: log } });
  const lines = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);
  const modules = lines.find((l) => l[0] === 'modules')?.slice(1) ?? [];
  return { ...r, spawns: lines.filter((l) => l[0] !== 'modules').map((l) => l.join(' ')), modules };
}

async function syncOk(d: Device): Promise<string> {
  const r = await d.planager('sync', '--remote');
  if (r.code !== 0) throw new Error(`${d.name}: sync --remote exited ${r.code}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Runs until a run is quiet (at most three): the record is written by a run that ended at rest. */
async function settle(d: Device): Promise<void> {
  for (let i = 0; i < 3; i++) if ((await syncOk(d)).includes(QUIET)) return;
  throw new Error(`${d.name}: never quiet`);
}

const taskSyncs = (d: Device) => d.sb.calls().filter((c) => c.split(' ').pop() === 'sync');
const fetches = (d: Device) => d.gitCalls().filter((c) => c.startsWith('fetch'));

beforeAll(() => {
  assertBuilt();
  writeFileSync(preload, PRELOAD);
});

describe('quiet sync --remote without a task server', () => {
  it('nothing changed: one git fetch and no other process; a note edited afterwards runs in full', async () => {
    const remote = bareRemote();
    const a = device('laptop', remote, { seed: SEED });
    expect((await a.planager('remote', 'setup', '--yes')).code).toBe(0);
    await syncOk(a);
    await settle(a);
    a.resetCalls();
    const q = await logged(a);
    expect(q.code).toBe(0);
    expect(q.stdout).toContain(QUIET);
    expect(q.stdout).toContain('task sync: no server in the taskrc (taskd.server), skipped');
    expect(q.spawns).toEqual(['git fetch --quiet origin']);
    expect(a.gitCalls()).toEqual(['fetch --quiet origin']);
    expect(a.sb.calls()).toEqual([]);

    a.write('week.norg', a.read('week.norg').replace('Buy milk', 'Buy silk'));
    a.resetCalls();
    const full = await syncOk(a);
    expect(full).toMatch(/notes: committed 1 note file/);
    expect(full).toContain('git: pushed main to origin');
    expect(fetches(a)).toHaveLength(1);
    expect(a.git('--git-dir', remote, 'show', 'main:week.norg')).toContain('Buy silk');
  });

  it('the remote unreachable: the quiet run hands its failed fetch over, and the full run stops there (exit 2) without fetching again', async () => {
    const remote = bareRemote();
    const a = device('laptop', remote, { seed: SEED });
    expect((await a.planager('remote', 'setup', '--yes')).code).toBe(0);
    await syncOk(a);
    await settle(a);
    renameSync(remote, `${remote}.away`);
    a.resetCalls();
    const off = await a.planager('sync', '--remote');
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/git fetch: failed: .*\n {2}the remote origin is unreachable/);
    expect(fetches(a)).toHaveLength(1);
    renameSync(`${remote}.away`, remote);
    // The record went with the failed run: a full run first, then quiet again.
    expect(await syncOk(a)).not.toContain(QUIET);
    expect(await syncOk(a)).toContain(QUIET);
  });
});

describe('remoteWords: the words the quiet run answers', () => {
  it('sync --remote with at most a workspace; anything else is the full CLI', () => {
    expect(remoteWords(['sync', '--remote'])).toEqual({ workspace: undefined });
    expect(remoteWords(['sync', '-w', 'notes', '--remote'])).toEqual({ workspace: 'notes' });
    expect(remoteWords(['sync', '--remote', '--workspace=notes'])).toEqual({ workspace: 'notes' });
    for (const words of [
      ['sync'],
      ['pull', '--remote'],
      ['sync', '--remote', '--force'],
      ['sync', '--remote', '--dry-run'],
      ['sync', '--remote', '--remote'],
      ['sync', '--remote', '-w'],
      ['sync', '--remote', 'extra'],
      ['sync', '--remote', '--help'],
    ])
      expect(remoteWords(words)).toBeNull();
  });
});

let server: TaskdServer;

describe.skipIf(!HAVE_TASKD)(`quiet sync --remote with taskd${TASKD_SKIP ? ` (skipped: ${TASKD_SKIP})` : ''}`, () => {
  beforeAll(() => {
    server = taskdServer();
  }, 60_000);
  afterAll(() => server?.stop());

  /** Two devices of one person, in step, each at rest (its next run quiet). */
  async function pair(): Promise<[Device, Device, string]> {
    const remote = bareRemote();
    const account = server.account('q');
    const a = device('laptop', remote, { seed: SEED, taskd: { server, account } });
    const b = device('desk', remote, { taskd: { server, account } });
    for (const d of [a, b]) expect((await d.planager('remote', 'setup', '--yes')).code).toBe(0);
    for (const d of [a, b, a]) await syncOk(d);
    for (const d of [a, b]) await settle(d);
    for (const d of [a, b]) d.resetCalls();
    return [a, b, remote];
  }

  it('nothing changed anywhere: exactly one git fetch and one task sync, no other process', async () => {
    const [a] = await pair();
    const q = await logged(a);
    expect(q.code).toBe(0);
    expect(q.stdout).toContain(QUIET);
    expect(q.stdout).toMatch(/task sync: Sync successful\. +No changes\./);
    expect(q.spawns.sort()).toEqual(['git fetch --quiet origin', 'task rc.confirmation=off rc.hooks=on sync']);
    expect(a.gitCalls()).toEqual(['fetch --quiet origin']);
    expect(a.sb.calls()).toEqual(['rc.confirmation=off rc.hooks=on sync']);
    // On the way to the first process, nothing it can do without: an import() would start Node's
    // ES module loader (its module jobs), the lock's old wait path loaded node:fs/promises (issue 18).
    expect(q.modules).toContain('NativeModule child_process');
    expect(q.modules.filter((m) => /esm\/module_job|fs\/promises/.test(m))).toEqual([]);
  });

  it('a note edited (same size): the full run commits, syncs, pushes; the other device gets it', async () => {
    const [a, b, remote] = await pair();
    a.write('week.norg', a.read('week.norg').replace('Buy milk', 'Buy silk'));
    const out = await syncOk(a);
    expect(out).not.toContain(QUIET);
    expect(out).toMatch(/notes: committed 1 note file/);
    expect(out).toMatch(/taskwarrior: 0 created, 1 updated/);
    expect(out).toContain('git: pushed main to origin');
    expect(fetches(a)).toHaveLength(1);
    // Once before the two-way sync, once after it changed Taskwarrior.
    expect(taskSyncs(a)).toHaveLength(2);
    expect(a.git('--git-dir', remote, 'show', 'main:week.norg')).toContain('Buy silk');
    await syncOk(b);
    expect(b.read('week.norg')).toBe(a.read('week.norg'));
    expect(b.sb.exportAll().map((t) => t.description)).toContain('Buy silk');
  });

  it('a task changed here in Taskwarrior: the full run writes it into the note, commits and pushes', async () => {
    const [a, , remote] = await pair();
    const milk = a.sb.exportAll().find((t) => t.description === 'Buy milk')!;
    a.sb.task(milk.uuid, 'modify', 'Buy oat milk');
    a.resetCalls();
    const out = await syncOk(a);
    expect(out).not.toContain(QUIET);
    expect(a.read('week.norg')).toMatch(/- \( \) Buy oat milk %#/);
    expect(out).toContain('git: pushed main to origin');
    expect(fetches(a)).toHaveLength(1);
    expect(taskSyncs(a)).toHaveLength(1);
    expect(a.git('--git-dir', remote, 'show', 'main:week.norg')).toContain('Buy oat milk');
  });

  it('a commit on the remote: the quiet run hands its fetch and task sync to the full run, which merges; neither runs again', async () => {
    const [a, b] = await pair();
    b.write('week.norg', b.read('week.norg').replace('Plans for the week.', 'Plans for the whole week.'));
    b.git('commit', '-q', '-am', 'prose by hand');
    b.git('push', '-q');
    const q = await logged(a);
    expect(q.code).toBe(0);
    expect(q.stdout).not.toContain(QUIET);
    expect(q.stdout).toContain('git: merged origin/main');
    expect(a.read('week.norg')).toBe(b.read('week.norg'));
    expect(q.spawns.filter((s) => s.startsWith('git fetch'))).toHaveLength(1);
    expect(q.spawns.filter((s) => s.endsWith(' sync'))).toHaveLength(1);
    expect(fetches(a)).toHaveLength(1);
    expect(taskSyncs(a)).toHaveLength(1);
  });

  it('a task changed on the server by another device: the full run takes the task sync done, brings the change into the note and pushes it', async () => {
    const [a, b, remote] = await pair();
    const anna = b.sb.exportAll().find((t) => t.description === 'Call Anna')!;
    // The desk's Taskwarrior alone (no planager there): only taskd learns of it.
    b.sb.task(anna.uuid, 'modify', 'priority:H');
    b.sb.task('sync');
    const q = await logged(a);
    expect(q.code).toBe(0);
    expect(q.stdout).not.toContain(QUIET);
    expect(a.read('week.norg')).toMatch(/- \( \|# A\) Call Anna %#/);
    expect(q.stdout).toContain('git: pushed main to origin');
    expect(a.git('--git-dir', remote, 'show', 'main:week.norg')).toMatch(/# A\) Call Anna/);
    expect(fetches(a)).toHaveLength(1);
    // Not a second time: the two-way sync only read Taskwarrior.
    expect(taskSyncs(a)).toHaveLength(1);
  });

  it('a local commit not pushed yet: the full run pushes it', async () => {
    const [a, , remote] = await pair();
    a.git('commit', '-q', '--allow-empty', '-m', 'by hand, not pushed');
    const head = a.git('rev-parse', 'HEAD').trim();
    const out = await syncOk(a);
    expect(out).not.toContain(QUIET);
    expect(out).toContain('git: pushed main to origin');
    expect(a.git('--git-dir', remote, 'rev-parse', 'main').trim()).toBe(head);
    expect(fetches(a)).toHaveLength(1);
    expect(taskSyncs(a)).toHaveLength(1);
    // At rest again: the next run is quiet.
    a.resetCalls();
    expect(await syncOk(a)).toContain(QUIET);
  });

  /**
   * The oracle: whenever a run is quiet, a full run right after (the record removed) finds
   * nothing to do either. Random changes of every kind on two devices, in random orders.
   */
  it('random changes on two devices: every quiet run is one a full run agrees has nothing to do', async () => {
    type Op = 'edit' | 'same-size' | 'touch' | 'tw' | 'tw-and-sync' | 'commit' | 'push-prose' | 'sync';
    const op = fc.record({
      dev: fc.integer({ min: 0, max: 1 }),
      op: fc.constantFrom<Op>('edit', 'same-size', 'touch', 'tw', 'tw-and-sync', 'commit', 'push-prose', 'sync', 'sync', 'sync'),
    });
    let quietSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 6, maxLength: 10 }), async (steps) => {
        const [a, b] = await pair();
        const devs = [a, b];
        let w = 0;
        for (const s of steps) {
          const d = devs[s.dev];
          const word = `w${++w}`;
          const note = d.read('week.norg');
          if (s.op === 'edit') d.write('week.norg', note.replace('Write the report', `Write the report ${word}`));
          else if (s.op === 'same-size')
            d.write(
              'week.norg',
              note.replace(/Buy (milk|silk)/, (_, m) => `Buy ${m === 'milk' ? 'silk' : 'milk'}`),
            );
          else if (s.op === 'touch') d.write('week.norg', note);
          else if (s.op === 'tw' || s.op === 'tw-and-sync') {
            const t = d.sb.exportAll().find((x) => x.status === 'pending')!;
            d.sb.task(t.uuid, 'modify', `${t.description} ${word}`);
            if (s.op === 'tw-and-sync') d.sb.task('sync');
          } else if (s.op === 'commit') d.git('commit', '-q', '--allow-empty', '-m', word);
          else if (s.op === 'push-prose') {
            // By hand: a commit the other device has to merge (the merge driver is set up).
            d.git('pull', '-q', '--no-rebase', '--no-edit');
            d.write('week.norg', d.read('week.norg').replace(/Plans for the week[^\n]*/, `Plans for the week, ${word}.`));
            d.git('commit', '-q', '-am', word);
            d.git('push', '-q');
          } else {
            const out = await syncOk(d);
            if (!out.includes(QUIET)) continue;
            quietSeen++;
            const state = join(d.ws, '.planager', 'remote.json');
            const rec = JSON.parse(readFileSync(state, 'utf8'));
            delete rec.quiet;
            writeFileSync(state, JSON.stringify(rec));
            const full = await syncOk(d);
            expect(full, `after a quiet run on ${d.name}, the full run did something`).toMatch(
              /^notes: nothing new to commit\ngit: origin has nothing new\ntask sync: Sync successful\. +No changes\.\nsync: nothing to do \(0 task processes\)\nnotes: nothing new to commit\ngit: nothing to push\n$/,
            );
          }
        }
      }),
      { numRuns: Number(process.env.QUIET_RUNS ?? 3), seed: Number(process.env.QUIET_SEED ?? 1819), endOnFailure: true },
    );
    // The property is empty unless some runs were quiet.
    expect(quietSeen).toBeGreaterThan(0);
  }, 180_000);
});
