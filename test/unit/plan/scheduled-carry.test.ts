/**
 * A task whose scheduled day passed while it stayed open is still on the plan and the agenda,
 * as org's agenda keeps a past scheduled item on today until it is done (the audit of issue 15
 * found it in no section of the day's plan and not in the agenda).
 */
import { describe, expect, it } from 'vitest';
import { planTaskOf } from '../../helpers/plan-arb.js';
import { agenda, agendaRows, parseDay, periodOf, refresh, type Day, type PlanTask } from '../../../plan/index.js';

const today = parseDay('2026-12-07') as Day;

const task = (n: number, description: string, over: Partial<PlanTask> = {}): PlanTask =>
  planTaskOf(`${String(n).repeat(8)}-0000-4000-8000-000000000000`, { description, ...over });

const tasks = [
  task(1, 'Renew the passport', { scheduled: new Date(2026, 11, 2) }),
  task(2, 'Water the plants', { scheduled: new Date(2026, 11, 7, 9) }),
  task(3, 'File the receipts', { scheduled: new Date(2026, 11, 1), status: 'done', end: new Date(2026, 11, 3) }),
  task(4, 'Book the flights', { scheduled: new Date(2026, 11, 12) }),
  task(5, 'Pay the rent', { scheduled: new Date(2026, 11, 1), due: new Date(2026, 11, 5) }),
];

const note = '* Overdue\n|planager overdue\n|end\n\n* Scheduled today\n|planager scheduled\n|end\n';

describe('a past scheduled day, the task still open', () => {
  it('the daily plan shows it under scheduled (a task also overdue stays under overdue); done or later, not', () => {
    const r = refresh({ file: 'journal/2026/12/07.norg', text: note, period: periodOf('daily', today), tasks, notes: [], carried: new Set() });
    const name = (u: string) => tasks.find((t) => t.uuid === u)!.description;
    expect(r.sections.overdue?.map(name)).toEqual(['Pay the rent']);
    expect(r.sections.scheduled?.map(name)).toEqual(['Renew the passport', 'Water the plants']);
  });

  it('the agenda lists it on the first day, since its date, after the overdue ones', () => {
    const a = agenda(tasks, today, 'day');
    expect(a.entries.map((e) => [e.task.description, e.field, e.overdue, e.carried])).toEqual([
      ['Pay the rent', 'due', true, false],
      ['Pay the rent', 'scheduled', false, true],
      ['Renew the passport', 'scheduled', false, true],
      ['Water the plants', 'scheduled', false, false],
    ]);
    const rows = agendaRows(a).map((r) => r.text);
    expect(rows[2]).toBe('Mon 7th Dec 2026');
    expect(rows[4]).toBe('  since Wed 2nd Dec 2026  scheduled ( ) Renew the passport  Taskwarrior');
    expect(rows[5]).toMatch(/^ {2}09:00 {2}scheduled/);
  });
});
