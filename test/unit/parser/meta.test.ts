import { describe, expect, it } from 'vitest';
import { parse, parseMeta, walk } from '../../../parser/index.js';

describe('@document.meta', () => {
  it('reads keys, arrays and nested objects', () => {
    const r = parseMeta(
      'title: Plans\nauthors: [\n  me\n  you\n]\ntags: [a, b]\nplanager: {\n  project: work.planager\n  inner: {\n    x: 1\n  }\n}\nempty:\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ title: 'Plans', authors: ['me', 'you'], tags: ['a', 'b'], planager: { project: 'work.planager', inner: { x: '1' } }, empty: '' });
  });
  it('reports what it cannot read and keeps the rest', () => {
    const r = parseMeta('title: ok\njust words\nlist: [\n  a');
    expect(r.value.title).toBe('ok');
    expect(r.errors.length).toBe(2);
  });
  it('is attached to the verbatim tag node and diagnostics carry positions', () => {
    const text = '@document.meta\ntitle: T\nbroken\n@end\n* H';
    const tree = parse(text);
    let meta: unknown = null;
    walk(tree, (n) => {
      if (n.data?.type === 'meta') meta = n.data.value;
    });
    expect(meta).toEqual({ title: 'T' });
    expect(tree.diagnostics).toHaveLength(1);
    expect(tree.diagnostics[0].code).toBe('bad-meta');
    expect(text.slice(tree.diagnostics[0].from, tree.diagnostics[0].to)).toContain('broken');
  });
});
