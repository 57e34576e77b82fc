/**
 * Found by hand (round 2, a viewport inside a plan note): a viewport written in the daily
 * plan (any note under journal/YYYY/MM/) is filled by a full sync with mirrors that have no
 * link, `- ( ) apple %@…%`, where the same viewport in `sub/v.norg` gets
 * `- ( ) apple {:../a:* One}[a: One] %@…%`. Only a later `planager plan` adds the link. The
 * plan's own sections are linked; its viewports are not, so following a viewport mirror from
 * the day's plan (the place a user is most likely to put one) leads nowhere.
 * Suspected root cause: sync/views.ts planTask / the mirror rendering for plan notes: the
 * home (`plan.tasks.get(uuid) ?? scope.loaded.known.get(uuid)`) or its heading path is not
 * found when the viewport's note is a plan note (plan notes are read through the plan state,
 * sync/planstate.ts, not as ordinary notes), so the link is left out; compare round2-F3 (a
 * one-note sync, same symptom).
 *
 * Minimal history: a.norg with a task; a full sync; journal/2026/12/15.norg written with
 * `|planager view apple` … `|end`; two full syncs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('round2-F5: a viewport in a plan note', () => {
  it('holds mirrors with their link to the home line', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n' });
    expect((await env.run()).code).toBe(0);
    mkdirSync(join(env.ws, 'journal', '2026', '12'), { recursive: true });
    env.write(PLAN, '* V\n|planager view apple\n|end\n');
    expect((await env.run()).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    expect(env.read(PLAN)).toMatch(/- \( \) apple \{:\.\.\/\.\.\/\.\.\/a:\* One\}\[a: One\] %@[0-9a-f]{8}%/);
  });
});
