/**
 * Found by the harness (issue 13, finding F4): a sync killed after Taskwarrior imported and
 * before the notes were written, then the user edits the note before the next sync. The new
 * lines' tasks exist, their ids never reached the note. The next sync left the created task
 * pending on no line (line deleted), or made a second task for the edited line (duplicate);
 * and its replay imported the journal again over a `task` change made after the crash.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../../helpers/shared.js';
import { killedAfterImport, linesOf, MOVE_NOTES, moveMover, settle, setup, sleep, type Env } from './util.js';

async function started(): Promise<Env> {
  const env = setup({ 'a.norg': '* One\n  - ( ) kite n0\n' });
  expect((await env.run()).code).toBe(0);
  return env;
}

describe('harness F4: a sync killed between the import and the note write, then the note edited', () => {
  it('a new line deleted before its id was written: its task does not stay pending on no line', async () => {
    const env = await started();
    env.edit('a.norg', /$/, '  - ( ) apple n1\n');
    await killedAfterImport(env, () => env.sb.exportAll().some((t) => t.description === 'apple n1'));
    expect(env.read('a.norg')).not.toMatch(/apple n1 %#/);
    env.edit('a.norg', '  - ( ) apple n1\n', '');
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(env.tw('apple n1').status).toBe('deleted');
    expect((await env.log()).some((e) => e.action === 'delete' && e.version.description === 'apple n1')).toBe(true);
    await settle(env, ['kite n0']);
  });

  it('a new line edited before its id was written: one task for it, not two', async () => {
    const env = await started();
    env.edit('a.norg', /$/, '  - ( ) apple n1\n');
    await killedAfterImport(env, () => env.sb.exportAll().some((t) => t.description === 'apple n1'));
    env.edit('a.norg', 'apple n1', 'apple n2');
    expect((await env.run()).code).toBe(0);
    await settle(env, ['kite n0', 'apple n2']);
  });

  it('a new line left as it was while another line is added: it gets the id of the task created for it', async () => {
    const env = await started();
    env.edit('a.norg', /$/, '  - ( ) apple n1\n');
    await killedAfterImport(env, () => env.sb.exportAll().some((t) => t.description === 'apple n1'));
    const apple = env.tw('apple n1').uuid;
    env.edit('a.norg', /$/, '  - ( ) pear n3\n');
    expect((await env.run()).code).toBe(0);
    expect(env.tw('apple n1').uuid).toBe(apple);
    expect(env.read('a.norg')).toContain(`apple n1 %#${apple.replace(/-/g, '').slice(0, 8)}%`);
    await settle(env, ['kite n0', 'apple n1', 'pear n3']);
  });

  it('a `task` change made after the crash is not undone by finishing the killed sync', async () => {
    const env = await started();
    const kite = env.tw('kite n0').uuid;
    // A new line too: a sync that writes a note keeps a journal.
    env.write('a.norg', env.read('a.norg').replace('( ) kite n0', '(x) kite n0') + '  - ( ) apple n1\n');
    await killedAfterImport(env, () => env.byUuid(kite)?.status === 'completed');
    env.sb.task(kite, 'modify', 'kite n0 later');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(kite)!.description).toBe('kite n0 later');
    expect(env.read('a.norg')).toContain('(x) kite n0 later');
    await settle(env, ['apple n1']);
  });

  it('the first sync of a new database, killed so, then the new line edited: one task for it', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple n1\n' });
    await killedAfterImport(env, () => env.sb.exportAll().some((t) => t.description === 'apple n1'));
    if (process.env.F4_DEBUG) console.log(env.read('.planager/journal.json'));
    env.edit('a.norg', 'apple n1', 'apple n2');
    const r = await env.run();
    if (process.env.F4_DEBUG) console.log(r.warnings, env.sb.exportAll());
    expect(r.code).toBe(0);
    await settle(env, ['apple n2']);
  });

  it('a move between two notes, one of them edited after the kill: the moved line is in one note, not none', async () => {
    // The replay wrote the unedited note (the line cut) in full and only tied ids into the
    // edited one (the line not pasted): the moved line, and then its task, were gone.
    const env = setup(MOVE_NOTES);
    expect((await env.run()).code).toBe(0);
    env.write('b.norg', `${env.read('b.norg')}  - ( ) bread\n`);
    moveMover(env);
    await killedAfterImport(env, () => env.sb.exportAll().some((t) => t.description === 'bread'));
    const bread = env.tw('bread').uuid;
    env.write('a.norg', `${env.read('a.norg')}  - ( ) cheese\n`);
    expect((await env.run()).code).toBe(0);
    expect(linesOf(env.ws, 'mover')).toHaveLength(1);
    expect(env.read('a.norg')).toContain('- ( ) mover');
    expect(env.tw('bread').uuid).toBe(bread);
    await settle(env, ['stays', 'mover', 'other', 'bread', 'cheese']);
  });

  it("the killed sync's own `task import`, still running, is waited for before the replay", async () => {
    // Only the sync's process dies (as when the editor's host is killed): its `task import`,
    // in a process group of its own, goes on and writes a moment later.
    const env = setup({ 'a.norg': '* One\n  - ( ) apple n1\n' });
    env.sb.sabotage('import', 'slow');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'sync-child.ts'), env.ws], {
      cwd: ROOT,
      env: env.sb.env,
      stdio: 'ignore',
    });
    const deadline = Date.now() + 15_000;
    while (!existsSync(join(env.ws, '.planager', 'importing.pid'))) {
      if (Date.now() > deadline) throw new Error('the import never started');
      await sleep(5);
    }
    child.kill('SIGKILL');
    env.sb.sabotage('import', null);
    env.edit('a.norg', 'apple n1', 'apple n2');
    expect((await env.run()).code).toBe(0);
    await sleep(2_000);
    await settle(env, ['apple n2']);
  });
});
