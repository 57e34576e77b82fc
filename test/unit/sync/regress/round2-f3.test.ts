/**
 * Found by hand (round 2, a viewport edited in Neovim-like one-note pushes): a viewport added
 * to a note and filled by a one-note sync (`files: [note]`, as `:w` or opening the note does)
 * gets mirrors without their link to the home line (`- ( ) pear %@…%`), where a full sync
 * fills the same viewport with `- ( ) pear {:a:* One}[a: One] %@…%` (the doc's example). The
 * later full syncs leave the link-less mirrors as they are, so what the viewport shows depends
 * on which sync filled it first, and its mirrors cannot be followed to their tasks.
 * Suspected root cause: sync/views.ts planTask looks the home line up in
 * `scope.loaded.graph.objects(st.file)`, which in a one-note sync holds only the note synced:
 * the home's headingPath is [] and the mirror is rendered without a link; a later refresh of
 * an existing mirror rewrites extension and text only, never adds the link.
 *
 * Minimal history: a.norg with a task; a full sync; v.norg written with `|planager view
 * pear` … `|end`; a one-note push of v.norg; a full sync.
 */
import { describe, expect, it } from 'vitest';
import { setup } from './util.js';

describe('round2-F3: a viewport filled by a one-note sync', () => {
  it('holds mirrors with their link, as a full sync writes them', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) pear\n' });
    expect((await env.run()).code).toBe(0);
    env.write('v.norg', '* View\n|planager view pear\n|end\n');
    expect((await env.run({ files: ['v.norg'], direction: 'push' })).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    expect(env.read('v.norg')).toMatch(/- \( \) pear \{:a:\* One\}\[a: One\] %@[0-9a-f]{8}%/);
  });
});
