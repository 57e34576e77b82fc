import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTasks, parse, print } from '../../../parser/index.js';
import { sharedDir } from '../../helpers/shared.js';

const dir = join(sharedDir(), 'norg', 'corpus');
const rows = readFileSync(join(dir, 'SOURCES.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));

// SOURCES.tsv counts todo lines by a plain line match; this is the match that reproduces its
// `todo_items` column for all 42 files (checked below), so the comparison is against the same rule.
const TODO_LINE = /^\s*[-~]+\s+\((?:[^)]*\|)?[ x\-=_!?+](?:\|[^)]*)?\)/;

/** Todo-looking lines inside @tag…@end, |example…|end and |comment…|end, found line by line. */
function linesInInertBlocks(text: string): number {
  let end: string | null = null;
  let n = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const t = line.trim();
    if (end) {
      if (t === end) end = null;
      else if (TODO_LINE.test(line)) n++;
      continue;
    }
    if (/^@(?!end\b)[\w.-]+/.test(t)) end = '@end';
    else if (/^\|(example|comment)\b/.test(t)) end = '|end';
  }
  return n;
}

describe('real-world corpus', () => {
  it('SOURCES.tsv lists every .norg file', () => {
    expect(rows.map((r) => r[0]).sort()).toEqual(
      readdirSync(dir)
        .filter((f) => f.endsWith('.norg'))
        .sort(),
    );
  });
  for (const [file, , , , , , todoItems] of rows) {
    it(file, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const tree = parse(text);
      expect(print(tree)).toBe(text);
      const lineMatches = text.split(/\r\n|\r|\n/).filter((l) => TODO_LINE.test(l)).length;
      expect(lineMatches).toBe(Number(todoItems));
      expect(extractTasks(tree).filter((t) => t.kind === 'item').length).toBe(Number(todoItems) - linesInInertBlocks(text));
    });
  }
  it('at least one corpus file has todo lines inside a verbatim block that are not counted', () => {
    const inert = rows.map(([f]) => linesInInertBlocks(readFileSync(join(dir, f), 'utf8'))).reduce((a, b) => a + b, 0);
    expect(inert).toBeGreaterThan(0);
  });
});
