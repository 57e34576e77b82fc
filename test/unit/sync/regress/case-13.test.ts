/**
 * Issue 12, case 13: a 5 MB note. The cost is checked by bench/bignote.ts (a one-line edit in a
 * 5 MB note against the same edit in a 0.5 MB one); this test checks that such a note syncs
 * right: a heading task over pages of prose (one description was rebuilt quadratically, and its
 * first sync took minutes, past this test's time-out), list tasks between them, a one-line edit
 * that reaches Taskwarrior (with the parent status it derives) and changes no other byte.
 */
import { describe, expect, it } from 'vitest';
import { extractObjects } from '../../../../graph/index.js';
import { parse } from '../../../../parser/index.js';
import { setup } from './util.js';

const PROSE = '  Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.\n';

function bigNote(bytes: number): string {
  let out = '* ( ) Write the book\n  - ( ) Outline the chapters\n';
  for (let c = 0; c < 20; c++) {
    // A blank line ends the item: the prose is the heading task's body, not the item's text.
    out += `  - ( ) Chapter ${c}\n\n` + PROSE.repeat(Math.ceil(bytes / 20 / PROSE.length)) + '\n';
  }
  return out;
}

describe('case 13: a 5 MB note', () => {
  it('syncs, and a one-line edit is one update with every other byte kept', async () => {
    const env = setup({ 'book.norg': bigNote(5_000_000) });
    const first = await env.run();
    expect(first.code).toBe(0);
    expect(first.taskwarrior.created).toHaveLength(22);
    const before = env.read('book.norg');
    expect(before.length).toBeGreaterThan(5_000_000);
    env.edit('book.norg', '( ) Chapter 7 ', '(x) Chapter 7 ');
    const r = await env.run({ force: true });
    expect(r.code).toBe(0);
    // The chapter, and the book it belongs to, now in progress (derived from its subtasks).
    expect(r.taskwarrior.updated).toHaveLength(2);
    expect(env.tw('Chapter 7').status).toBe('completed');
    expect(env.read('book.norg')).toBe(before.replace('( ) Chapter 7 ', '(x) Chapter 7 ').replace('* ( ) Write the book', '* (-) Write the book'));
    const again = await env.run();
    expect(again.changed).toBe(false);
  }, 60_000);

  it('a task whose text runs over 40,000 lines is read whole (its description was rebuilt at each line: minutes, past the time-out)', () => {
    const text = '* Notes\n  - ( ) Long thought\n' + PROSE.repeat(40_000);
    const t = extractObjects(parse(text), 'long.norg').tasks;
    expect(t).toHaveLength(1);
    expect(t[0].description.length).toBeGreaterThan(40_000 * (PROSE.length - 3));
    expect(t[0].description.startsWith('Long thought Lorem ipsum')).toBe(true);
  });
});
