/**
 * Harness seed 1004241 (kind normal, fault delete-state; shrunk with test/harness/shrink.ts to
 * a push of the home note, `planager schedule`, a mirror edit and the fault): a task mirrored
 * in a daily plan, its priority edited in the mirror (C), Taskwarrior changing the same field
 * (M) before the sync, then `catalog.json` deleted. The shards (the home line's base, the
 * mirror's baseline) were intact, but a lost catalog was read as knowing no note, so the
 * mirror's task looked like one no note holds (sync/mirrorscope.ts `loadMirrors`): the edited
 * field went to Taskwarrior's side (`twWon`), to be logged by the mirror-only plan, which skips
 * a task merged through its home line. The edit was neither sent nor logged.
 */
import { rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { expectLogged, settle, setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('seed 1004241: a mirror edit, the same field changed in Taskwarrior, then catalog.json deleted', () => {
  it('the mirror’s value is kept or logged as overwritten, as with the catalog intact', async () => {
    const env = setup({ 'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - (-) apple n1\n' });
    expect((await env.run()).code).toBe(0);
    const u = env.tw('apple n1').uuid;
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    env.edit(PLAN, /^- \(-\) apple n1 /m, '- (-|# C) apple n1 ');
    // The mirror edit an hour old: Taskwarrior's change is the newer one and wins the conflict.
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(env.ws, PLAN), old, old);
    env.sb.task(u, 'modify', 'priority:M');
    rmSync(join(env.ws, '.planager', 'catalog.json'));
    const s = await env.run();
    expect(s.code, s.error?.message).toBe(0);
    expect(env.byUuid(u)!.priority).toBe('M');
    await expectLogged(env, u, 'priority', 'C');
    expect(env.read(PLAN)).toMatch(/^- \(-\|# B\) apple n1 /m);
    await settle(env, ['apple n1']);
  });
});
