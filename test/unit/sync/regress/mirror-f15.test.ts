/**
 * Found by hand (issue 13, mirror attack): a home line deleted and, in the same sync, its
 * mirror edited. The deletion wins (the line is gone: the task is deleted), as documented, but
 * the mirror's edit was in no log. It is now logged as the value that lost.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('mirror-F15: a home line deleted while its mirror is edited', () => {
  it('deletes the task and logs the mirror edit', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - (-) apple n1\n  - ( ) bread n2\n' });
    expect((await env.run()).code).toBe(0);
    const u = env.tw('apple n1').uuid;
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /^ {2}- \(-\) apple n1.*\n/m, '');
    env.edit(PLAN, '- (-) apple n1 {', '- (-) apple pie {');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('deleted');
    const log = await env.log();
    expect(log.find((e) => e.uuid === u && e.side === 'note')?.fields.description?.lost).toBe('apple pie');
  });
});
