// The notes' merge driver's pure core (sync/notemerge.ts, sync/taskline.ts, sync/diff3.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff3 } from '../../../sync/diff3.js';
import { extractTasks, parse } from '../../../parser/index.js';
import { COMMENT_HEAD, mergeNotes } from '../../../sync/notemerge.js';
import { mergeTaskLine } from '../../../sync/taskline.js';

const BASE = `* Week
  Intro line.
  - ( ) Write the report %#aaaa1111%
  - ( |# B|< 2026-12-10) Call Anna %#bbbb2222%
  - ( ) Buy milk %#cccc3333%
  Closing words.
`;

describe('diff3', () => {
  it('takes each side’s change and reports a region both changed', () => {
    expect(diff3(['a', 'b', 'c'], ['a', 'B', 'c'], ['a', 'b', 'C'])).toEqual([{ stable: true, lines: ['a', 'B', 'C'] }]);
    expect(diff3(['a', 'b', 'c'], ['a', 'x', 'c'], ['a', 'y', 'c'])).toEqual([
      { stable: true, lines: ['a'] },
      { stable: false, base: ['b'], ours: ['x'], theirs: ['y'] },
      { stable: true, lines: ['c'] },
    ]);
  });
});

describe('mergeTaskLine', () => {
  it('merges fields: different fields both kept, the same field goes to the preferred side', () => {
    const b = '- (# B|< 2026-12-10) Call Anna %#bbbb2222%';
    const o = '- (x|# B|< 2026-12-10) Call Anna %#bbbb2222%'.replace('(x|# B|', '(x|# B|');
    const t = '- (# A|< 2026-12-10) Call Anna and Bob %#bbbb2222%';
    expect(mergeTaskLine(b, '- (x|# B|< 2026-12-10) Call Anna %#bbbb2222%', t, 'theirs').line).toBe('- (x|# A|< 2026-12-10) Call Anna and Bob %#bbbb2222%');
    const same = mergeTaskLine(b, o.replace('Call Anna', 'Ring Anna'), t, 'theirs');
    expect(same.line).toBe('- (x|# A|< 2026-12-10) Call Anna and Bob %#bbbb2222%');
    expect(same.conflicts).toEqual([{ field: 'description', kept: 'Call Anna and Bob', lost: 'Ring Anna', winner: 'theirs' }]);
    expect(mergeTaskLine(b, o.replace('Call Anna', 'Ring Anna'), t, 'ours').line).toBe('- (x|# A|< 2026-12-10) Ring Anna %#bbbb2222%');
  });
});

describe('mergeNotes', () => {
  it('both devices edit different tasks and the text: everything kept, no report', () => {
    const ours = BASE.replace('( ) Write', '(x) Write').replace('Intro line.', 'Intro, edited.');
    const theirs = BASE.replace('Buy milk', 'Buy oat milk').replace('Closing words.', 'Closing, edited.');
    const m = mergeNotes(BASE, ours, theirs, 'theirs');
    expect(m.text).toBe(
      BASE.replace('( ) Write', '(x) Write')
        .replace('Intro line.', 'Intro, edited.')
        .replace('Buy milk', 'Buy oat milk')
        .replace('Closing words.', 'Closing, edited.'),
    );
    expect(m.tasks).toEqual([]);
    expect(m.textConflicts).toEqual([]);
  });

  it('a task edited next to a text edit on the other side never conflicts (the line is a token)', () => {
    const ours = BASE.replace('Intro line.', 'Intro, edited.');
    const theirs = BASE.replace('Write the report', 'Write the final report');
    expect(mergeNotes(BASE, ours, theirs, 'ours').text).toBe(ours.replace('Write the report', 'Write the final report'));
  });

  it('the same field: the preferred side wins and the loser is reported with its whole line', () => {
    const ours = BASE.replace('Call Anna', 'Call Anna today');
    const theirs = BASE.replace('Call Anna', 'Call Anna tomorrow');
    const m = mergeNotes(BASE, ours, theirs, 'theirs');
    expect(m.text).toBe(theirs);
    expect(m.tasks).toEqual([
      {
        id: 'bbbb2222',
        conflicts: [{ field: 'description', kept: 'Call Anna tomorrow', lost: 'Call Anna today', winner: 'theirs' }],
        lostLine: '  - ( |# B|< 2026-12-10) Call Anna today %#bbbb2222%',
        keptLine: '  - ( |# B|< 2026-12-10) Call Anna tomorrow %#bbbb2222%',
        loser: 'ours',
      },
    ]);
  });

  it('deleted on one side, edited on the other: the edit stays; deleted and untouched: gone', () => {
    const ours = BASE.replace('  - ( ) Write the report %#aaaa1111%\n', '').replace('  - ( ) Buy milk %#cccc3333%\n', '');
    const theirs = BASE.replace('Write the report', 'Write the final report');
    const m = mergeNotes(BASE, ours, theirs, 'ours');
    expect(m.text).toBe(BASE.replace('Write the report', 'Write the final report').replace('  - ( ) Buy milk %#cccc3333%\n', ''));
    expect(m.keptOverDelete).toEqual(['aaaa1111']);
  });

  it('a true conflict of text lines keeps ours and theirs in a marked @comment block', () => {
    const ours = BASE.replace('Intro line.', 'Intro from the laptop.');
    const theirs = BASE.replace('Intro line.', 'Intro from the phone.');
    const m = mergeNotes(BASE, ours, theirs, 'theirs');
    expect(m.text).toBe(BASE.replace('  Intro line.', `  Intro from the laptop.\n@comment\n${COMMENT_HEAD}\n  Intro from the phone.\n@end`));
    expect(m.textConflicts).toEqual([{ line: 2, ours: ['  Intro from the laptop.'], theirs: ['  Intro from the phone.'] }]);
  });

  it('a task added on each side at the same place: both kept', () => {
    const ours = BASE.replace('Closing words.', '- ( ) From the laptop %#dddd4444%\n  Closing words.');
    const theirs = BASE.replace('Closing words.', '- ( ) From the phone %#eeee5555%\n  Closing words.');
    const m = mergeNotes(BASE, ours, theirs, 'theirs');
    expect(m.text).toContain('From the laptop %#dddd4444%');
    expect(m.text).toContain('From the phone %#eeee5555%');
    expect(m.text).not.toContain('@comment');
  });

  it('a task moved on one side and edited on the other: moved and edited', () => {
    const ours = BASE.replace('  - ( ) Write the report %#aaaa1111%\n', '').replace(
      '  Closing words.',
      '  - ( ) Write the report %#aaaa1111%\n  Closing words.',
    );
    const theirs = BASE.replace('( ) Write the report', '(x) Write the report');
    const m = mergeNotes(BASE, ours, theirs, 'ours');
    expect(m.text).toBe(ours.replace('( ) Write the report', '(x) Write the report'));
  });
});

// Notes built from task lines (ids from a small pool, so sides share tasks) and text lines.
const line = fc.oneof(
  fc
    .record({
      id: fc.constantFrom('a1a1a1a1', 'b2b2b2b2', 'c3c3c3c3', 'd4d4d4d4', 'e5e5e5e5'),
      st: fc.constantFrom(' ', 'x', '-'),
      d: fc.constantFrom('One', 'Two', 'Three'),
    })
    .map((r) => `- (${r.st}) ${r.d} %#${r.id}%`),
  // A verbatim block comes whole (an unclosed one would make every later line text, on any side).
  fc.constantFrom('* Heading', 'Some text.', 'Other text.', '', '- plain item', '@code\n- ( ) Not a task %#f6f6f6f6%\n@end'),
);
const note = fc.array(line, { maxLength: 12 }).map((ls) => {
  // One line per id (a note holds a task once).
  const seen = new Set<string>();
  return `${ls
    .filter((l) => {
      const id = /%#(\w+)%/.exec(l)?.[1];
      if (!id) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .join('\n')}\n`;
});
// Tasks as the parser finds them (a line inside @code … @end is text, not a task).
const ids = (s: string): Set<string> => new Set(extractTasks(parse(s)).flatMap((t) => (t.id ? [t.id] : [])));
const taskLineOf = (s: string, id: string): string | undefined => {
  const t = extractTasks(parse(s)).find((x) => x.id === id);
  return t ? s.split('\n')[t.line - 1] : undefined;
};

describe('mergeNotes laws', () => {
  it('merge(base, x, x) = x; merge(base, base, x) = x; merge(base, x, base) = x', () => {
    fc.assert(
      fc.property(note, note, fc.constantFrom('ours', 'theirs'), (b, x, p) => {
        expect(mergeNotes(b, x, x, p).text).toBe(x);
        expect(mergeNotes(b, b, x, p).text).toBe(x);
        expect(mergeNotes(b, x, b, p).text).toBe(x);
      }),
    );
  });

  it('never a conflict marker; every task of either side stays unless deleted on one and unchanged on the other', () => {
    fc.assert(
      fc.property(note, note, note, fc.constantFrom('ours', 'theirs'), (b, o, t, p) => {
        const m = mergeNotes(b, o, t, p).text;
        expect(m).not.toMatch(/^(<<<<<<<|>>>>>>>|=======)/m);
        const got = ids(m);
        for (const id of new Set([...ids(o), ...ids(t)])) {
          const inO = ids(o).has(id);
          const inT = ids(t).has(id);
          const deletedUntouched =
            ids(b).has(id) && ((inO && !inT && taskLineOf(o, id) === taskLineOf(b, id)) || (inT && !inO && taskLineOf(t, id) === taskLineOf(b, id)));
          if (!deletedUntouched) expect(got.has(id), `task ${id} kept`).toBe(true);
        }
        // A task appears once.
        const all = extractTasks(parse(m)).flatMap((x) => (x.id ? [x.id] : []));
        expect(all.length).toBe(new Set(all).size);
      }),
    );
  });
});
