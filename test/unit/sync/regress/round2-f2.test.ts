/**
 * Found by hand (round 2, viewports with hostile filters): a viewport whose filter names two
 * projects, `|planager view project:alpha.One project:alpha.Two`, shows the tasks of the
 * last one. The doc says of a viewport's filter "all must hold", so no task (a task has one
 * project) matches; Taskwarrior 2.6 ANDs the two terms as well. The first term is silently
 * dropped: the user sees alpha.Two's tasks under a filter that also says alpha.One.
 * Suspected root cause: plan/filter.ts (parseViewFilter) keeps one `project` field
 * (`f.project = value || null`) that a second `project:` overwrites, instead of terms that
 * must all hold (or a warning for a repeated attribute); `priority:` has the same shape.
 *
 * Minimal history: a note with a task in alpha.One and one in alpha.Two, and that viewport;
 * one full sync.
 */
import { describe, expect, it } from 'vitest';
import { setup } from './util.js';

describe('round2-F2: a viewport with two project: terms', () => {
  it('shows the tasks matching both (none), not those of the last term', async () => {
    const env = setup({
      'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n\n* Two\n  - ( ) plum\n',
      'v.norg': '* Both\n|planager view project:alpha.One project:alpha.Two\n|end\n',
    });
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(env.read('v.norg')).not.toContain('plum');
  });
});
