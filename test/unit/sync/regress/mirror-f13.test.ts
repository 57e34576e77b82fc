/**
 * Found by the harness with mirrors (issue 13, finding mirror-F13; seed 6039 of `--runs 40
 * --seed 6000 --steps 40 --known mirror-f1,mirror-f5`, shrunk with test/harness/shrink.ts to
 * 5 steps; its export-crash fault plays no part). The user edits a home line's text, runs
 * `planager plan` (the mirror shows Taskwarrior's text, the old one), writes the home note
 * (`:w`, a one-note push: Taskwarrior gets the new text; the plan note is not in that sync),
 * then opens the plan note (a one-note pull). The mirror is stale, yet from then on it is kept
 * as a user's edit that is never sent: every full sync after leaves it showing the old text.
 * sync/mirrorscope.ts `loadMirrors` with no baseline compares the mirror with the task's last
 * known version and its current one; the mirror shows an older version than both (a sync
 * came between the plan and the plan note's first sync), so it reads as an edit; the pull
 * keeps an edited mirror and its (absent) baseline as they are (sync/mirrors.ts `rerender`,
 * `keep`); the full syncs after send nothing from it (Taskwarrior keeps the new text, no log
 * entry) and never rewrite it either (the task does not change again).
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { settle, setup } from './util.js';

const PLAN = 'journal/2026/12/31.norg';

describe('harness mirror-F13: a plan made between a home edit and its push, then opened', () => {
  // fixed by planager plan recording its mirrors' baselines (sync/planstate.ts).
  it('the mirror shows the new text after the next full sync', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - (-) apple n1\n' });
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', '- (-) apple n1', '- (-) joker n2');
    const r = await planCommand('daily', { date: '2026-12-31', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-31T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect(env.read(PLAN)).toContain('- (-) apple n1 {');
    expect((await env.run({ files: ['a.norg'], direction: 'push' })).code).toBe(0);
    expect(env.tw('joker n2').status).toBe('pending');
    expect((await env.run({ files: [PLAN], direction: 'pull' })).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    expect(env.read(PLAN)).toContain('- (-) joker n2 {');
    await settle(env, ['joker n2']);
  });
});
