/**
 * A note edited for real while the sync's `task import` runs: the commit's "changed during the
 * sync" check leaves the note alone (the user's text wins), but the import has already created
 * the tasks of the note's new lines, and their ids were to reach the lines only through the
 * note's write. Left so, the next sync found id-less lines and created a second task for each.
 *
 * The edit lands deterministically inside the import: the wrapper sleeps 1.5 s before the real
 * `task import` runs, and the note is written once the sync has fed the import its input
 * (`importing.pid` is written then, after the commit's own "caught half-written" check, which an
 * edit seen at the early import's start would only turn into a retry).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../../../sync/index.js';
import { linesOf, MOVE_NOTES, moveMover, settle, setup, sleep, type Env } from './util.js';

/** A full sync, with `edit` applied to the notes while its import runs. */
async function syncEditedDuringImport(env: Env, edit: () => void): Promise<SyncReport> {
  env.sb.sabotage('import', 'slow');
  const running = env.run();
  const deadline = Date.now() + 15_000;
  while (!existsSync(join(env.ws, '.planager', 'importing.pid'))) {
    if (Date.now() > deadline) throw new Error('the import never started');
    await sleep(5);
  }
  expect(env.sb.calls().some((c) => c.includes('import'))).toBe(true);
  edit();
  const r = await running;
  env.sb.sabotage('import', null);
  expect(r.code, r.error?.message).toBe(0);
  expect(r.warnings.join('\n')).toMatch(/a\.norg changed during the sync/);
  return r;
}

describe('a note edited while the import runs', () => {
  it('an edit elsewhere in the note: the new line keeps the task the import created, no second one', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple\n' });
    expect((await env.run()).code).toBe(0);
    env.write('a.norg', `${env.read('a.norg')}  - ( ) bread\n`);
    const r = await syncEditedDuringImport(env, () => env.write('a.norg', `${env.read('a.norg')}  - ( ) cheese\n`));
    expect(r.taskwarrior.created).toHaveLength(1);
    const bread = env.tw('bread');
    // The user's edit is on disk as written: nothing rendered went over it.
    expect(env.read('a.norg')).toContain('- ( ) cheese');
    expect((await env.run()).code).toBe(0);
    expect(env.tw('bread').uuid).toBe(bread.uuid);
    expect(linesOf(env.ws, 'bread')).toHaveLength(1);
    expect(linesOf(env.ws, 'bread')[0]!.id).toBe(bread.uuid.replace(/-/g, '').slice(0, linesOf(env.ws, 'bread')[0]!.id!.length));
    await settle(env, ['apple', 'bread', 'cheese']);
  });

  it('the new line itself edited: one task, for the line as it is now', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple\n' });
    expect((await env.run()).code).toBe(0);
    env.write('a.norg', `${env.read('a.norg')}  - ( ) bread\n`);
    await syncEditedDuringImport(env, () => env.edit('a.norg', '( ) bread', '( ) brioche'));
    const created = env.tw('bread').uuid;
    expect((await env.run()).code).toBe(0);
    // The task made for the line follows its edit (journaltie.ts tieIds): no second task, and no
    // deleted one left beside it in `task all` (seed 500117).
    expect(env.byUuid(created)).toMatchObject({ status: 'pending', description: 'brioche' });
    expect(linesOf(env.ws, 'brioche')).toHaveLength(1);
    await settle(env, ['apple', 'brioche']);
  });

  it('the new line removed again: its task goes, nothing else changes', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple\n' });
    expect((await env.run()).code).toBe(0);
    const synced = env.read('a.norg');
    env.write('a.norg', `${synced}  - ( ) bread\n  - ( ) cheese\n`);
    await syncEditedDuringImport(env, () => env.write('a.norg', `${synced}  - ( ) cheese\n`));
    expect((await env.run()).code).toBe(0);
    expect(env.tw('bread').status).toBe('deleted');
    expect(env.tw('cheese').status).toBe('pending');
    await settle(env, ['apple', 'cheese']);
  });

  it('a dated line under a project heading: tied, not pulled in a second time', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n' });
    expect((await env.run()).code).toBe(0);
    env.write('a.norg', `${env.read('a.norg')}  - ( |< 2026-12-24) bread\n`);
    await syncEditedDuringImport(env, () => env.edit('a.norg', '( ) apple', '(x) apple'));
    const bread = env.tw('bread');
    expect(bread.project).toBe('alpha.One');
    expect((await env.run()).code).toBe(0);
    expect(env.tw('bread').uuid).toBe(bread.uuid);
    expect(env.tw('apple').status).toBe('completed');
    await settle(env, ['bread']);
  });

  it('edited at one end of a move: the other end, left unwritten, gets its new task id and keeps the moved line', async () => {
    const env = setup(MOVE_NOTES);
    expect((await env.run()).code).toBe(0);
    env.write('b.norg', `${env.read('b.norg')}  - ( ) bread\n`);
    moveMover(env);
    const b = env.read('b.norg');
    const r = await syncEditedDuringImport(env, () => env.write('a.norg', `${env.read('a.norg')}  - ( ) cheese\n`));
    expect(r.taskwarrior.created).toHaveLength(1);
    // Neither end written: the block stays where it was, nothing is lost between the two.
    expect(env.read('b.norg')).toBe(b);
    const bread = env.tw('bread');
    expect((await env.run()).code).toBe(0);
    expect(env.tw('bread').uuid).toBe(bread.uuid);
    expect(env.read('a.norg')).toContain('- ( ) mover');
    expect(env.read('b.norg')).not.toContain('mover');
    expect(linesOf(env.ws, 'mover')).toHaveLength(1);
    await settle(env, ['stays', 'mover', 'other', 'bread', 'cheese']);
  });

  it('edited again before the next sync: the ids go into the note as it is then', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple\n' });
    expect((await env.run()).code).toBe(0);
    env.write('a.norg', `${env.read('a.norg')}  - ( ) bread\n  - ( ) cheese\n`);
    await syncEditedDuringImport(env, () => env.edit('a.norg', '( ) apple', '( ) apples'));
    const bread = env.tw('bread');
    const cheese = env.tw('cheese');
    env.edit('a.norg', '( ) cheese', '( ) cheddar');
    env.write('a.norg', `* Zero\n  - ( ) dates\n${env.read('a.norg')}`);
    expect((await env.run()).code).toBe(0);
    expect(env.tw('bread').uuid).toBe(bread.uuid);
    expect(env.byUuid(cheese.uuid)).toMatchObject({ status: 'pending', description: 'cheddar' });
    expect(env.tw('apples').status).toBe('pending');
    await settle(env, ['apples', 'bread', 'cheddar', 'dates']);
  });
});
