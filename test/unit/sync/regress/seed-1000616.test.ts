/**
 * Harness seed 1000616: a viewport of pending tasks kept the mirror of a task done since. The
 * fill removes a mirror only when it knows the task, and it knew only pending.data's tasks: once
 * Taskwarrior's garbage collection had moved the done task to completed.data, the mirror stayed.
 * The second case guards the way round that already held: a one-note sync fills only its own
 * note's viewports, and the full sync after it still finds the Taskwarrior change to fill others.
 */
import { describe, expect, it } from 'vitest';
import { setup, short } from './util.js';

const A = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) house n9\n  - ( ) dance n3\n';
const V = '* View\n|planager view project:alpha.One\n|end\n';

describe('seed 1000616: viewports after a task is done, or newly matches, elsewhere', () => {
  it('the mirror of a task done and moved to completed.data leaves a view of pending tasks', async () => {
    const env = setup({ 'a.norg': A, 'v.norg': V });
    expect((await env.run()).code).toBe(0);
    const house = env.tw('house n9').uuid;
    expect(env.read('v.norg')).toContain(`house n9 {:a:* One}[a: One] %@${short(house)}%`);
    env.sb.task(house, 'done');
    // A report with garbage collection moves the done task out of pending.data.
    env.sb.task('rc.gc=on', 'list');
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(env.read('v.norg')).not.toContain('house n9');
    expect(env.read('v.norg')).toContain('dance n3');
    expect((await env.run()).changed).toBe(false);
  });

  it('a task that newly matches, taken in by a one-note sync of its own note, shows in the other note’s view', async () => {
    const env = setup({ 'a.norg': A, 'b.norg': '* Two\n  - ( ) grape n4\n', 'v.norg': '* Red\n|planager view +red\n|end\n' });
    expect((await env.run()).code).toBe(0);
    expect(env.read('v.norg')).toBe('* Red\n|planager view +red\n|end\n');
    env.sb.task(env.tw('house n9').uuid, 'modify', '+red');
    expect((await env.run({ files: ['a.norg'] })).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/\+red\n {2}- \( \) house n9/);
    expect((await env.run()).code).toBe(0);
    expect(env.read('v.norg')).toContain('house n9');
    expect((await env.run()).changed).toBe(false);
  });
});
