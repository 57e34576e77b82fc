/**
 * Harness seed 401012 (normal, fault bad-utf8; the fault plays no part): a task line moved
 * from b.norg to a.norg, then a one-note sync that brought a.norg in (the harness: a push of a
 * daily plan, whose mirror's home is a.norg). b.norg was loaded as context only (the id's
 * owner, to tell the move from a copy): its shard was rewritten without the task, yet its
 * fingerprint kept vouching for its old text, the one with the line. The line was then copied
 * back into b.norg, which made b.norg's text exactly that old text again: every sync took
 * b.norg for unchanged, the copy never got a task of its own, and later edits lost it from both
 * stores with nothing in the activity log.
 */
import { describe, expect, it } from 'vitest';
import { linesOf, settle, setup, short } from './util.js';

const A = '@document.meta\nproject: alpha\n@end\n\n* One\n';
const B = '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) apple n1\n';

describe('seed 401012: a line copied back into the note it moved out of', () => {
  it('is a copy with a task of its own, after a one-note sync had loaded that note as context', async () => {
    const env = setup({ 'a.norg': A, 'b.norg': B });
    expect((await env.run()).code).toBe(0);
    const withLine = env.read('b.norg');
    const [line] = linesOf(env.ws, 'apple n1');
    expect(line.id).toBeTruthy();
    const uuid = env.tw('apple n1').uuid;
    // Moved: the line out of b.norg, into a.norg; a sync of a.norg alone follows it there.
    const text = withLine.split('\n').find((l) => l.includes('apple n1'))!;
    env.write('b.norg', withLine.replace(`${text}\n`, ''));
    env.write('a.norg', `${A}${text}\n`);
    const one = await env.run({ files: ['a.norg'] });
    expect(one.code, one.error?.message).toBe(0);
    expect(env.tw('apple n1').project).toBe('alpha.One');
    // Copied back (yanked from a.norg, pasted where it was): b.norg is byte for byte as before.
    env.write('b.norg', withLine);
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    const onLines = linesOf(env.ws, 'apple n1');
    expect(onLines.map((t) => t.file).sort()).toEqual(['a.norg', 'b.norg']);
    // a.norg had the task last: it keeps the id; b.norg's line is a new task.
    expect(onLines.find((t) => t.file === 'a.norg')!.id).toBe(short(uuid));
    const copy = onLines.find((t) => t.file === 'b.norg')!;
    expect(copy.id).not.toBe(short(uuid));
    const apples = env.sb.exportAll().filter((t) => t.description === 'apple n1');
    expect(apples.map((t) => [t.status, t.project]).sort()).toEqual([
      ['pending', 'alpha.One'],
      ['pending', 'beta.One'],
    ]);
    await settle(env, ['apple n1', 'apple n1']);
  });
});
