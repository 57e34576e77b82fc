/**
 * Harness seed 800355: a line's tag was added in the note, not synced, and Taskwarrior then moved
 * the task to another project (and deleted it). A pull moved the line, tag and all, into the note
 * that is home to the new project, and left the tag, a note change, for the next push: the
 * task's base kept its old tags. But only the note the line left was marked to be read again;
 * the note it landed in got its fingerprint from the text the pull wrote, so the next sync took
 * that note as unchanged, never merged the line, and the tag (or a description edited the same
 * way) never reached Taskwarrior, with nothing logged: the two stores disagreed for good.
 */
import { describe, expect, it } from 'vitest';
import { expectAgree, setup, short } from './util.js';

const A_NORG = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple n1\n\n* Two\n';
const B_NORG = '@document.meta\nproject: beta\n@end\n\n* One\n\n* Two\n';

describe('seed 800355: a note edit carried by a pull that moves its line to another note', () => {
  it('sends the tag of a line a pull moved, for a project and a delete made in Taskwarrior', async () => {
    const env = setup({ 'a.norg': A_NORG, 'b.norg': B_NORG });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple n1');
    env.edit('a.norg', `  - ( ) apple n1 %#${short(apple.uuid)}%\n`, '');
    env.edit('a.norg', '* Two\n', `* Two\n  - ( ) apple n1 %#${short(apple.uuid)}%\n`);
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(apple.uuid)!.project).toBe('alpha.Two');
    env.edit('a.norg', '  - ( ) apple n1', '  +red\n  - ( ) apple n1');
    env.sb.task(apple.uuid, 'modify', 'project:beta.One');
    env.sb.task(apple.uuid, 'delete');
    expect((await env.run({ direction: 'pull' })).code).toBe(0);
    expect(env.read('b.norg')).toContain(`* One\n  +red\n  - (_) apple n1 %#${short(apple.uuid)}%`);
    expect(env.read('a.norg')).not.toContain('apple n1');
    const full = await env.run();
    expect(full.code).toBe(0);
    expect(full.taskwarrior.updated).toEqual([apple.uuid]);
    const t = env.byUuid(apple.uuid)!;
    expect([t.status, t.project, t.tags]).toEqual(['deleted', 'beta.One', ['red']]);
    expectAgree(env);
    const again = await env.run();
    expect(again.code).toBe(0);
    expect(again.taskwarrior.updated).toEqual([]);
    expect(again.noteChanges).toEqual([]);
  });

  it('sends the description edited on a line a pull moved to another note', async () => {
    const env = setup({ 'a.norg': A_NORG, 'b.norg': B_NORG });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple n1');
    env.edit('a.norg', '- ( ) apple n1', '- ( ) apple n9');
    env.sb.task(apple.uuid, 'modify', 'project:beta.Two');
    expect((await env.run({ direction: 'pull' })).code).toBe(0);
    expect(env.read('b.norg')).toContain(`* Two\n  - ( ) apple n9 %#${short(apple.uuid)}%`);
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(apple.uuid)!.description).toBe('apple n9');
    expect(env.byUuid(apple.uuid)!.project).toBe('beta.Two');
    expectAgree(env);
    const again = await env.run();
    expect(again.code).toBe(0);
    expect(again.taskwarrior.updated).toEqual([]);
  });
});
