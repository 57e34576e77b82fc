/**
 * Found while building mirror editing (issue 15): a `:w` right after opening a note. The pull
 * on open was given the buffer's text as it was before the edit; it waited its turn while the
 * user edited and wrote, then recorded the note as seen with the old text's hash and the new
 * file's size and mtime. The push of that write found the note "unchanged" and sent nothing.
 *
 * And a push that must change another note open with unsaved changes (a mirror's home line)
 * leaves it alone: the change waits for that note's write instead of being written under it.
 */
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

describe('a pull given a buffer older than its file', () => {
  it('leaves the write after it to be pushed', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple\n  - ( ) bread\n' });
    expect((await env.run()).code).toBe(0);
    const shown = env.read('a.norg');
    env.edit('a.norg', '( ) apple', '(x) apple');
    const pull = await env.run({
      files: ['a.norg'],
      direction: 'pull',
      texts: new Map([['a.norg', { text: shown.replace(/\n$/, ''), mtime: Date.now() }]]),
      writeNotes: false,
    });
    expect(pull.ok).toBe(true);
    const push = await env.run({ files: ['a.norg'], direction: 'push' });
    expect(push.taskwarrior.updated).toHaveLength(1);
    expect(env.tw('apple').status).toBe('completed');
    await settle(env, ['bread']);
  });

  it('a held note (unsaved in the editor) is not written; its change waits, nothing lost', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple\n', 'b.norg': '* Two\n  - ( ) bread\n' });
    expect((await env.run()).code).toBe(0);
    const b = env.read('b.norg');
    env.sb.task(env.tw('bread').uuid, 'modify', 'priority:H');
    const r = await env.run({ holds: (f) => f === 'b.norg' });
    expect(r.ok).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/b\.norg has unsaved changes/);
    expect(env.read('b.norg')).toBe(b);
    // Once written (here: released), the next sync brings Taskwarrior's value in.
    expect((await env.run()).ok).toBe(true);
    expect(env.read('b.norg')).toContain('( |# A) bread');
    expect(env.tw('bread').priority).toBe('H');
    await settle(env, ['apple', 'bread']);
  });
});
