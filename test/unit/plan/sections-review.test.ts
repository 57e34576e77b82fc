/**
 * What the audit of issue 15 found untested: the contents of a review's recently completed
 * section, a project whose only open task waits on another task (no next action), and a broken
 * template (a clear error, no note).
 */
import { describe, expect, it } from 'vitest';
import { planTaskOf } from '../../helpers/plan-arb.js';
import { extractObjects, outlineOf } from '../../../graph/index.js';
import { parse } from '../../../parser/index.js';
import { parseDay, periodOf, refresh, renderTemplate, stalledProjects, type Day, type PlanTask } from '../../../plan/index.js';

const day = parseDay('2026-12-07') as Day;

const task = (n: number, description: string, over: Partial<PlanTask> = {}): PlanTask =>
  planTaskOf(`${String(n).repeat(8)}-0000-4000-8000-000000000000`, { description, ...over });

describe('a weekly review', () => {
  it('lists under completed exactly the tasks done in its week', () => {
    const week = periodOf('review', day);
    const tasks = [
      task(1, 'Ship the release', { status: 'done', end: new Date(2026, 11, 8, 17) }),
      task(2, 'Old chore', { status: 'done', end: new Date(2026, 11, 1, 9) }),
      task(3, 'Still open', {}),
      task(4, 'Dropped idea', { status: 'cancelled', end: new Date(2026, 11, 9) }),
      task(5, 'Wrote the notes', { status: 'done', end: new Date(2026, 11, 7, 8) }),
    ];
    const r = refresh({
      file: 'journal/2026/2026-W50-review.norg',
      text: '* Done\n|planager completed\n|end\n',
      period: week,
      tasks,
      notes: [],
      carried: new Set(),
    });
    const name = (u: string) => tasks.find((t) => t.uuid === u)!.description;
    expect(r.sections.completed?.map(name)).toEqual(['Wrote the notes', 'Ship the release']);
    expect(r.text).toContain('- (x) Ship the release %@11111111%');
  });
});

describe('projects with no next action', () => {
  const note = '* Garden\n  - ( ) Buy seeds %#33333333%\n* House\n  - ( ) Paint the door %#44444444%\n  - (x) Fix the tap %#55555555%\n';
  const outline = outlineOf(extractObjects(parse(note), 'home.norg'));

  it('a project whose only open task depends on an open task is stalled; one with a free task is not', () => {
    const tasks = [
      task(3, 'Buy seeds', { depends: ['66666666-0000-4000-8000-000000000000'] }),
      task(6, 'Save money'),
      task(4, 'Paint the door'),
      task(5, 'Fix the tap', { status: 'done' }),
    ];
    expect(stalledProjects([outline], tasks).map((p) => p.project)).toEqual(['Garden']);
    // The task it waits on done: Garden has a next action again.
    const freed = tasks.map((t) => (t.description === 'Save money' ? { ...t, status: 'done' as const } : t));
    expect(stalledProjects([outline], freed)).toEqual([]);
  });
});

describe('a broken template', () => {
  it('is a clear error naming the template, not a note', () => {
    const r = renderTemplate('* Due\n{{#due}}\n', periodOf('daily', day), '.planager/templates/daily.norg');
    expect(r).toMatchObject({ code: 'bad-template', message: expect.stringMatching(/^\.planager\/templates\/daily\.norg: .*due/) });
  });
});
