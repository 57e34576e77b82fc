/**
 * The agenda: open tasks by date, across the notes and Taskwarrior, overdue first (as
 * orgmode.nvim's agenda lists them). A task with a due and a scheduled date in the span shows
 * on both days. A task scheduled before the span and still open is listed on its first day
 * (`carried`), as org's agenda keeps a past scheduled item on today until it is done.
 */
import { STATUS_CHAR } from '../graph/index.js';
import { addDays, compareDays, dayOf, isoDay, startOf, type Day } from './day.js';
import { showDate } from './mirror.js';
import { weekStartOf } from './period.js';
import type { PlanTask } from './tasks.js';

/** A task for the agenda: a Taskwarrior task, or a note line the sync has not sent yet (no uuid). */
export type AgendaTask = Pick<PlanTask, 'description' | 'status' | 'priority' | 'due' | 'scheduled' | 'home'> & { uuid: string | null };

export interface AgendaEntry {
  task: AgendaTask;
  field: 'due' | 'scheduled';
  date: Date;
  overdue: boolean;
  /** Scheduled before the span, still open: shown on the span's first day, with its date. */
  carried: boolean;
}

export interface Agenda {
  from: Day;
  /** The first day after the span. */
  to: Day;
  entries: AgendaEntry[];
}

const RANK: Record<string, number> = { A: 0, B: 1, C: 2 };

export function agenda(tasks: readonly AgendaTask[], today: Day, span: 'day' | 'week', weekStart = 0): Agenda {
  // From today: what lies earlier in the week is overdue or past.
  const from = today;
  const to = span === 'day' ? addDays(today, 1) : addDays(weekStartOf(today, weekStart), 7);
  const entries: AgendaEntry[] = [];
  for (const t of tasks) {
    if (t.status === 'done' || t.status === 'cancelled') continue;
    for (const field of ['due', 'scheduled'] as const) {
      const d = t[field];
      if (!d) continue;
      const day = dayOf(d);
      const past = compareDays(day, from) < 0;
      const overdue = field === 'due' && past;
      const carried = field === 'scheduled' && past;
      if (past || compareDays(day, to) < 0) entries.push({ task: t, field, date: d, overdue, carried });
    }
  }
  entries.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      Number(b.carried) - Number(a.carried) ||
      a.date.getTime() - b.date.getTime() ||
      (a.field === b.field ? 0 : a.field === 'scheduled' ? -1 : 1) ||
      (RANK[a.task.priority ?? ''] ?? 3) - (RANK[b.task.priority ?? ''] ?? 3) ||
      (a.task.description < b.task.description ? -1 : a.task.description > b.task.description ? 1 : 0),
  );
  return { from, to, entries };
}

function where(t: AgendaTask): string {
  return t.home ? `${t.home.file}:${t.home.line}` : 'Taskwarrior';
}

/** One line of the agenda as text: a day's heading (`entry` null) or an entry (its index). */
export interface AgendaRow {
  text: string;
  entry: number | null;
}

/** The agenda's lines: an Overdue block, then a block per day. */
export function agendaRows(a: Agenda): AgendaRow[] {
  const out: AgendaRow[] = [];
  let heading = '';
  a.entries.forEach((e, i) => {
    const h = e.overdue ? 'Overdue' : e.carried ? showDate(startOf(a.from)) : showDate(new Date(e.date.getFullYear(), e.date.getMonth(), e.date.getDate()));
    if (h !== heading) {
      out.push({ text: h, entry: null });
      heading = h;
    }
    const when = e.overdue
      ? showDate(e.date)
      : e.carried
        ? `since ${showDate(e.date)}`
        : e.date.getHours() || e.date.getMinutes() || e.date.getSeconds()
          ? showDate(e.date).split(' ').pop()!.slice(0, 5)
          : '';
    const mark = `(${STATUS_CHAR[e.task.status]}${e.task.priority ? `|# ${e.task.priority}` : ''})`;
    out.push({ text: `  ${when ? when + '  ' : ''}${e.field.padEnd(9)} ${mark} ${e.task.description}  ${where(e.task)}`, entry: i });
  });
  return out;
}

/** The agenda as text (`planager agenda`). */
export function formatAgenda(a: Agenda): string {
  if (a.entries.length === 0) return `${emptyAgenda(a)}\n`;
  return (
    agendaRows(a)
      .map((r) => r.text)
      .join('\n') + '\n'
  );
}

export function emptyAgenda(a: Agenda): string {
  return `nothing due or scheduled from ${isoDay(a.from)} to ${isoDay(addDays(a.to, -1))}`;
}
