import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, extractObjects, lightTasks } from '../../../graph/index.js';
import { parse } from '../../../parser/index.js';
import { prepareWrite } from '../../../sync/index.js';
import { norgText } from '../../helpers/norg-arb.js';
import { planDoc } from '../../helpers/plan-arb.js';

const none = { uuids: [], tasks: {} };

describe('pre-write (BufWritePre)', () => {
  it('the light pass sees the same tasks, ids, statuses and parents as the full extraction', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          norgText,
          planDoc.map((d) => d.text),
        ),
        (text) => {
          const tree = parse(text);
          const full = extractObjects(tree, 'f.norg').tasks.map((t) => ({ key: t.key, id: t.id, status: t.status, parent: t.parent }));
          expect(lightTasks(tree, 'f.norg')).toEqual(full);
        },
      ),
    );
  });

  it('gives new lines ids and parents their derived status; a write with nothing to add changes nothing', () => {
    const text = '* W\n  - ( ) parent %#aaaa0001%\n  -- (x) child %#aaaa0002%\n  -- (x) new child\n';
    const base = (status: string) => ({ base: { status } });
    const state = {
      uuids: ['aaaa0001-0000-4000-8000-000000000000', 'aaaa0002-0000-4000-8000-000000000000'],
      tasks: { a: { ...base('undone'), id: 'aaaa0001' }, b: { ...base('undone'), id: 'aaaa0002' } } as never,
    };
    const p = prepareWrite('f.norg', text, state);
    const out = applyChanges(text, p.changes);
    expect(p.newIds).toHaveLength(1);
    expect(out).toMatch(/- \(x\) parent %#aaaa0001%/);
    expect(out).toMatch(new RegExp(`-- \\(x\\) new child %#${p.newIds[0]}%`));
    expect(prepareWrite('f.norg', '- ( ) done already %#aaaa0001%\n', none).changes.empty).toBe(true);
  });
});
