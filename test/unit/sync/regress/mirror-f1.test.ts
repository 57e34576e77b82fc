/**
 * Found by the harness with mirrors (issue 13, finding mirror-F1): a mirror edited in a plan
 * note and `planager plan` run again before any sync (the user reopens today's plan, or
 * `:Planager plan`) loses the edit without a trace. plan/refresh.ts `refresh` rewrites every
 * mirror line from the task as Taskwarrior has it (`mirrorContent(task, file)` over
 * contentFrom..markerTo), never asking the note's shard whether the mirror shows an edit the
 * sync has not sent yet; the next sync then sees a mirror equal to its task and changes nothing.
 *
 * Minimal history (seed 113): sync; plan daily; mirror `(-)` → `( )`; plan daily again; sync.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { settle, setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('harness mirror-F1: planager plan re-run over an unsent mirror edit', () => {
  // Fails on main (plan/refresh.ts rewrites edited mirrors): it.fails until fixed.
  it.fails('keeps the edit: the next sync sends it to the home line and Taskwarrior', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - (-) apple n1\n' });
    expect((await env.run()).code).toBe(0);
    const plan = async () => {
      const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
      expect(r.code, r.stderr).toBe(0);
    };
    await plan();
    expect(env.read(PLAN)).toMatch(/^- \(-\) apple n1 \{:\.\.\/\.\.\/\.\.\/a:\* One\}\[a: One\] %@[0-9a-f]{8}%$/m);
    env.edit(PLAN, '- (-) apple n1', '- ( ) apple n1');
    await plan();
    // The edit is still in the plan note…
    expect(env.read(PLAN)).toContain('- ( ) apple n1');
    expect((await env.run()).code).toBe(0);
    // …and reaches the task: no longer started.
    expect(env.tw('apple n1').start).toBeUndefined();
    expect(env.read('a.norg')).toContain('- ( ) apple n1');
    await settle(env, ['apple n1']);
  });
});
