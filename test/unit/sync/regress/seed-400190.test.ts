/**
 * Harness seed 400190 (normal, export-fail; found while shrinking it): a task added in
 * Taskwarrior since the last sync, shown in a plan note and marked done there, all before one
 * sync. The sync sent the mirror's done to Taskwarrior (the mirror is the only place the notes
 * show the task) and, in the same sync, gave the task a line in its home note from the version it
 * had read: open. The line's state and Taskwarrior's version were both recorded as seen, so no
 * later sync changed either: the note said undone, Taskwarrior done, for good. The line (if any)
 * now shows the version the sync leaves, and a task the mirror closed gets none.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { expectAgree, lines, setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

async function addedThenMarkedInAPlan(more: string[]) {
  const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple n1\n' });
  expect((await env.run()).code).toBe(0);
  env.sb.task('add', 'cable n2', 'project:alpha.One', 'due:2026-12-01', ...more);
  const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
  expect(r.code, r.stderr).toBe(0);
  env.edit(PLAN, /- \( (\|[^)]*)?\) cable n2/, '- (x$1) cable n2');
  const s = await env.run();
  expect(s.code, s.error?.message).toBe(0);
  return env;
}

describe('seed 400190: a mirror marks done a task no line holds yet', () => {
  for (const [what, more] of [
    ['pending', []],
    ['waiting', ['wait:2030-01-01']],
  ] as const)
    it(`a ${what} task is done in Taskwarrior and on no line that says otherwise`, async () => {
      const env = await addedThenMarkedInAPlan([...more]);
      const { uuid, status } = env.tw('cable n2');
      expect(status).toBe('completed');
      expect(lines(env.ws).filter((t) => t.description === 'cable n2' && t.status !== 'done')).toEqual([]);
      expectAgree(env);
      expect(env.read(PLAN)).toMatch(/- \(x(\|[^)]*)?\) cable n2/);
      // Settled: the next sync finds nothing to do, and the two sides still agree.
      const again = await env.run();
      expect(again.code).toBe(0);
      expect(again.changed).toBe(false);
      expect(env.byUuid(uuid)?.status).toBe('completed');
      expectAgree(env);
    });
});
