import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractObjects } from '../../../graph/index.js';
import { parse } from '../../../parser/index.js';
import { norgText } from '../../helpers/norg-arb.js';
import { planDoc } from '../../helpers/plan-arb.js';

/** Every task's focused extraction (at its prefix, and at the end of its first line) equals the full one's. */
function sameAsFull(text: string): void {
  const tree = parse(text);
  const full = extractObjects(tree, 'f.norg');
  const ids = new Map<string, number>();
  for (const t of full.tasks)
    if (t.spans.id) ids.set(text.slice(t.spans.id.from, t.spans.id.to), (ids.get(text.slice(t.spans.id.from, t.spans.id.to)) ?? 0) + 1);
  for (const t of full.tasks) {
    // A duplicated id is decided against the whole file, which focus does not read.
    if (t.spans.id && ids.get(text.slice(t.spans.id.from, t.spans.id.to))! > 1) continue;
    for (const at of [t.spans.prefix.from, Math.max(t.spans.prefix.from, t.spans.firstLineEnd - 1)]) {
      const focused = extractObjects(tree, 'f.norg', at)
        .tasks.filter((x) => x.spans.item.from <= at && at < x.spans.item.to)
        .pop();
      const innermost = full.tasks.filter((x) => x.spans.item.from <= at && at < x.spans.item.to).pop();
      expect(focused).toEqual(innermost);
    }
  }
}

describe('focused extraction (the one-line write path)', () => {
  it('gives each task the object the full extraction gives it, on plans', () => {
    fc.assert(
      fc.property(planDoc, fc.boolean(), (doc, meta) => sameAsFull((meta ? '@document.meta\nproject: home\n@end\n\n' : '') + doc.text)),
      { seed: 41, numRuns: 300 },
    );
  });

  it('…and on arbitrary norg', () => {
    fc.assert(
      fc.property(norgText, (text) => sameAsFull(text)),
      { seed: 42, numRuns: 400 },
    );
  });

  it('skips what is not on the path to the offset', () => {
    const lines = ['* A', ...Array.from({ length: 50 }, (_, i) => `  - ( ) task ${i} %#${(0x10000000 + i).toString(16)}%`)];
    const text = lines.join('\n') + '\n';
    const at = text.indexOf('task 30');
    const o = extractObjects(parse(text), 'f.norg', at);
    expect(o.tasks.map((t) => t.description)).toEqual(['task 30']);
  });
});
