/**
 * Issue 18 without a task server: `planager remote setup`, the notes' merge driver under a real
 * `git pull`, and `planager sync --remote`'s steps against a bare repository on disk (an
 * unreachable remote, a refused push, nothing to do). Built CLI, throwaway HOME and taskrc,
 * no global git config.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bareRemote, device, type Device, NOTE, SEED } from '../../helpers/devices.js';
import { assertBuilt } from './run.js';

beforeAll(assertBuilt);

async function pair(): Promise<[Device, Device, string]> {
  const remote = bareRemote();
  const a = device('laptop', remote, { seed: SEED });
  const b = device('desk', remote);
  for (const d of [a, b]) expect((await d.planager('remote', 'setup', '--yes')).code).toBe(0);
  return [a, b, remote];
}

describe('planager remote setup', () => {
  it('says what it would write and exits 1; --yes writes the attribute and the local git config; then all set', async () => {
    const d = device('laptop', bareRemote(), { seed: { 'week.norg': NOTE } });
    const ask = await d.planager('remote', 'setup');
    expect(ask.code).toBe(1);
    expect(ask.stdout).toContain('add  ' + join(d.ws, '.gitattributes') + ': *.norg merge=planager');
    expect(ask.stdout).toContain('add  git config merge.planager.driver');
    expect(ask.stdout).toContain('run `planager remote setup --yes`');
    expect(existsSync(join(d.ws, '.gitattributes'))).toBe(false);

    const yes = await d.planager('remote', 'setup', '--yes');
    expect(yes.code).toBe(0);
    expect(d.read('.gitattributes')).toContain('*.norg merge=planager\n');
    expect(d.git('config', '--local', 'merge.planager.driver')).toMatch(/'.*node.*' '.*dist\/cli\.cjs' merge-driver %O %A %B %P/);
    expect(d.git('check-attr', 'merge', 'week.norg')).toBe('week.norg: merge: planager\n');

    const again = await d.planager('remote', 'setup');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('all set');
  });
});

describe('the merge driver under a plain git pull', () => {
  it('merges concurrent edits of one note: tasks per field, text per line, no conflict markers', async () => {
    const [a, b] = await pair();
    a.write(
      'week.norg',
      NOTE.replace('( ) Write the report', '(x) Write the report').replace('Call Anna', 'Call Anna today').replace('Plans for', 'Laptop plans for'),
    );
    a.git('commit', '-q', '-am', 'laptop');
    a.git('push', '-q');
    b.write(
      'week.norg',
      NOTE.replace('Write the report', 'Write the final report').replace('Call Anna', 'Call Anna tomorrow').replace('Last line.', 'Desk last line.'),
    );
    b.git('commit', '-q', '-am', 'desk');
    // No times known to the driver (a pull by hand): the incoming version wins a field both changed.
    b.git('pull', '-q', '--no-rebase', '--no-edit');
    const merged = b.read('week.norg');
    expect(merged).toBe(
      NOTE.replace('( ) Write the report', '(x) Write the final report')
        .replace('Call Anna', 'Call Anna today')
        .replace('Plans for', 'Laptop plans for')
        .replace('Last line.', 'Desk last line.'),
    );
    expect(merged).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    expect(b.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    // The losing value is in the desk's activity log, for planager history.
    const log = readFileSync(join(b.ws, '.planager', 'activity.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log).toEqual([
      expect.objectContaining({ id: 'bbbb2222', action: 'conflict', fields: { description: { lost: 'Call Anna tomorrow', kept: 'Call Anna today' } } }),
    ]);
    const h = await b.planager('history', 'bbbb2222');
    expect(h.stdout).toContain('Call Anna tomorrow');
  });

  it('a note renamed on one device and edited on the other: the edit lands in the renamed note', async () => {
    const [a, b] = await pair();
    a.git('mv', 'week.norg', 'this-week.norg');
    a.git('commit', '-q', '-m', 'rename');
    a.git('push', '-q');
    b.write('week.norg', NOTE.replace('Buy milk', 'Buy oat milk'));
    b.git('commit', '-q', '-am', 'edit');
    b.git('pull', '-q', '--no-rebase', '--no-edit');
    expect(existsSync(join(b.ws, 'week.norg'))).toBe(false);
    expect(b.read('this-week.norg')).toBe(NOTE.replace('Buy milk', 'Buy oat milk'));
  });
});

describe('planager sync --remote (no task server)', () => {
  it('commits, merges and pushes; the other device converges; nothing changed is one git fetch and no task process', async () => {
    const [a, b] = await pair();
    a.write('week.norg', NOTE.replace('- ( ) Buy milk %#cccc3333%', '- ( ) Buy milk %#cccc3333%\n  - ( ) Book the train'));
    const ra = await a.planager('sync', '--remote');
    expect(ra.stderr).toBe('');
    expect(ra.code).toBe(0);
    expect(ra.stdout).toMatch(/notes: committed 1 note file/);
    expect(ra.stdout).toContain('task sync: no server in the taskrc (taskd.server), skipped');
    expect(ra.stdout).toContain('git: pushed main to origin');
    // The sync gave the new line its id, and that was committed too.
    expect(a.read('week.norg')).toMatch(/Book the train %#[0-9a-f]{12}%/);
    expect(a.git('status', '--porcelain', '--', '*.norg')).toBe('');

    const rb = await b.planager('sync', '--remote');
    expect(rb.code).toBe(0);
    expect(rb.stdout).toContain('git: merged origin/main');
    expect(b.read('week.norg')).toBe(a.read('week.norg'));
    expect(
      b.sb
        .exportAll()
        .map((t) => t.description)
        .sort(),
    ).toEqual(['Book the train', 'Buy milk', 'Call Anna', 'Write the report']);

    b.resetCalls();
    const quiet = await b.planager('sync', '--remote');
    expect(quiet.code).toBe(0);
    expect(b.gitCalls()).toEqual(['fetch --quiet origin']);
    expect(b.sb.calls()).toEqual([]);
    expect(quiet.stdout).toContain('git: origin has nothing new');
    expect(quiet.stdout).toContain('git: nothing to push');
  });

  it('an unreachable remote stops at the fetch (exit 2, notes as they were); the next run finishes', async () => {
    const [a, , remote] = await pair();
    renameSync(remote, `${remote}.away`);
    a.write('week.norg', NOTE.replace('Buy milk', 'Buy bread'));
    const off = await a.planager('sync', '--remote');
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/git fetch: failed: .*\n {2}the remote origin is unreachable \(offline\?\); nothing changed here/);
    expect(a.read('week.norg')).toBe(NOTE.replace('Buy milk', 'Buy bread'));
    renameSync(`${remote}.away`, remote);
    const on = await a.planager('sync', '--remote');
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('git: pushed main to origin');
    expect(a.git('--git-dir', remote, 'show', 'main:week.norg')).toContain('Buy bread');
  });

  it('a refused push says so (exit 2); the next run pushes; never a force', async () => {
    const [a, , remote] = await pair();
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "refused for the test" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    a.write('week.norg', NOTE.replace('Buy milk', 'Buy tea'));
    const no = await a.planager('sync', '--remote');
    expect(no.code).toBe(2);
    expect(no.stderr).toMatch(/git push: failed: .*\n {2}the remote moved on meanwhile or refused/);
    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    const yes = await a.planager('sync', '--remote');
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('git: pushed main to origin');
    expect(a.gitCalls().some((c) => /push .*(-f|--force)/.test(c))).toBe(false);
  });

  it('refuses to merge notes without the merge driver (git would write conflict markers)', async () => {
    const remote = bareRemote();
    const a = device('laptop', remote, { seed: { 'week.norg': NOTE } });
    const b = device('desk', remote);
    a.write('week.norg', NOTE.replace('Buy milk', 'Buy tea'));
    a.git('commit', '-q', '-am', 'x');
    a.git('push', '-q');
    const r = await b.planager('sync', '--remote');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('run planager remote setup --yes');
    expect(b.read('week.norg')).toBe(NOTE);
  });
});
