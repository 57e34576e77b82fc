/**
 * Harness seed 700007 (undo-replay, no fault; the replay plays no part): `task modify
 * project:beta.Two` of a task whose line is in a.norg, then a one-note sync (the harness: a push
 * of a daily plan, whose mirror's home is a.norg) before any sync had read b.norg, the note
 * with that heading. That sync found no home for beta.Two, so by the rule for a project no
 * heading holds it left the line where it was and marked the change merged. The full sync that
 * read b.norg then saw the task unchanged on both sides and never moved it: the note said
 * alpha.One, Taskwarrior beta.Two, for good. A one-note sync has not read every note's
 * headings; its "no home" now defers the change to a sync that has.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REAL_TASK } from '../../../helpers/tw.js';
import { linesOf, settle, setup, type Env } from './util.js';

const A = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple n1\n  - ( ) apple n2\n';
const B = '@document.meta\nproject: beta\n@end\n\n* One\n\n* Two\n';

async function scenario(direction: 'both' | 'push'): Promise<Env> {
  const env = setup({ 'a.norg': A, 'b.norg': B });
  // Only a.norg: no sync has read b.norg's headings yet.
  const first = await env.run({ files: ['a.norg'] });
  expect(first.code, first.error?.message).toBe(0);
  const uuid = env.tw('apple n1').uuid;
  execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', uuid, 'modify', 'project:beta.Two'], { env: env.sb.env, stdio: 'pipe' });
  // A note edit, so the one-note sync merges a.norg's lines (as a mirror edit did in the harness).
  env.edit('a.norg', 'apple n2', 'apple n3');
  const one = await env.run({ files: ['a.norg'], direction });
  expect(one.code, one.error?.message).toBe(0);
  return env;
}

describe('seed 700007: a Taskwarrior project whose heading is in a note no sync has read yet', () => {
  for (const direction of ['both', 'push'] as const) {
    it(`moves the line there at the full sync after a one-note ${direction}`, async () => {
      const env = await scenario(direction);
      await settle(env, ['apple n1', 'apple n3']);
      const [line] = linesOf(env.ws, 'apple n1');
      expect([line.file, line.project]).toEqual(['b.norg', 'beta.Two']);
      expect(env.tw('apple n1').project).toBe('beta.Two');
    });
  }
});
