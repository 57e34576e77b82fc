/**
 * Found by the harness with mirrors (issue 13, finding mirror-F2; seeds 134 and 156 of
 * `--runs 60 --seed 100 --steps 40 --faults none`, shown there as a second full sync that
 * "started 1 task process"): the sync after `planager plan` made a plan note returns while a
 * `task import` it started is still starting. The note changed, so sync/engine.ts starts the
 * early import (`early.start()` when scan.changed is not empty); the plan note's mirrors bring
 * nothing to import, and sync/commit.ts `EarlyImport.cancel` closes the process's input without
 * waiting for it: the `task` process outlives the sync that started it (counted in
 * `report.processes`, but it has not even run its first line when the sync returns), so the
 * user's next `task` command or sync runs beside it. Plain
 * notes rarely show it (a changed note nearly always has something to import); a plan note just
 * made always does.
 *
 * Timing-dependent (the late process appeared in 7 of 12 runs here), so each try repeats the
 * case: skipped rather than it.fails, since it can pass by chance.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { setup, sleep } from './util.js';

describe('harness mirror-F2: a sync after planager plan made a note', () => {
  // Fails on main (about 99% of tries: the cancelled early import outlives the sync).
  it.skip('has no task process left running when it returns', async () => {
    for (let i = 0; i < 5; i++) {
      const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - (-) apple n1\n  - ( ) apple n2\n' });
      expect((await env.run()).code).toBe(0);
      const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
      expect(r.code, r.stderr).toBe(0);
      env.sb.resetCalls();
      const s = await env.run();
      expect(s.code).toBe(0);
      const atReturn = env.sb.calls().length;
      await sleep(700);
      expect(env.sb.calls().length, `try ${i}: a task process logged after the sync returned (processes reported: ${s.processes})`).toBe(atReturn);
    }
  });
});
