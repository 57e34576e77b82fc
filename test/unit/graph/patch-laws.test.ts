import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, extractObjects, patchFile, type TaskEdit, type TaskObject } from '../../../graph/index.js';
import { parse } from '../../../parser/index.js';
import { date, description, planDoc, priority, status } from '../../helpers/plan-arb.js';

const objects = (text: string) => extractObjects(parse(text), 'f.norg');
const fieldsOf = (t: TaskObject) => ({
  status: t.status,
  description: t.description,
  priority: t.priority,
  due: t.due,
  start: t.start,
  id: t.id,
  project: t.project,
  parent: t.parent,
});

const setEdit = fc.record({
  status: fc.option(status, { nil: undefined }),
  description: fc.option(description, { nil: undefined }),
  priority: fc.option(priority, { nil: undefined }),
  due: fc.option(date, { nil: undefined }),
});

const docWithEdits = planDoc
  .chain((doc) =>
    fc.tuple(fc.constant(doc), fc.uniqueArray(fc.tuple(fc.nat({ max: Math.max(0, doc.tasks.length - 1) }), setEdit), { selector: ([i]) => i, maxLength: 4 })),
  )
  .filter(([doc]) => doc.tasks.length > 0);

function edits(text: string, picks: [number, Record<string, unknown>][]): TaskEdit[] {
  const tasks = objects(text).tasks;
  return picks.map(([i, e]) => ({ op: 'set', key: tasks[i].key, ...e }) as TaskEdit);
}

describe('reverse patch laws', () => {
  it('put-get: patch then re-parse gives the edited objects, the others unchanged', () => {
    fc.assert(
      fc.property(docWithEdits, ([doc, picks]) => {
        const before = objects(doc.text);
        const out = applyChanges(doc.text, patchFile(doc.text, before, edits(doc.text, picks)).changes);
        const after = objects(out);
        expect(after.tasks.map((t) => t.key)).toEqual(before.tasks.map((t) => t.key));
        after.tasks.forEach((t, i) => {
          const pick = picks.find(([j]) => j === i);
          const want = { ...fieldsOf(before.tasks[i]) };
          if (pick) for (const [k, v] of Object.entries(pick[1])) if (v !== undefined) (want as Record<string, unknown>)[k] = v;
          expect(fieldsOf(t)).toEqual(want);
        });
      }),
    );
  });

  it('get-put: setting what is already there changes nothing', () => {
    fc.assert(
      fc.property(planDoc, (doc) => {
        const o = objects(doc.text);
        const same: TaskEdit[] = o.tasks.map((t) => ({
          op: 'set',
          key: t.key,
          status: t.status,
          description: t.description,
          priority: t.priority,
          due: t.due,
          id: t.id ?? undefined,
        }));
        expect(patchFile(doc.text, o, same).changes.empty).toBe(true);
      }),
    );
  });

  it('minimality: no byte outside the edited tasks’ fields changes', () => {
    fc.assert(
      fc.property(docWithEdits, ([doc, picks]) => {
        const o = objects(doc.text);
        const { changes } = patchFile(doc.text, o, edits(doc.text, picks));
        const allowed = picks.flatMap(([i]) => {
          const s = o.tasks[i].spans;
          return [s.ext!, s.description];
        });
        changes.iterChangedRanges((fromA, toA) => {
          expect(
            allowed.some((r) => fromA >= r.from && toA <= r.to),
            `change [${fromA}, ${toA}) outside the fields`,
          ).toBe(true);
        });
      }),
    );
  });

  it('patches of independent tasks compose in any order', () => {
    fc.assert(
      fc.property(docWithEdits, ([doc, picks]) => {
        const all = edits(doc.text, picks);
        const together = applyChanges(doc.text, patchFile(doc.text, objects(doc.text), all).changes);
        let forward = doc.text;
        for (const e of all) forward = applyChanges(forward, patchFile(forward, objects(forward), [e]).changes);
        let backward = doc.text;
        for (const e of [...all].reverse()) backward = applyChanges(backward, patchFile(backward, objects(backward), [e]).changes);
        expect(forward).toBe(together);
        expect(backward).toBe(together);
      }),
    );
  });
});

describe('structural patches', () => {
  it('adding a task under an existing heading uses its siblings’ indentation and the file’s line ending', () => {
    const text = '* Work\r\n    - ( ) a %#aaaa0001%\r\n* Home\r\n';
    const out = applyChanges(
      text,
      patchFile(text, objects(text), [{ op: 'add', headingPath: ['Work'], task: { status: 'undone', description: 'b', id: 'aaaa0002' } }]).changes,
    );
    expect(out).toBe('* Work\r\n    - ( ) a %#aaaa0001%\r\n    - ( ) b %#aaaa0002%\r\n* Home\r\n');
  });

  it('a missing heading is created, nested under the deepest existing one', () => {
    const text = '* Work\n  - ( ) a %#aaaa0001%\n';
    const out = applyChanges(
      text,
      patchFile(text, objects(text), [{ op: 'add', headingPath: ['Work', 'Planager'], task: { status: 'pending', description: 'c', id: 'aaaa0003' } }]).changes,
    );
    expect(out).toBe('* Work\n  - ( ) a %#aaaa0001%\n  ** Planager\n     - (-) c %#aaaa0003%\n');
    expect(objects(out).tasks[1].project).toBe('Work.Planager');
  });

  it('removing a task takes its lines, nested items and +tag lines, nothing else', () => {
    const text = '* W\n  - ( ) keep %#aaaa0001%\n  +home\n  - ( ) go\n    on %#aaaa0002%\n  -- ( ) child %#aaaa0003%\n  - ( ) keep2 %#aaaa0004%\n';
    const o = objects(text);
    const out = applyChanges(text, patchFile(text, o, [{ op: 'remove', key: 'id:aaaa0002' }]).changes);
    expect(out).toBe('* W\n  - ( ) keep %#aaaa0001%\n  - ( ) keep2 %#aaaa0004%\n');
  });

  it('new ids go at the end of the first line; hostile text stays on its line', () => {
    const text = '- ( ) write\n  more\n';
    const o = objects(text);
    const out = applyChanges(
      text,
      patchFile(text, o, [{ op: 'set', key: o.tasks[0].key, id: 'abcd1234', description: 'write\nmore %#ffff0000% $(rm -rf /)' }]).changes,
    );
    const t = objects(out).tasks;
    expect(t).toHaveLength(1);
    expect(t[0].id).toBe('abcd1234');
    expect(out.split('\n')[0]).toBe('- ( ) write %#abcd1234%');
  });

  it('clearing a field removes its part and separator; a new field is appended', () => {
    const text = '- (x|# A|< Mon) t\n';
    const o = objects(text);
    const out = applyChanges(text, patchFile(text, o, [{ op: 'set', key: o.tasks[0].key, priority: null, start: 'Tue' }]).changes);
    expect(out).toBe('- (x|< Mon|> Tue) t\n');
  });
});

describe('tags', () => {
  it('adds +tag lines and removes an item’s own ones; a list-wide #tag stays', () => {
    const text = '#team\n- ( ) first\n+home\n+later\n- ( ) second %#aaaa0001%\n';
    const o = objects(text);
    const second = o.tasks.find((t) => t.id === 'aaaa0001')!;
    expect(second.tags.sort()).toEqual(['home', 'later', 'team']);
    const out = applyChanges(text, patchFile(text, o, [{ op: 'set', key: second.key, tags: ['team', 'later', 'urgent-ish'] }]).changes);
    expect(out).toBe('#team\n- ( ) first\n+later\n+urgent-ish\n- ( ) second %#aaaa0001%\n');
    expect(
      objects(out)
        .tasks.find((t) => t.id === 'aaaa0001')!
        .tags.sort(),
    ).toEqual(['later', 'team', 'urgent-ish']);
  });
});
