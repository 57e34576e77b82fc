/**
 * Found by the harness (seed 100721 of the 1,000-run batch): a task deleted in Taskwarrior,
 * then its home line deleted and its mirror's due edited, all before one sync. The deletion
 * stands (both sides made it), but the mirror's due was in no log: with the task already
 * deleted, the removal of its line had nothing to send and skipped the mirror edit too.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { expectLogged, setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('seed 100721: a mirror edited while its task is deleted on both sides', () => {
  it('keeps the task deleted and logs the mirror edit', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - (-|< 2027-01-09) apple n1\n  - ( ) bread n2\n' });
    expect((await env.run()).code).toBe(0);
    const u = env.tw('apple n1').uuid;
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.sb.task(u, 'delete');
    env.edit('a.norg', /^ {2}- \(-\|< 2027-01-09\) apple n1.*\n/m, '');
    env.edit(PLAN, /\(-\|< [^)]*\) apple n1 \{/, '(-|< 2026-12-19) apple n1 {');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('deleted');
    await expectLogged(env, u, 'due', '2026-12-19T00:00:00.000Z');
  });
});
