/**
 * One task model: `planager tasks` (parser/extract.ts, the fast view) and the sync (the graph's
 * objects, graph/objects.ts) must list the same tasks with the same fields, on every real note
 * of the corpus and every conformance input, or a line would be synced that the CLI does not
 * show (a heading task did exactly that), or the other way round.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractObjects } from '../../../graph/index.js';
import { extractTasks, parse } from '../../../parser/index.js';
import { ROOT, sharedDir } from '../../helpers/shared.js';

const corpus = join(sharedDir(), 'norg', 'corpus');
const conformance = join(sharedDir(), 'norg', 'conformance');
const inputs: { name: string; text: string }[] = [
  ...readdirSync(corpus)
    .filter((f) => f.endsWith('.norg'))
    .map((f) => ({ name: f, text: readFileSync(join(corpus, f), 'utf8') })),
  ...['tierA.json', 'tierB.json', 'tierC.json'].flatMap((t) =>
    (JSON.parse(readFileSync(join(conformance, t), 'utf8')) as { file: string; title: string; input: string }[]).map((c) => ({
      name: `${t} ${c.file} | ${c.title}`,
      text: c.input,
    })),
  ),
  ...(JSON.parse(readFileSync(join(ROOT, 'test', 'conformance', 'planager.json'), 'utf8')) as { title: string; input: string }[]).map((c) => ({
    name: `planager.json | ${c.title}`,
    text: c.input,
  })),
];

const cli = (text: string) =>
  extractTasks(parse(text)).map((t) => ({
    kind: t.kind,
    line: t.line,
    status: t.status,
    description: t.description,
    priority: t.priority,
    due: t.due,
    start: t.start,
    id: t.id,
    recurrence: t.recurrence,
    parent: t.parent,
  }));

const synced = (text: string) => {
  const o = extractObjects(parse(text), 'x.norg');
  const lineOf = new Map(o.tasks.map((t) => [t.key, t.line]));
  return o.tasks
    .map((t) => ({
      kind: t.kind,
      line: t.line,
      status: t.status,
      description: t.description,
      priority: t.priority,
      due: t.due,
      start: t.start,
      id: t.id,
      recurrence: t.recurrence,
      parent: t.parent ? (lineOf.get(t.parent) ?? null) : null,
    }))
    .sort((a, b) => a.line - b.line);
};

describe('planager tasks and the sync list the same tasks', () => {
  it(`on ${inputs.length} inputs (the corpus and the conformance cases), and some hold heading tasks`, () => {
    let headingTasks = 0;
    for (const { name, text } of inputs) {
      const a = cli(text);
      expect(a, name).toEqual(synced(text));
      headingTasks += a.filter((t) => t.kind === 'heading').length;
    }
    expect(headingTasks).toBeGreaterThan(0);
  });

  it('a heading task is listed, with its subtasks under it', () => {
    const text = '* ( ) Heading task\n  - ( ) Sub task\n** (x) Done heading\n';
    expect(cli(text).map((t) => [t.kind, t.line, t.status, t.description])).toEqual([
      ['heading', 1, 'undone', 'Heading task'],
      ['item', 2, 'undone', 'Sub task'],
      ['heading', 3, 'done', 'Done heading'],
    ]);
    expect(cli(text)).toEqual(synced(text));
  });
});
