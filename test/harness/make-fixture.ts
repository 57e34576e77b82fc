/**
 * `npx tsx test/harness/make-fixture.ts`: writes fixtures/undo-2.6.data, a real Taskwarrior
 * 2.6 undo.data made by the commands below (every kind replay.ts draws: adds with what
 * undo.data escapes, every field modified and cleared, done, delete, start and stop, annotate
 * and denotate, depends, wait, until, a recurring task and its instances, a duplicate, an
 * undo, the UDAs of three types and one the harness's Taskwarrior does not declare), and
 * fixtures/undo-2.6.export.json, that Taskwarrior's export after them (what the parse of the
 * undo.data must come to). `--replay-undo test/harness/fixtures/undo-2.6.data` replays it.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SrcCmd } from './history.js';
import { parseIssuesOf, parseUndo, runCommands } from './replay.js';

export const FIXTURE_COMMANDS: SrcCmd[] = [
  { c: 'add', word: 1, project: 0, priority: 1, days: 3, tag: 0, uda: true },
  { c: 'add', word: 2, project: 1, priority: 0, days: null, tag: null, uda: false },
  { c: 'add', word: 3, project: 2, priority: 2, days: 10, tag: 1, uda: false },
  { c: 'add', word: 4, project: 3, priority: 3, days: null, tag: 2, uda: true },
  { c: 'add', word: 5, project: 0, priority: 0, days: 20, tag: null, uda: false },
  { c: 'add', word: 6, project: 1, priority: 1, days: null, tag: null, uda: false },
  { c: 'modify', task: 0, field: 'description', value: 11 },
  { c: 'modify', task: 1, field: 'priority', value: 2 },
  { c: 'modify', task: 2, field: 'due', value: 8 },
  { c: 'modify', task: 2, field: 'due', value: 7 },
  { c: 'modify', task: 3, field: 'project', value: 1 },
  { c: 'modify', task: 4, field: 'tag', value: 1 },
  { c: 'modify', task: 0, field: 'untag', value: 0 },
  { c: 'modify', task: 5, field: 'wait', value: 0 },
  { c: 'modify', task: 1, field: 'until', value: 1 },
  { c: 'modify', task: 4, field: 'scheduled', value: 5 },
  { c: 'modify', task: 0, field: 'uda', value: 9 },
  { c: 'modify', task: 1, field: 'orphan', value: 4 },
  { c: 'modify', task: 2, field: 'num', value: 3 },
  { c: 'modify', task: 3, field: 'date', value: 6 },
  { c: 'annotate', task: 0, word: 1 },
  { c: 'annotate', task: 0, word: 2 },
  { c: 'denotate', task: 0 },
  { c: 'depends', task: 1, on: 2 },
  { c: 'start', task: 3 },
  { c: 'stop', task: 3 },
  { c: 'start', task: 4 },
  { c: 'recur', word: 1, project: 2, period: 0, days: 5 },
  { c: 'report' },
  { c: 'done', task: 2 },
  { c: 'delete', task: 1 },
  { c: 'duplicate', task: 0 },
  { c: 'modify', task: 6, field: 'description', value: 17 },
  { c: 'undo' },
  { c: 'add', word: 7, project: 3, priority: 2, days: 1, tag: 0, uda: false },
  { c: 'modify', task: 6, field: 'priority', value: 0 },
];

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURE_UNDO = join(here, 'fixtures', 'undo-2.6.data');
export const FIXTURE_EXPORT = join(here, 'fixtures', 'undo-2.6.export.json');
/** An activity.jsonl a log-replay run left (26 entries: conflicts, overwrites, restores), for `--replay-log`. */
export const FIXTURE_LOG = join(here, 'fixtures', 'activity.jsonl');

const isMain = process.argv[1] && /make-fixture\.ts$/.test(process.argv[1]);
if (isMain) {
  const { raw, exported, ran } = runCommands(FIXTURE_COMMANDS);
  const issues = parseIssuesOf(parseUndo(raw), exported);
  if (issues.length > 0) console.log(`the product's parse disagrees with the export:\n${issues.join('\n')}`);
  writeFileSync(FIXTURE_UNDO, raw);
  writeFileSync(FIXTURE_EXPORT, `${JSON.stringify(exported, null, 1)}\n`);
  console.log(`${ran.join('\n')}\n${parseUndo(raw).length} transactions in ${FIXTURE_UNDO}`);
}
