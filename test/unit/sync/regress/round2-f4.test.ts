/**
 * Found by hand (round 2, ISO dates on mirror lines): a due date typed ISO on a mirror,
 * `- ( |< 2026-12-24 09:30) apple {…} %@…%`, reaches Taskwarrior and the home line, but the
 * mirror is rewritten `( |< Thu 24th Dec 2026 09:30)`: the date form the user typed is not
 * kept, while the same date typed on a home line stays ISO (sync/dates.ts: "An ISO line stays
 * ISO"). The home line, which had no date, gets the long form too.
 * Suspected root cause: plan/mirror.ts showDate, which renders every mirror's date, has one
 * form (`Thu 24th Dec 2026 09:30`) and no `like` (the mirror's previous text), unlike
 * sync/dates.ts formatDate ("An ISO line stays ISO"); the home line, which had no date, takes
 * the mirror's parsed value and is formatted without an ISO `like` either.
 *
 * Minimal history: a note with a task; a full sync; a viewport in the note showing it (or a
 * plan's mirror); the mirror's date set to `2026-12-24 09:30`; a full sync.
 */
import { describe, expect, it } from 'vitest';
import { setup } from './util.js';

describe('round2-F4: an ISO date typed on a mirror', () => {
  it('stays ISO on the mirror', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n\n* View\n|planager view apple\n|end\n' });
    expect((await env.run()).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /- \( \) apple \{/, '- ( |< 2026-12-24 09:30) apple {');
    expect((await env.run({ now: () => new Date('2026-12-05T10:00:00') })).code).toBe(0);
    expect(env.tw('apple').due).toBe('20261224T093000Z');
    expect(env.read('a.norg')).toMatch(/- \( \|< 2026-12-24 09:30\) apple \{/);
  });
});
