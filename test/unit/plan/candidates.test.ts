/**
 * A plan over the tasks a section may take (cli/notes.ts makes values only for those, of
 * 10,000) is the plan over every task: the carried ones left out are found through the index,
 * and every other task is one no rule takes (plan/select.ts `mayQualify`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planTaskOf } from '../../helpers/plan-arb.js';
import { BUILTIN_TEMPLATES, periodOf, planNote, TaskIndex, type Kind, type PlanTask } from '../../../plan/index.js';
import { hexOf } from '../../../plan/tasks.js';
import type { TaskStatus } from '../../../parser/index.js';

const SEED = 20261207;
const FILE = 'journal/2026/12/04.norg';
const statuses: TaskStatus[] = ['undone', 'done', 'pending', 'onhold', 'cancelled', 'urgent', 'uncertain', 'recurring'];
const dateArb = fc.option(
  fc.integer({ min: -10, max: 10 }).map((d) => new Date(2026, 11, 4 + d, 12, 0)),
  { nil: null, freq: 2 },
);

const taskArb = (i: number): fc.Arbitrary<PlanTask> =>
  fc
    .record({
      description: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,12}$/),
      status: fc.constantFrom(...statuses),
      waiting: fc.boolean(),
      priority: fc.constantFrom(null, 'A', 'B'),
      due: dateArb,
      scheduled: dateArb,
      end: dateArb,
    })
    .map((r) => {
      const hex = (0x10000000 + i * 7919).toString(16).padStart(8, '0');
      return { ...r, uuid: `${hex}-0000-4000-8000-000000000000`, id: hex, depends: [], project: null, home: null };
    });

const tasksArb = fc.integer({ min: 0, max: 14 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => taskArb(i))));

/** What loadAll leaves out: open, not in progress or on hold, undated, not waiting. */
const plain = (t: PlanTask) => t.due === null && t.scheduled === null && !t.waiting && t.status !== 'pending' && t.status !== 'onhold' && t.status !== 'done';

describe('a plan over the candidate tasks', () => {
  it('is the plan over every task, carried ones included', () => {
    fc.assert(
      fc.property(tasksArb, fc.constantFrom<Kind>('daily', 'weekly'), fc.array(fc.nat(13), { maxLength: 6 }), (tasks, kind, carriedAt) => {
        const carried = [...new Set(carriedAt)].map((i) => tasks[i]).filter((t): t is PlanTask => t !== undefined);
        // The previous plan shows some of the tasks: they are carried when still open.
        const previous = { text: `* Carried\n${carried.map((t) => `- ( ) ${t.description} %@${hexOf(t.uuid).slice(0, 8)}%`).join('\n')}\n` };
        const input = {
          period: periodOf(kind, { y: 2026, m: 12, d: 4 }),
          path: FILE,
          existing: null,
          template: { source: BUILTIN_TEMPLATES[kind], where: 'built-in' },
          projectNotes: [],
          previous,
        };
        const all = planNote({ ...input, tasks, index: new TaskIndex(tasks) });
        const some = planNote({ ...input, tasks: tasks.filter((t) => !plain(t)), index: new TaskIndex(tasks) });
        expect(some).toEqual(all);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('carries a task it was not given', () => {
    const t = planTaskOf('1a2b3c4d-0000-4000-8000-000000000000', { description: 'Call the plumber' });
    const r = planNote({
      period: periodOf('daily', { y: 2026, m: 12, d: 4 }),
      path: FILE,
      existing: null,
      template: { source: BUILTIN_TEMPLATES.daily, where: 'built-in' },
      tasks: [],
      index: new TaskIndex([t]),
      projectNotes: () => {
        throw new Error('a daily plan reads no project note');
      },
      previous: { text: '* Carried\n- ( ) Call the plumber %@1a2b3c4d%\n' },
    });
    expect('sections' in r && r.sections.carried).toEqual([t.uuid]);
  });
});
