/**
 * Found by the harness with mirrors (issue 13, finding mirror-F14; seed 8035 of `--runs 40
 * --seed 8000 --steps 60 --known mirror-f1,mirror-f5`, 6 steps; its export-crash fault plays no
 * part). A task added with `task add` in a project a note's heading holds, mirrored by
 * `planager plan` before any sync placed it, and its mirror edited (`( )` → `(-)`, start it):
 * the full sync starts the task in Taskwarrior and, in the same sync, writes its new home line
 * from the version before the edit, `( )`. Note and Taskwarrior disagree (undone / started);
 * the mirror keeps `(-)` in that sync (in the harness's end state, after more syncs, it shows
 * `( )` too, while Taskwarrior still has the task started), and the sync after changes nothing.
 * The mirror edit of a task no note holds goes straight to Taskwarrior (sync/mirrorscope.ts
 * `loadMirrors`: no home, `tasksOnlyInTaskwarrior`), while the placement of the Taskwarrior
 * task on a line (sync/plan.ts) renders the version read before the sync's own import, and
 * the new line's status is never merged with the edit (the next sync sees no change on any side).
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { settle, setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('harness mirror-F14: a mirror edit of a task the same sync places on a line', () => {
  // fixed: a task with no line edited through its mirror gets its line showing the edit (sync/plan.ts planMirrorOnly).
  it('the new line, the mirror and Taskwarrior all show the edit', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n' });
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'apple n2', 'project:alpha.One', 'due:2026-12-01');
    const u = env.tw('apple n2').uuid;
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    env.edit(PLAN, '- ( |< Tue 1st Dec 2026) apple n2', '- (-|< Tue 1st Dec 2026) apple n2');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(u)!.start).toBeDefined();
    expect(env.read('a.norg')).toMatch(/- \(-\|< Tue 1st Dec 2026\) apple n2 %#/);
    expect(env.read(PLAN)).toContain('- (-|< Tue 1st Dec 2026) apple n2');
    await settle(env, ['apple n2']);
  });
});
