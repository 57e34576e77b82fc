/**
 * Harness seed 1337 (a batch that killed every sync right after its import): a line whose task a
 * killed sync created, moved to another note before the next sync could write its id. The
 * replay only looked for a created task's line in the note it was created from, so the moved
 * line counted as new: a second task, and the first one (changed in Taskwarrior meanwhile, so
 * not dropped) stayed pending on no line beside it. The replay now looks in the other notes too.
 */
import { describe, expect, it } from 'vitest';
import { tieIds } from '../../../../sync/journaltie.js';
import { killedAfterImport, settle, setup, short, type Env } from './util.js';

const all = (env: Env, d: string) => env.sb.exportAll().filter((t) => t.description === d);

const A = '* One\n  - ( ) index n1\n';
const B = '* Two\n  - ( ) apple n2\n  - ( ) grape n3\n';

async function killed(): Promise<{ env: Env; created: Map<string, string> }> {
  const env = setup({ 'a.norg': A, 'b.norg': B });
  await killedAfterImport(env, () => env.sb.exportAll().length === 3);
  expect(env.read('b.norg')).toBe(B);
  return { env, created: new Map(env.sb.exportAll().map((t) => [t.description, t.uuid])) };
}

describe('seed 1337: a line moved to another note before the killed sync that created its task wrote its id', () => {
  it('keeps that task in the note it moved to, with the change Taskwarrior made meanwhile', async () => {
    const { env, created } = await killed();
    const apple = created.get('apple n2')!;
    env.sb.task(apple, 'modify', 'priority:H');
    env.edit('b.norg', '  - ( ) apple n2\n', '');
    env.edit('a.norg', '  - ( ) index n1\n', '  - ( ) index n1\n  - ( ) apple n2\n');
    expect((await env.run()).code).toBe(0);
    expect(all(env, 'apple n2').map((t) => [t.uuid, t.status, t.priority])).toEqual([[apple, 'pending', 'H']]);
    expect(env.read('a.norg')).toContain(`- ( |# A) apple n2 %#${short(apple)}%`);
    expect(env.read('b.norg')).not.toContain('apple n2');
    await settle(env, ['index n1', 'apple n2', 'grape n3']);
    expect(env.sb.exportAll()).toHaveLength(3);
  });

  it('a moved line with its text edited is not guessed at across notes: it counts as new, as within a note past recognition', () => {
    const after = `* Two\n  - ( ) apple n2 %#aaaa1111%\n`;
    const created = [{ uuid: 'u1', file: 'b.norg', id: 'aaaa1111' }];
    // Rule 4 (any new line, for a task nobody changed) pairs lines by place: never across notes.
    const r = tieIds('* One\n  - ( ) something else\n', after, created, () => true, { across: true });
    expect(r).toEqual({ text: '* One\n  - ( ) something else\n', untied: ['u1'] });
    const same = tieIds('* One\n  - (x) apple n2\n', after, created, () => true, { across: true });
    expect(same.text).toBe('* One\n  - (x) apple n2 %#aaaa1111%\n');
  });
});
