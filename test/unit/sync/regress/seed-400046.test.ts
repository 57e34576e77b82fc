/**
 * Harness seed 400046 (normal, fault slow): a task's line removed (the sync deleted the task),
 * then its mirror in a plan note set back to in progress, and a sync of the plan note alone.
 * The mirror's edit reopened the task in Taskwarrior, but its home note was out of that sync's
 * scope, so no line was added; the state judged the task by the version it had read (deleted)
 * and queued nothing, and our own import is no change to the next sync: pending in Taskwarrior,
 * on no line, for good.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { linesOf, settle, setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('seed 400046: a task reopened through its mirror by a sync that does not cover its note', () => {
  it('gets its line back in its note at the next full sync', async () => {
    const env = setup({
      'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) stays\n',
      'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - (-) eagle n4\n  - ( ) other\n',
    });
    expect((await env.run()).code).toBe(0);
    const u = env.tw('eagle n4').uuid;
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit('b.norg', /^ {2}- \(-\) eagle n4.*\n/m, '');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('deleted');
    // The mirror still shows the task (cancelled now): set it in progress again.
    env.edit(PLAN, /\(_\) eagle n4 \{/, '(-) eagle n4 {');
    expect((await env.run({ files: [PLAN] })).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('pending');
    expect((await env.run()).code).toBe(0);
    expect(linesOf(env.ws, 'eagle n4').map((l) => l.file)).toEqual(['b.norg']);
    await settle(env, ['eagle n4', 'other', 'stays']);
  });
});
