/**
 * Found by the harness (issue 13, finding F3): a parent moved to another note by a Taskwarrior
 * project change carries its subtask along; the subtask's state must move too. It stayed with
 * the old note, so the next Taskwarrior change of the subtask made a sync look for its line in
 * the old note, find none, and delete the task while the new note showed it.
 */
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

describe('harness F3: a subtask carried to another note with its parent', () => {
  it('keeps its task through a later Taskwarrior change', async () => {
    const env = setup({
      'a.norg': '@document.meta\nproject: alpha\n@end\n* One\n  - ( ) kite n1\n',
      'b.norg': '@document.meta\nproject: beta\n@end\n* One\n  - ( ) bread n2\n  -- ( ) cable n3\n',
    });
    expect((await env.run()).code).toBe(0);
    const bread = env.tw('bread n2').uuid;
    const cable = env.tw('cable n3').uuid;
    env.sb.task(bread, 'modify', 'project:alpha.One');
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/bread n2 %#[0-9a-f]+%\n {2}-- \( \) cable n3/);
    expect(env.read('b.norg')).not.toContain('cable n3');
    env.sb.task(cable, 'done');
    const r = await env.run({ force: true });
    expect(r.code).toBe(0);
    expect(r.taskwarrior.deleted).toEqual([]);
    expect(env.byUuid(cable)!.status).toBe('completed');
    expect(env.read('a.norg')).toMatch(/-- \(x\) cable n3/);
    // Its only subtask done: the parent is derived done too.
    expect(env.byUuid(bread)!.status).toBe('completed');
    await settle(env, ['kite n1']);
  });
});
