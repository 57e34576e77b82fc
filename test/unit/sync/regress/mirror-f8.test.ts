/**
 * Found by hand (issue 13, mirror attack, finding mirror-F8): a task whose home line was
 * deleted (the sync deleted it in Taskwarrior; its mirror shows `(_)`), then brought back from
 * its mirror (`(_)` → `( )`): Taskwarrior has it pending again, but no note line holds it,
 * though its project's heading is there, and full syncs after leave it so (each changes
 * nothing). A task added with `task add` in that project gets its line at the next sync; this
 * one only when Taskwarrior changes it again. Suspected: the sync that imports the mirror's
 * edit records the task's new version as seen (its own write), and sync/plan.ts places only
 * tasks Taskwarrior changed since the last sync on lines; the mirror path (sync/mirrorscope.ts
 * `loadMirrors`: no home, `tasksOnlyInTaskwarrior`) never asks for a line.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { linesOf, settle, setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('harness mirror-F8: a deleted task brought back from its mirror', () => {
  // Fails on main (pending in Taskwarrior, on no line): it.fails until fixed.
  it.fails('gets a home line again, as any live task of that project', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - (-) apple n1\n  - ( ) bread n2\n' });
    expect((await env.run()).code).toBe(0);
    const u = env.tw('apple n1').uuid;
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /^ {2}- \(-\) apple n1.*\n/m, '');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('deleted');
    expect(env.read(PLAN)).toContain('- (_) apple n1 {');
    env.edit(PLAN, '- (_) apple n1 {', '- ( ) apple n1 {');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(u)!.status).toBe('pending');
    expect((await env.run()).code).toBe(0);
    expect(linesOf(env.ws, 'apple n1')).toHaveLength(1);
    await settle(env, ['apple n1', 'bread n2']);
  });
});
