import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkspaceGraph } from '../../../graph/index.js';
import { planDoc } from '../../helpers/plan-arb.js';

/** What sync reads of a graph: every task's object, parent and dependencies. */
function view(g: WorkspaceGraph): Record<string, { parent: string | null; deps: string[] }> {
  const out: Record<string, { parent: string | null; deps: string[] }> = {};
  for (const [k, t] of g.tasks) out[k] = { parent: t.parent, deps: g.dependencies(k).sort() };
  return out;
}

// Ids are per document; the second gets other ones so that the files' tasks do not collide.
const other = (text: string) => text.replace(/%#1/g, '%#2');

describe('a graph without derived upkeep (derive: false, what sync uses)', () => {
  it('holds the same objects, parents and dependencies as the full graph, whatever the order of updates', () => {
    fc.assert(
      fc.property(planDoc, planDoc, planDoc, fc.constantFrom('Work', 'Home', 'Ideas', 'Plans'), fc.boolean(), (a, b, a2, title, bFirst) => {
        // Links across the files (to a heading that may or may not be there) and within one.
        const link = (t: string) => `${t}\n* Cross\n  - ( ) needs {:b:* ${title} 0}\n  - ( ) also {* Cross}\n`;
        const steps: [string, string][] = bFirst
          ? [
              ['b.norg', other(b.text)],
              ['a.norg', link(a.text)],
            ]
          : [
              ['a.norg', link(a.text)],
              ['b.norg', other(b.text)],
            ];
        steps.push(['b.norg', other(a2.text)], ['a.norg', link(a2.text)]);
        const full = new WorkspaceGraph({ propagate: false });
        const lean = new WorkspaceGraph({ propagate: false, derive: false });
        for (const [f, text] of steps) {
          full.setFile(f, text);
          lean.setFile(f, text);
          expect(view(lean)).toEqual(view(full));
          expect(lean.objects(f)).toEqual(full.objects(f));
        }
      }),
      { seed: 1122, numRuns: 200 },
    );
  });
});
