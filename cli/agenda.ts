/**
 * `planager agenda [--week] [--date D] [--json]`: open tasks by date, overdue first, from
 * Taskwarrior (one export) and from note lines the sync has not sent yet.
 */
import { agenda, formatAgenda, isoDay, TaskIndex, type Agenda, type AgendaTask } from '../plan/index.js';
import { resolveText, Taskwarrior } from '../sync/index.js';
import { loadAll, type Note } from './notes.js';
import { planSettings, type Deps, type PlanFlags } from './plan.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager agenda: ${message}\n` });

/** Note tasks no Taskwarrior task answers to yet (new lines), with their dates resolved. */
function unsent(notes: readonly Note[], index: TaskIndex, now: Date): AgendaTask[] {
  const out: AgendaTask[] = [];
  for (const n of notes) {
    for (const t of n.objects.tasks) {
      if (t.id && index.find(t.id)) continue;
      const due = t.due ? resolveText(t.due, now) : null;
      const scheduled = t.start ? resolveText(t.start, now) : null;
      if (!due && !scheduled) continue;
      out.push({
        uuid: null,
        description: t.description,
        status: t.status,
        priority: t.priority,
        due,
        scheduled,
        home: { file: n.file, line: t.line, headingPath: t.headingPath, headingLevel: null },
      });
    }
  }
  return out;
}

/** What the agenda lists for one workspace: Taskwarrior's tasks (with their homes) and the unsent lines. */
export async function agendaTasks(
  dir: string,
  tw: Taskwarrior,
  now: Date,
): Promise<{ ok: true; tasks: AgendaTask[]; warnings: string[] } | { ok: false; message: string }> {
  const loaded = await loadAll(dir, tw, now);
  if (!loaded.ok) return loaded;
  return { ok: true, tasks: [...loaded.tasks, ...unsent(loaded.notes, new TaskIndex(loaded.tasks), now)], warnings: loaded.warnings };
}

export async function agendaCommand(flags: PlanFlags & { week?: boolean }, deps: Deps = {}): Promise<CommandResult> {
  const now = deps.now ?? new Date();
  const settings = planSettings(flags, null, now);
  if (typeof settings === 'string') return fail(settings);
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const loaded = await agendaTasks(w.dir, deps.tw ?? new Taskwarrior(), now);
  if (!loaded.ok) return fail(loaded.message);
  const a = agenda(loaded.tasks, settings.day, flags.week ? 'week' : 'day', settings.options.weekStart);
  const warnings = loaded.warnings.map((x) => `planager agenda: ${x}\n`).join('') || undefined;
  if (!flags.json) return { code: 0, stdout: formatAgenda(a), stderr: warnings };
  return { code: 0, stdout: JSON.stringify(agendaJson(a), null, 2) + '\n', stderr: warnings };
}

/** The agenda as `--json` prints it; `file` maps a home's workspace-relative path (the host makes it absolute). */
export function agendaJson(a: Agenda, file: (t: AgendaTask) => string | null = (t) => t.home?.file ?? null) {
  const entries = a.entries.map((e) => ({
    uuid: e.task.uuid,
    description: e.task.description,
    status: e.task.status,
    priority: e.task.priority,
    field: e.field,
    date: e.date.toISOString(),
    overdue: e.overdue,
    file: file(e.task),
    line: e.task.home?.line ?? null,
  }));
  return { from: isoDay(a.from), to: isoDay(a.to), entries };
}
