/**
 * Harness seed 1002938 (log-replay, fault import-crash; the fault and the replay played no part):
 * a task's line removed (the sync deleted the task), the task reopened in Taskwarrior (a logged
 * version brought back through `task import`), and its mirror in a plan note edited before the
 * next sync. That sync sent the mirror's edit and, the task being open again, gave it its line
 * back (planMirrorOnly), but only the path for a reopened task with no mirror edit
 * (planAdditions) logged the note's deletion the reopen overwrote: it was in no log entry, and
 * the task stayed open for good (the harness's "lost: T1 status: the note last wrote
 * "cancelled"").
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { expectLogged, linesOf, settle, setup, type Env } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

/** A task with a mirror in the daily plan, its home line then removed (the sync deletes it). */
async function deletedWithMirror(): Promise<{ env: Env; u: string }> {
  const env = setup({
    'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - (-) eagle n4\n  - ( ) other\n',
  });
  expect((await env.run()).code).toBe(0);
  const u = env.tw('eagle n4').uuid;
  const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
  expect(r.code, r.stderr).toBe(0);
  expect((await env.run()).code).toBe(0);
  env.edit('b.norg', /^ {2}- \(-\) eagle n4.*\n/m, '');
  expect((await env.run()).code).toBe(0);
  return { env, u };
}

describe('seed 1002938: a task reopened in Taskwarrior after its line was removed, its mirror edited before the sync', () => {
  it('gets its line back, and the deletion the reopen overwrote is logged', async () => {
    const { env, u } = await deletedWithMirror();
    expect(env.byUuid(u)!.status).toBe('deleted');
    // Reopened in Taskwarrior; the mirror, still showing the deletion, gets a priority.
    env.sb.task(u, 'modify', 'status:pending');
    env.edit(PLAN, /\(_\) eagle n4 \{/, '(_|# A) eagle n4 {');
    expect((await env.run()).code).toBe(0);
    const t = env.byUuid(u)!;
    expect(t.status).toBe('pending');
    expect(t.priority).toBe('H');
    expect(linesOf(env.ws, 'eagle n4').map((l) => l.file)).toEqual(['b.norg']);
    await expectLogged(env, u, 'status', 'cancelled');
    const entry = (await env.log()).find((e) => e.uuid === u && e.side === 'note' && e.fields.status?.lost === 'cancelled');
    expect(entry?.action).toBe('overwrite');
    expect(entry?.file).toBe('b.norg');
    await settle(env, ['eagle n4', 'other']);
  });

  it('logs no overwrite when the mirror reopened the task itself (the note wrote last)', async () => {
    const { env, u } = await deletedWithMirror();
    env.edit(PLAN, /\(_\) eagle n4 \{/, '(-) eagle n4 {');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('pending');
    expect(linesOf(env.ws, 'eagle n4').map((l) => l.file)).toEqual(['b.norg']);
    const log = await env.log();
    expect(log.some((e) => e.uuid === u && e.side === 'note' && e.fields.status?.lost === 'cancelled')).toBe(false);
    await settle(env, ['eagle n4', 'other']);
  });
});
