/**
 * `planager agenda [--week] [--date D] [--json]`: open tasks by date, overdue first, from
 * Taskwarrior (one export) and from note lines the sync has not sent yet.
 */
import { agenda, formatAgenda, isoDay, shortIds, TaskIndex, withHomes, type Agenda, type AgendaTask, type PlanTask } from '../plan/index.js';
import { allTasks } from '../sync/alltasks.js';
import { resolvedUntil, resolveText } from '../sync/dates.js';
import { Taskwarrior, type TwTask } from '../sync/taskwarrior.js';
import type { Inputs } from '../sync/stamps.js';
import { planTask, readNoteTexts, type Note } from './notes.js';
import { ParseCache, tasksSnapshot } from './parsecache.js';
import { planSettings, type Deps, type PlanFlags } from './plan.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager agenda: ${message}\n` });

/**
 * Note tasks no Taskwarrior task answers to yet (new lines), with their dates resolved against
 * `now` (`inputs`: the moment a date text may resolve to another day).
 */
function unsent(notes: readonly Note[], index: TaskIndex<TwTask>, now: Date, inputs?: Inputs): AgendaTask[] {
  const out: AgendaTask[] = [];
  const resolved = (text: string | null) => {
    if (!text) return null;
    const until = inputs && resolvedUntil(text, now);
    if (until) inputs.expires(until.getTime());
    return resolveText(text, now);
  };
  for (const n of notes) {
    for (const t of n.objects.tasks) {
      if (t.id && index.find(t.id)) continue;
      const due = resolved(t.due);
      const scheduled = resolved(t.start);
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

/**
 * What the agenda lists for one workspace: Taskwarrior's tasks (with their homes) and the unsent
 * lines. Only notes that may hold a dated line are parsed (an extension with `<` or `>`); the
 * home of a dated task in any other note is found by its id comment in the text: parsing every
 * note of 10,000 tasks was most of the agenda's time (1.9× a `task next`). Those parsed come
 * from the parse cache when their text is as the last command saw it (cli/parsecache.ts).
 */
export async function agendaTasks(
  dir: string,
  tw: Taskwarrior,
  now: Date,
  inputs?: Inputs,
): Promise<{ ok: true; tasks: AgendaTask[]; warnings: string[] } | { ok: false; message: string }> {
  const warnings: string[] = [];
  const [texts, exported] = await Promise.all([readNoteTexts(dir, warnings, inputs), allTasks(tw, now, inputs, tasksSnapshot(dir) ?? undefined)]);
  if (!exported.ok) return { ok: false, message: `task export failed: ${exported.error.message}` };
  const dated = (t: PlanTask) => (t.due || t.scheduled) && t.status !== 'done' && t.status !== 'cancelled';
  // Only dated open tasks are listed: only they are made plan tasks (all 10,000 were a third of
  // the agenda's time); the rest are looked up by id (a note line that names one is not unsent).
  const all = exported.value.filter((t) => t.status !== 'recurring');
  const ids = shortIds(all.map((t) => t.uuid));
  const listed = all
    .filter((t) => (t.due || t.scheduled) && t.status !== 'completed' && t.status !== 'deleted')
    .map((t) => planTask(t, ids.get(t.uuid)!, now))
    .filter(dated);
  const parsed: Note[] = [];
  const disk = new ParseCache(dir);
  for (const n of texts) if (DATED.test(n.text)) parsed.push({ ...n, objects: disk.objects(n.file, n.text) });
  const tasks = withHomes(
    listed,
    parsed.map((n) => n.objects),
  );
  const rest = texts.filter((n) => !DATED.test(n.text));
  for (const [i, t] of tasks.entries()) if (!t.home) tasks[i] = { ...t, home: homeByText(t, rest) };
  return { ok: true, tasks: [...tasks, ...unsent(parsed, new TaskIndex(all), now, inputs)], warnings };
}

/** A date in an extension: `(<`, `|<`, `(>`, `|>` (with spaces allowed after the bar). */
const DATED = /[(|][ \t]*[<>]/;

/** The line of a task's id comment in notes not parsed (no dated line: no extension to misread). */
function homeByText(t: PlanTask, notes: readonly { file: string; text: string }[]): AgendaTask['home'] {
  const hex = t.uuid.replace(/-/g, '');
  const needle = `%#${hex.slice(0, 8)}`;
  for (const n of notes) {
    for (let at = n.text.indexOf(needle); at >= 0; at = n.text.indexOf(needle, at + 1)) {
      const m = /^%#([0-9a-f]{4,32})%/.exec(n.text.slice(at, at + 40));
      if (!m || !hex.startsWith(m[1]!)) continue;
      let line = 1;
      for (let i = n.text.indexOf('\n'); i >= 0 && i < at; i = n.text.indexOf('\n', i + 1)) line++;
      return { file: n.file, line, headingPath: [], headingLevel: null };
    }
  }
  return null;
}

export async function agendaCommand(flags: PlanFlags & { week?: boolean }, deps: Deps = {}): Promise<CommandResult> {
  const now = deps.now ?? new Date();
  const settings = planSettings(flags, null, now);
  if (typeof settings === 'string') return fail(settings);
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const loaded = await agendaTasks(w.dir, deps.tw ?? new Taskwarrior(), now, deps.inputs);
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
    carried: e.carried,
    file: file(e.task),
    line: e.task.home?.line ?? null,
  }));
  return { from: isoDay(a.from), to: isoDay(a.to), entries };
}
