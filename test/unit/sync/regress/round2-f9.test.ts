/**
 * Found by the harness with round-2 steps (seed 31029 of `--runs 60 --seed 31000 --steps 40
 * --known round2-f7`; its readonly fault is not needed; shrunk by hand): a plan mirror's due
 * date is cleared, then a pull runs (a full `direction: 'pull'`, or the one-note pull of
 * opening the plan note), then a full sync. The pull leaves the mirror as written, as the doc
 * says (*planager-mirror-edit*: "A mirror edited and then pulled (opening the note) is left as
 * you wrote it until the next push"), but the next push does not carry the edit: Taskwarrior
 * and the home line keep the due date, the mirror keeps showing none (stale for good: a second
 * sync changes nothing), and no log entry holds the cleared date (the harness's `lost` and
 * `mirror-stale` invariants). Without the pull, the same edit reaches Taskwarrior.
 * Suspected root cause: the pull records the plan note's state (sync/planstate.ts, the
 * mirrors' baselines) from the note as it is, edit included, so the next push compares the
 * mirror with a baseline that already holds the edit and sees no change (sync/mirrors.ts
 * "a field that differs from that is your edit"). A pull should keep the previous baseline of
 * a mirror it leaves unsent.
 *
 * Minimal history: `task add apple project:beta.One due:2026-12-01`; `planager plan daily`
 * for 2026-12-15 (the task is in its Overdue section); a full sync; the mirror's due removed;
 * a one-note pull of the plan; a full sync.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('round2-F9: a plan mirror edited, then pulled, then pushed', () => {
  it('sends the edit at the push', async () => {
    const env = setup({ 'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n' });
    env.sb.task('add', 'apple', 'project:beta.One', 'due:2026-12-01');
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit(PLAN, /- \( \|< Tue 1st Dec 2026\) apple/, '- ( ) apple');
    expect((await env.run({ files: [PLAN], direction: 'pull' })).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    expect(env.tw('apple').due).toBeUndefined();
  });
});
