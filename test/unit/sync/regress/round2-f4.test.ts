/**
 * Found by hand (round 2, ISO dates on mirror lines): a due date typed ISO on a mirror,
 * `- ( |< 2026-12-24 09:30) apple {…} %@…%`, reaches Taskwarrior and the home line, but the
 * mirror is rewritten `( |< Thu 24th Dec 2026 09:30)`: the date form the user typed is not
 * kept, while the same date typed on a home line stays ISO (sync/dates.ts: "An ISO line stays
 * ISO"). The home line, which had no date, gets the long form too.
 * Suspected root cause: the mirror rewrite (sync/mirrors.ts, rendering a mirror from the
 * merged task) formats the date without the mirror's own previous text as `like` for
 * sync/dates.ts formatting, so the ISO form is lost.
 *
 * Minimal history: a note with a task; a full sync; a viewport in the note showing it (or a
 * plan's mirror); the mirror's date set to `2026-12-24 09:30`; a full sync.
 */
import { describe, expect, it } from 'vitest';
import { setup } from './util.js';

describe('round2-F4: an ISO date typed on a mirror', () => {
  it.fails('stays ISO on the mirror', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n\n* View\n|planager view apple\n|end\n' });
    expect((await env.run()).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /- \( \) apple \{/, '- ( |< 2026-12-24 09:30) apple {');
    expect((await env.run({ now: () => new Date('2026-12-05T10:00:00') })).code).toBe(0);
    expect(env.tw('apple').due).toBe('20261224T093000Z');
    expect(env.read('a.norg')).toMatch(/- \( \|< 2026-12-24 09:30\) apple \{/);
  });
});
