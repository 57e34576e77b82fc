import { describe, expect, it } from 'vitest';
import { extractTasks, parse } from '../../../parser/index.js';

const tasks = (text: string) => extractTasks(parse(text));

describe('extractTasks', () => {
  it('reads every status', () => {
    const t = tasks('- ( ) a\n- (x) b\n- (-) c\n- (=) d\n- (_) e\n- (!) f\n- (+) g\n- (?) h\n- (# A) not a task');
    expect(t.map((x) => x.status)).toEqual(['undone', 'done', 'pending', 'onhold', 'cancelled', 'urgent', 'recurring', 'uncertain']);
  });

  it('fills the fields the CLI prints', () => {
    const text = [
      '* Work',
      '** Planager',
      '   - (!|# A|< Fri 27th Nov|> Mon) Ship *parser* and {* links} %#1a2b3c4d%',
      '     continued here',
      '   -- (x) child',
      '   -- plain child',
      '   --- ( ) grandchild under a plain item',
    ].join('\n');
    const t = tasks(text);
    expect(t).toHaveLength(3);
    expect(t[0]).toMatchObject({
      line: 3,
      level: 1,
      status: 'urgent',
      description: 'Ship *parser* and {* links} continued here',
      priority: 'A',
      due: 'Fri 27th Nov',
      start: 'Mon',
      parent: null,
      project: ['Work', 'Planager'],
      id: '1a2b3c4d',
    });
    expect(t[1]).toMatchObject({ line: 5, level: 2, status: 'done', description: 'child', parent: 3 });
    // The nearest enclosing task is the parent, past a plain item (the sync's model: one-model.test.ts).
    expect(t[2]).toMatchObject({ line: 7, level: 3, parent: 3, description: 'grandchild under a plain item' });
  });

  it('leaves out tasks in code, examples, comments and quotes, keeps those in other ranged tags', () => {
    const text = [
      '@code norg',
      '- ( ) no',
      '@end',
      '|example',
      '- ( ) no',
      '|end',
      '|comment',
      '- ( ) no',
      '|end',
      '> - ( ) no',
      '|group',
      '- ( ) yes',
      '|end',
    ].join('\n');
    expect(tasks(text).map((t) => t.line)).toEqual([12]);
  });

  it('heading titles drop their extension and ids', () => {
    const t = tasks('* (x) Done heading %#abcd1234%\n  - ( ) inside');
    expect(t.map((x) => [x.kind, x.description, x.id])).toEqual([
      ['heading', 'Done heading', 'abcd1234'],
      ['item', 'inside', null],
    ]);
    expect(t[1].project).toEqual(['Done heading']);
  });

  it('CRLF and a BOM do not change lines or text', () => {
    const t = tasks('\ufeff* H\r\n- ( ) one\r\n  two\r\n- (x) three');
    expect(t.map((x) => [x.line, x.description])).toEqual([
      [2, 'one two'],
      [4, 'three'],
    ]);
  });

  it('recurrence text is kept', () => {
    expect(tasks('- (+ Mon) weekly')[0].recurrence).toBe('Mon');
    expect(tasks('- (+) bare')[0].recurrence).toBe('');
  });
});
