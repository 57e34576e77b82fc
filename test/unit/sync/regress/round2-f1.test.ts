/**
 * Found by hand (round 2, viewports with hostile filters): a viewport whose filter is a bare
 * `project:` shows every pending task. In Taskwarrior `project:` (an empty value) matches the
 * tasks that have no project, and the doc reads `priority:` the same way ("`priority:` for
 * none"); Planager reads the empty project as the prefix "" that every project starts with,
 * so a viewport meant for the unfiled tasks fills with the whole database.
 * Suspected root cause: plan/filter.ts (parseViewFilter) reads the term as
 * `f.project = value || null`: an empty value becomes null, "no project term", so the filter
 * matches every task; `priority:` has its own case for none, `project:` has none.
 *
 * Minimal history: a note with two tasks of project alpha.One and a viewport
 * `|planager view project:`; one full sync.
 */
import { describe, expect, it } from 'vitest';
import { setup } from './util.js';

describe('round2-F1: a viewport filtered on `project:` (no project)', () => {
  it('shows only the tasks without a project', async () => {
    const env = setup({
      'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n  - ( ) pear\n',
      'v.norg': '* Unfiled\n|planager view project:\n|end\n',
    });
    expect((await env.run()).code).toBe(0);
    // No task is without a project: the viewport stays empty (or is left with a warning).
    expect(env.read('v.norg')).toBe('* Unfiled\n|planager view project:\n|end\n');
  });
});
