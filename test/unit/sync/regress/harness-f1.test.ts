/**
 * Found by the harness (issue 13, finding F1): a workspace whose first sync is a one-note pull
 * knows only that note's headings; a Taskwarrior task that belongs under another note's heading
 * must still reach it at the next full sync (it was marked as belonging to no note, for good).
 * And a task that really has no home yet reaches a note once a heading for it appears.
 */
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

describe('harness F1: tasks of notes a first one-note sync did not load', () => {
  it('reach their note at the next full sync', async () => {
    const env = setup({
      'a.norg': '@document.meta\nproject: alpha\n@end\n* One\n  - ( ) apple n1\n',
      'b.norg': '@document.meta\nproject: beta\n@end\n* One\n',
    });
    env.sb.task('add', 'apple n2', 'project:alpha.One');
    env.sb.task('add', 'apple n3', 'project:beta.One');
    expect((await env.run({ files: ['a.norg'], direction: 'pull' })).code).toBe(0);
    expect(env.read('a.norg')).toContain('apple n2');
    expect(env.read('b.norg')).not.toContain('apple n3');
    await settle(env, ['apple n1', 'apple n2', 'apple n3']);
    expect(env.read('b.norg')).toMatch(/\* One\n {2}- \( \) apple n3 %#[0-9a-f]+%/);
  });

  it('a task with no heading anywhere reaches the note that gains one', async () => {
    // No base project: only the headings are homes.
    const env = setup({ 'a.norg': '* One\n  - ( ) apple n1\n' });
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'pear n4', 'project:Two');
    const r = await env.run();
    expect(r.warnings.join('\n')).toMatch(/1 pending Taskwarrior task\(s\) belong to no note/);
    expect(env.read('a.norg')).not.toContain('pear n4');
    env.write('a.norg', env.read('a.norg') + '* Two\n');
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/\* Two\n {2}- \( \) pear n4 %#[0-9a-f]+%/);
    await settle(env, ['apple n1', 'pear n4']);
  });
});
