import { describe, expect, it } from 'vitest';
import { WorkspaceGraph } from '../../../graph/index.js';

const doc = [
  '* Release',
  '  - ( ) Ship %#aaaa0001%',
  '  -- (x) build %#aaaa0002%',
  '  -- ( ) test %#aaaa0003%',
  '  --- (x) unit %#aaaa0004%',
  '  --- ( ) e2e %#aaaa0005%',
  '  - ( ) Announce, after {* Release} and {:b:* Later} %#aaaa0006%',
  '',
].join('\n');

describe('WorkspaceGraph', () => {
  it('indexes tasks, children and links', () => {
    const g = new WorkspaceGraph();
    g.setFile('a.norg', doc);
    expect(g.tasks.size).toBe(6);
    expect(g.childrenOf('id:aaaa0001').sort()).toEqual(['id:aaaa0002', 'id:aaaa0003']);
    expect(g.dependencies('id:aaaa0001').sort()).toEqual(['id:aaaa0002', 'id:aaaa0003']);
    expect(g.linksTo.get('a.norg')).toEqual(new Set(['b.norg']));
  });

  it('finishing the last subtask derives done up the chain, with early cutoff and counters', () => {
    const g = new WorkspaceGraph();
    g.setFile('a.norg', doc);
    const u = g.setFile('a.norg', doc.replace('--- ( ) e2e', '--- (x) e2e'));
    expect(u.changed.map((c) => c.after.key)).toEqual(['id:aaaa0005']);
    // test becomes done (all its children are), then Ship (build and test done).
    expect(u.derived.map((d) => [d.key, d.from, d.to])).toEqual([
      ['id:aaaa0003', 'undone', 'done'],
      ['id:aaaa0001', 'undone', 'done'],
    ]);
    // Bounded by the ancestors: two parents recomputed for status, plus the heading's progress
    // and the blocked flags of the changed task and its dependents.
    expect(u.counters.recomputed).toBeLessThanOrEqual(6);
  });

  it('reopening a child reopens the parent; a change that derives nothing stops early', () => {
    const g = new WorkspaceGraph();
    const all = doc.replace('--- ( ) e2e', '--- (x) e2e').replace('-- ( ) test', '-- (x) test').replace('- ( ) Ship', '- (x) Ship');
    g.setFile('a.norg', all);
    const u = g.setFile('a.norg', all.replace('--- (x) unit', '--- ( ) unit'));
    expect(u.derived.map((d) => [d.key, d.to])).toEqual([
      ['id:aaaa0003', 'pending'],
      ['id:aaaa0001', 'pending'],
    ]);
    const v = g.setFile('a.norg', all.replace('-- (x) build', '-- (x) build, renamed'));
    expect(v.derived).toEqual([]);
  });

  it('propagation can be turned off', () => {
    const g = new WorkspaceGraph({ propagate: false });
    g.setFile('a.norg', doc);
    expect(g.setFile('a.norg', doc.replace('--- ( ) e2e', '--- (x) e2e')).derived).toEqual([]);
  });

  it('cross-file links resolve when the target appears, and a cycle is reported once', () => {
    const g = new WorkspaceGraph();
    g.setFile('a.norg', doc);
    expect(g.dependencies('id:aaaa0006')).not.toContain('id:bbbb0001');
    const b = '* Later\n  - ( ) Plan next {:a:* Release} %#bbbb0001%\n';
    const u = g.setFile('b.norg', b);
    expect(g.dependencies('id:aaaa0006')).toContain('id:bbbb0001');
    expect(u.cycles.length).toBe(1);
    expect(g.setFile('b.norg', b + '\n').cycles).toEqual([]);
    expect(g.blocked.get('id:aaaa0006')).toBe(true);
  });

  it('duplicate ids: the first line keeps the id and the copy is reported', () => {
    const g = new WorkspaceGraph();
    const u = g.setFile('a.norg', '- ( ) one %#cccc0001%\n- ( ) copy %#cccc0001%\n');
    expect(u.duplicateIds).toEqual([{ id: 'cccc0001', line: 2, keptAt: 1 }]);
    expect(g.tasks.get('id:cccc0001')!.description).toBe('one');
    expect([...g.tasks.keys()].filter((k) => k.startsWith('new:'))).toHaveLength(1);
  });

  it('a line moved to another file keeps its task', () => {
    const g = new WorkspaceGraph();
    g.setFile('a.norg', '- ( ) moving %#dddd0001%\n');
    g.setFile('b.norg', '');
    g.setFile('a.norg', '');
    const u = g.setFile('b.norg', '- ( ) moving %#dddd0001%\n');
    expect(g.tasks.get('id:dddd0001')!.file).toBe('b.norg');
    expect(u.added.map((t) => t.key)).toEqual(['id:dddd0001']);
  });
});
