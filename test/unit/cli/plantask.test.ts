/**
 * planTask (cli/notes.ts) reads a Taskwarrior task as fromTw (sync/mapping.ts) does: the same
 * description, status, priority, dependencies and project, without the rest of fromTw's work.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planTask } from '../../../cli/notes.js';
import { fromTw, type TwTask } from '../../../sync/index.js';

const taskArb: fc.Arbitrary<TwTask> = fc
  .record(
    {
      uuid: fc.uuid(),
      description: fc.string(),
      status: fc.constantFrom('pending', 'completed', 'deleted', 'waiting', 'recurring'),
      tags: fc.subarray(['onhold', 'uncertain', 'urgent', 'recurring', 'work']),
      start: fc.constant('20261204T080000Z'),
      priority: fc.constantFrom('H', 'M', 'L', 'X', ''),
      norgpriority: fc.constantFrom('A', 'D', 'high'),
      norgrecur: fc.constantFrom('every week', ''),
      depends: fc.oneof(
        fc.array(fc.uuid(), { maxLength: 3 }),
        fc.array(fc.uuid(), { maxLength: 3 }).map((a) => a.join(',')),
      ),
      project: fc.constantFrom('work', 'home.garden'),
    },
    { requiredKeys: ['uuid', 'status'] },
  )
  .map((t) => t as TwTask);

describe('planTask', () => {
  it('reads a task as fromTw does', () => {
    fc.assert(
      fc.property(taskArb, (t) => {
        const f = fromTw(t);
        const p = planTask(t, 'x', new Date(2026, 11, 4));
        expect([p.description, p.status, p.priority, p.depends, p.project]).toEqual([f.description, f.status, f.priority, f.depends, f.project]);
      }),
    );
  });
});
