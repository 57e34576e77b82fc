/**
 * Found by the harness with mirrors (issue 13, finding mirror-F12; seed 5029 of `--runs 40
 * --seed 5000 --steps 40 --faults none --known mirror-f1,mirror-f5`, shrunk with
 * test/harness/shrink.ts to 4 steps: a sync; the home line deleted; plan weekly; a one-note
 * sync of the home note; the final sync). The user deletes a task's line, and before the
 * delete is synced, `planager plan` mirrors the task (Taskwarrior still has it). The one-note
 * sync of the home note (the `:w` of the delete) brings the plan note in (sync/mirrorscope.ts
 * `mirroring`: it mirrors a task of a changed note), and the task is not deleted: it stays
 * pending in Taskwarrior, on no line, and later full syncs leave it so (the harness: "pending in
 * Taskwarrior but on no line"). The user's delete is lost without a log entry. With a plan note
 * a sync has seen (a baseline), the same delete works (tried by hand). Suspected: the mirror
 * with no baseline, read in sync/mirrorscope.ts `loadMirrors` against the task's last known
 * version, counts as the note side still showing the task (an edit keeping it open), which
 * overrides the delete of its home line (sync/reconcile.ts: the removed line's delete).
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { setup } from './util.js';

const WEEKLY = 'journal/2026/2026-W51.norg';

describe('harness mirror-F12: a home line deleted while a plan mirrors its task', () => {
  // fixed by planager plan recording its mirrors' baselines (sync/planstate.ts).
  it('the task stays deleted after the full sync', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - (-) apple n1\n' });
    expect((await env.run()).code).toBe(0);
    const u = env.tw('apple n1').uuid;
    env.edit('a.norg', /^ {2}- \(-\) apple n1.*\n/m, '');
    const r = await planCommand('weekly', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect(env.read(WEEKLY)).toMatch(/^- \(-\) apple n1 %@[0-9a-f]{8}%$/m);
    expect((await env.run({ files: ['a.norg'] })).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('deleted');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('deleted');
    expect(env.read(WEEKLY)).toMatch(/^- \(_\) apple n1 %@[0-9a-f]{8}%$/m);
  });
});
