/**
 * Found by the harness with round-2 steps (seed 31027 of `--runs 60 --seed 31000 --steps 40
 * --known round2-f7`, no fault; shrunk by hand): a viewport mirror's due date is edited, the
 * task is then marked done in Taskwarrior, and a full *pull* runs (`planager pull`, or
 * opening notes) before any push. The pull fills the viewport, and since the task is done it
 * no longer matches: the mirror is removed, with the unsent edit on it. The next full sync
 * has nothing to send: the due date the user typed is in no note, no task and no log entry
 * (the harness's `lost` invariant). The doc (*planager-mirror-edit*): "A mirror edited and
 * then pulled (opening the note) is left as you wrote it until the next push."
 * Without the pull (a full sync straight away) the edit reaches Taskwarrior.
 * Suspected root cause: sync/views.ts (the viewport fill) removes the mirrors of tasks that
 * no longer match without checking them for unsent edits (the note's state baseline, as
 * sync/mirrors.ts does for a mirror edit) and runs on a pull, which does not read mirror edits.
 *
 * Minimal history: a.norg with a task; v.norg `|planager view project:alpha` … `|end`; two
 * full syncs; the mirror's due set to 2026-12-20; `task done`; a full sync with direction
 * pull; a full sync.
 */
import { describe, expect, it } from 'vitest';
import { expectLogged, setup, sleep } from './util.js';

describe('round2-F8: an edited viewport mirror whose task is done, then a pull', () => {
  it('keeps the edit: it reaches Taskwarrior or the log', async () => {
    const env = setup({
      'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n',
      'v.norg': '* V\n|planager view project:alpha\n|end\n',
    });
    expect((await env.run()).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit('v.norg', /- \( \) apple \{/, '- ( |< 2026-12-20) apple {');
    await sleep(1100);
    const u = env.tw('apple').uuid;
    env.sb.task(u, 'done');
    expect((await env.run({ direction: 'pull' })).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    if (env.byUuid(u)!.due !== '20261220T000000Z') await expectLogged(env, u, 'due', '2026-12-20T00:00:00.000Z');
  });
});
