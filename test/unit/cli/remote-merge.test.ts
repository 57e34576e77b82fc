/**
 * The merge inside `planager sync --remote` (cli/remotemerge.ts): the notes both sides changed
 * are merged in Planager's own process, field by field as the merge driver does, with no
 * `node` started per note; a run killed half way through the merge is finished by the next;
 * two runs started together in one workspace take turns. No task server (the merge is git's and
 * Planager's alone); built CLI, real git.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bareRemote, device, REAL_GIT, type Device, NOTE, SEED } from '../../helpers/devices.js';
import { assertBuilt, CLI, planager } from './run.js';

const MARKERS = /^(<<<<<<<|=======|>>>>>>>)/m;

// Every process the planager process starts, one JSON line each (as in remote-quiet.test.ts).
const PRELOAD = `const cp = require('node:child_process');
const fs = require('node:fs');
const note = (file, args) => fs.appendFileSync(process.env.SPAWN_LOG, JSON.stringify([file, ...args.map(String)]) + '\\n');
const spawn = cp.ChildProcess.prototype.spawn;
cp.ChildProcess.prototype.spawn = function (o) { note(o.file, o.args.slice(1)); return spawn.call(this, o); };
`;
const preload = join(mkdtempSync(join(tmpdir(), 'planager-spawnlog-')), 'spawn-log.cjs');

beforeAll(() => {
  assertBuilt();
  writeFileSync(preload, PRELOAD);
});

/** Two devices set up; the laptop committed and pushed an edit dated an hour ago, the desk edited the same note now. */
async function bothEdited(): Promise<[Device, Device]> {
  const remote = bareRemote();
  const a = device('laptop', remote, { seed: SEED });
  const b = device('desk', remote);
  for (const d of [a, b]) expect((await d.planager('remote', 'setup', '--yes')).code).toBe(0);
  a.write(
    'week.norg',
    NOTE.replace('( ) Write the report', '(x) Write the report').replace('Call Anna', 'Call Anna today').replace('Plans for', 'Laptop plans for'),
  );
  a.git('commit', '-q', `--date=@${Math.floor(Date.now() / 1000) - 3600} +0000`, '-am', 'laptop');
  a.git('push', '-q');
  b.write(
    'week.norg',
    NOTE.replace('Write the report', 'Write the final report').replace('Call Anna', 'Call Anna tomorrow').replace('Last line.', 'Desk last line.'),
  );
  return [a, b];
}

/** Both edits in, the desk's (newer) description of the task both changed. */
function expectMerged(text: string): void {
  // The sync after the merge may lengthen the ids (a task new to this Taskwarrior).
  expect(text).toMatch(/- \(x\) Write the final report %#aaaa1111[0-9a-f]*%/);
  expect(text).toMatch(/- \( \|# B\) Call Anna tomorrow %#bbbb2222[0-9a-f]*%/);
  expect(text).toContain('Laptop plans for the week.');
  expect(text).toContain('Desk last line.');
  expect(text).not.toMatch(MARKERS);
}

/** The device's driver through a wrapper that logs each start (git starts it once per note). */
function loggedDriver(d: Device): string {
  const log = join(d.sb.dir, 'driver.log');
  const wrapper = join(d.sb.dir, 'bin', 'merge-driver');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$4" >> '${log}'\nexec '${process.execPath}' '${CLI}' merge-driver "$@"\n`);
  chmodSync(wrapper, 0o755);
  d.git('config', '--local', 'merge.planager.driver', `'${wrapper}' %O %A %B %P`);
  return log;
}

const lines = (p: string): string[] => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter(Boolean) : []);

describe('the merge in sync --remote', () => {
  it('merges field by field in its own process: no node started per note, by git or by planager', async () => {
    const [a, b] = await bothEdited();
    const driverLog = loggedDriver(b);
    const spawnLog = join(b.sb.dir, 'spawns.log');
    writeFileSync(spawnLog, '');
    const r = await planager(['sync', '--remote'], { cwd: b.ws, env: { ...b.env, NODE_OPTIONS: `--require ${preload}`, SPAWN_LOG: spawnLog } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('git: merged origin/main');
    expect(r.stdout).toContain('planager merge week.norg: task bbbb2222: description changed on both sides');
    expectMerged(b.read('week.norg'));
    expect(b.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    expect(b.git('log', '--merges', '--format=%s')).toBe('planager: merge origin/main\n');
    // The lost value is in the desk's history, as the driver logs it.
    const log = lines(join(b.ws, '.planager', 'activity.jsonl')).map((l) => JSON.parse(l));
    expect(log).toContainEqual(
      expect.objectContaining({ id: 'bbbb2222', action: 'conflict', fields: { description: { lost: 'Call Anna today', kept: 'Call Anna tomorrow' } } }),
    );
    expect(lines(driverLog)).toEqual([]);
    const spawns = lines(spawnLog).map((l) => JSON.parse(l) as string[]);
    expect(spawns.filter(([file, ...args]) => /node/.test(file) || args.includes('merge-driver'))).toEqual([]);
    expect(spawns.some(([, ...args]) => args.includes('merge'))).toBe(true);

    // The laptop converges; and a pull by hand still goes through the driver (the wrapper logs it).
    expect((await a.planager('sync', '--remote')).code).toBe(0);
    expect(a.read('week.norg')).toBe(b.read('week.norg'));
    a.write('week.norg', a.read('week.norg').replace('Buy milk', 'Buy oat milk'));
    a.git('commit', '-q', '-am', 'laptop again');
    a.git('push', '-q');
    b.write('week.norg', b.read('week.norg').replace('Buy milk', 'Buy milk and eggs'));
    b.git('commit', '-q', '-am', 'desk again');
    b.git('pull', '-q', '--no-rebase', '--no-edit');
    expect(lines(driverLog)).toEqual(['week.norg']);
  });

  it('a run killed between the merge and its commit: no conflict markers; the next run finishes that merge', async () => {
    const [, b] = await bothEdited();
    // Killed as it stages the merged notes (after writing them): a crash at the worst moment.
    const bin = mkdtempSync(join(tmpdir(), 'planager-crash-'));
    writeFileSync(join(bin, 'git'), `#!/bin/sh\nif [ "$1" = "--literal-pathspecs" ]; then kill -9 $PPID; exit 1; fi\nexec '${REAL_GIT}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const killed = await planager(['sync', '--remote'], { cwd: b.ws, env: { ...b.env, PATH: `${bin}:${b.env.PATH}` } });
    expect(killed.code).not.toBe(0);
    expect(existsSync(join(b.ws, '.git', 'MERGE_HEAD'))).toBe(true);
    expect(b.read('week.norg')).not.toMatch(MARKERS);

    const next = await b.planager('sync', '--remote');
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('git: finished the merge the last run left under way (1 note merged)');
    expectMerged(b.read('week.norg'));
    expect(existsSync(join(b.ws, '.git', 'MERGE_HEAD'))).toBe(false);
    expect(b.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    expect(b.git('log', '--merges', '--format=%s')).toBe('planager: merge origin/main\n');
    expect(b.git('rev-parse', 'HEAD')).toBe(b.git('rev-parse', 'origin/main'));
  });

  it('two runs started together in one workspace take turns: both exit 0, one merge, one says it waited', async () => {
    const [a, b] = await bothEdited();
    const [r1, r2] = await Promise.all([b.planager('sync', '--remote'), b.planager('sync', '--remote')]);
    expect([r1.code, r2.code, r1.stderr, r2.stderr]).toEqual([0, 0, '', '']);
    expect([r1, r2].filter((r) => r.stdout.includes('waited')).length).toBe(1);
    expect([r1, r2].filter((r) => r.stdout.includes('git: merged origin/main')).length).toBe(1);
    expectMerged(b.read('week.norg'));
    expect(b.git('log', '--merges', '--format=%s')).toBe('planager: merge origin/main\n');
    expect(b.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    expect((await a.planager('sync', '--remote')).code).toBe(0);
    expect(a.read('week.norg')).toBe(b.read('week.norg'));
  });
});
