/**
 * Found by hand (issue 13, mirror attack, finding mirror-F7): a due date written in a mirror
 * that the sync cannot read (`< tomorrow`, `< 2026-12-08`) is thrown away without a word: the
 * sync rewrites the mirror to the task's old date and reports no warning. The same text on a
 * home line is kept and warned about ("cannot read the date …; Taskwarrior keeps its value").
 * sync/mirrors.ts `mirrorEdits` does push a warning for it, but sync/mirrorscope.ts
 * `loadMirrors` calls it with a throwaway array (`mirrorEdits(…, input.now, [])`), and the
 * mirror, now equal to its baseline in every readable field, is rewritten by `rerender`.
 */
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { setup } from './util.js';

const PLAN = 'journal/2026/12/15.norg';

describe('harness mirror-F7: a mirror date the sync cannot read', () => {
  // Fails on main (no warning; the user's text is replaced): it.fails until fixed.
  it.fails('is warned about, not silently replaced', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( |< Mon 14th Dec 2026) apple n1\n' });
    expect((await env.run()).code).toBe(0);
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit(PLAN, '- ( |< Mon 14th Dec 2026) apple n1', '- ( |< tomorrow) apple n1');
    const s = await env.run({ files: [PLAN] });
    expect(s.code).toBe(0);
    expect(s.warnings.join('\n')).toMatch(/tomorrow/);
  });
});
