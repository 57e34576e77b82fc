/**
 * The batched moves (sync/moves.ts) give the texts, and fail the moves, that the moves made one
 * at a time, each reading its notes anew (the way before harness finding round4-f2), give: on
 * random notes with nesting, tag lines, continuations, paragraphs, code blocks, subheadings,
 * duplicate headings and ids, and random moves between and within two notes, nested ones,
 * repeated ones and ones to headings that do not exist included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkspaceGraph } from '../../../graph/index.js';
import { applyMoves, moveBlock, type NoteTexts } from '../../../sync/moves.js';
import type { Move } from '../../../sync/plan.js';

const ids = ['a1a1', 'b2b2', 'c3c3', 'd4d4', 'e5e5', 'f6f6', 'a7a7', 'b8b8', 'c9c9', 'dada', 'ebeb', 'fcfc'];

const item = fc
  .record({
    tags: fc.constantFrom([], ['home'], ['a', 'b']),
    level: fc.integer({ min: 1, max: 3 }),
    ordered: fc.boolean(),
    status: fc.constantFrom('( ) ', '(x) ', '(-|# A) ', ''),
    id: fc.option(fc.constantFrom(...ids), { nil: null }),
    more: fc.constantFrom('', '\n    and more', '\nunindented'),
  })
  .map(
    (i) => (indent: string) =>
      `${i.tags.map((t) => `${indent}+${t}\n`).join('')}${indent}${(i.ordered ? '~' : '-').repeat(i.level)} ${i.status}t${i.id ? ` %#${i.id}%` : ''}${i.more}\n`,
  );

const chunk = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom('', '  ', '    ', '\t'), fc.array(item, { minLength: 1, maxLength: 5 }))
      .map(([ind, is]) => is.map((f) => f(ind)).join('')),
  },
  { weight: 2, arbitrary: fc.constantFrom('\n', 'some text\n', '---\n', '___\n', '@code\n- ( ) not a task %#a1a1%\n\n@end\n', '#list-tag\n') },
);

const heading = fc
  .record({
    level: fc.integer({ min: 1, max: 3 }),
    title: fc.constantFrom('One', 'Two', 'Three', 'One'),
    indent: fc.constantFrom('', '  '),
    task: fc.constantFrom('', '', '( ) ', '( ) ', '( ) %#c3c3% ', '( ) %#dada% '),
  })
  .map((h) => `${h.indent}${'*'.repeat(h.level)} ${h.task}${h.title}\n`);

const note = fc
  .tuple(
    fc.boolean(),
    fc.array(chunk, { maxLength: 3 }),
    fc.array(fc.tuple(heading, fc.array(chunk, { maxLength: 4 })), { maxLength: 5 }),
    fc.constantFrom('', 'drop-last-newline', 'crlf'),
  )
  .map(([meta, top, sections, form]) => {
    let t = (meta ? '@document.meta\nproject: p\n@end\n\n' : '') + top.join('') + sections.map(([h, cs]) => h + cs.join('')).join('');
    if (form === 'drop-last-newline') t = t.replace(/\n$/, '');
    if (form === 'crlf') t = t.replace(/\n/g, '\r\n');
    return t;
  });

const moveSpec = fc.record({
  id: fc.constantFrom(...ids, 'ffff'),
  from: fc.constantFrom('a.norg', 'b.norg'),
  to: fc.constantFrom('a.norg', 'b.norg'),
  pick: fc.nat(),
  fresh: fc.constantFrom(null, null, null, null, ['New'], ['One', 'Sub']),
});

function paths(text: string): string[][] {
  const g = new WorkspaceGraph({ propagate: false, derive: false });
  g.setFile('x.norg', text);
  return [[], ...(g.objects('x.norg')?.projects ?? []).map((p) => p.path)];
}

function textsOf(init: Record<string, string>): NoteTexts & { all: Record<string, string> } {
  const all = { ...init };
  return { all, get: (f) => all[f] ?? '', set: (f, t) => (all[f] = t) };
}

describe('batched moves', () => {
  it('give the same texts, and fail the same moves, as the moves made one at a time', () => {
    fc.assert(
      fc.property(note, note, fc.array(moveSpec, { minLength: 1, maxLength: 12 }), (a, b, specs) => {
        const init = { 'a.norg': a, 'b.norg': b };
        const moves: Move[] = specs.map((s) => {
          const ps = paths(init[s.to as keyof typeof init]);
          return { uuid: s.id, id: s.id, from: s.from, to: s.to, path: s.fresh ? [...s.fresh] : ps[s.pick % ps.length] };
        });
        const old = textsOf(init);
        const oldFailed = moves.filter((m) => !moveBlock(m, old));
        const now = textsOf(init);
        const failed = applyMoves(moves, now);
        expect(now.all).toEqual(old.all);
        expect(failed).toEqual(oldFailed);
      }),
      { numRuns: Number(process.env.MOVE_RUNS ?? 1000) },
    );
  }, 600_000);

  it('move every line of a heading in one batch (round4-f2): the same text as one at a time', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `  - ( ) task ${i} %#${(0x1000 + i).toString(16)}%\n  -- ( ) sub ${i}`);
    const text = `@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) stays %#ffff%\n\n* Two\n${lines.join('\n')}\n`;
    const moves: Move[] = lines.map((_, i) => {
      const id = (0x1000 + i).toString(16);
      return { uuid: id, id, from: 'b.norg', to: 'b.norg', path: ['One'] };
    });
    const old = textsOf({ 'b.norg': text });
    for (const m of moves) expect(moveBlock(m, old)).toBe(true);
    const now = textsOf({ 'b.norg': text });
    expect(applyMoves(moves, now)).toEqual([]);
    expect(now.all).toEqual(old.all);
    expect(now.all['b.norg']).toMatch(/\* One\n {2}- \( \) stays %#ffff%\n {2}- \( \) task 0 %#1000%\n {2}-- \( \) sub 0\n/);
  });
});
