import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, extractObjects, lightTasks } from '../../../graph/index.js';
import { parse } from '../../../parser/index.js';
import { prepareWrite } from '../../../sync/index.js';
import { idLengthOf } from '../../../sync/workspace.js';
import { norgText } from '../../helpers/norg-arb.js';
import { planDoc } from '../../helpers/plan-arb.js';

const none = { uuids: [], tasks: {} };

describe('pre-write (BufWritePre)', () => {
  it('new ids have the length asked for, and none starts like a known uuid', () => {
    const text = '* W\n  - ( ) one\n  - ( ) two\n';
    for (const len of [8, 12]) {
      const p = prepareWrite('f.norg', text, { uuids: ['deadbeef-0000-4000-8000-000000000000'], tasks: {} }, { idLength: len });
      expect(p.newIds).toHaveLength(2);
      for (const id of p.newIds) expect(id).toMatch(new RegExp(`^[0-9a-f]{${len}}$`));
      expect(new Set(p.newIds).size).toBe(2);
    }
    expect(idLengthOf(mkdtempSync(join(tmpdir(), 'planager-ids-')))).toBe(8);
    const shared = mkdtempSync(join(tmpdir(), 'planager-ids-'));
    writeFileSync(join(shared, '.gitattributes'), '*.txt text\n*.norg merge=planager\n');
    expect(idLengthOf(shared)).toBe(12);
  });

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
