/**
 * Projects with no next action: a heading holding tasks of its own, none of which can be done
 * now (all done, cancelled, on hold, waiting, or blocked by an open task they depend on). The
 * weekly review's classic question; a plan lists them with a link to the heading.
 */
import { posix } from 'node:path';
import type { NoteOutline, OutlineTask } from '../graph/index.js';
import { TaskIndex, type PlanTask, type TaskLookup } from './tasks.js';

export interface StalledProject {
  /** The project as Taskwarrior names it (base project and heading titles, dot-joined). */
  project: string;
  file: string;
  path: string[];
  level: number;
}

/** The line a plan shows for a stalled project; `%@project%` marks it as generated. */
export const PROJECT_MARKER = '%@project%';

const ACTIONABLE = new Set(['undone', 'pending', 'urgent', 'uncertain', 'recurring']);

function actionable(t: OutlineTask, index: TaskLookup): boolean {
  if (!ACTIONABLE.has(t.status)) return false;
  const task = t.id ? index.find(t.id) : null;
  if (!task) return true;
  if (task.waiting) return false;
  return !task.depends.some((u) => {
    const d = index.find(u.replace(/-/g, '').toLowerCase());
    return d !== null && d.status !== 'done' && d.status !== 'cancelled';
  });
}

export function stalledProjects(notes: readonly NoteOutline[], tasks: readonly PlanTask[], index: TaskLookup = new TaskIndex(tasks)): StalledProject[] {
  const out: StalledProject[] = [];
  for (const n of notes) {
    for (const p of n.projects) {
      const key = p.path.join('\u0000');
      const own = n.tasks.filter((t) => t.headingPath.join('\u0000') === key);
      if (own.length === 0) continue;
      const heading = p.taskKey ? n.tasks.find((t) => t.key === p.taskKey) : undefined;
      if (heading && (heading.status === 'done' || heading.status === 'cancelled')) continue;
      if (own.some((t) => actionable(t, index))) continue;
      out.push({ project: own[0].project, file: n.file, path: p.path, level: p.level });
    }
  }
  return out;
}

export function projectLine(p: StalledProject, planFile: string): string {
  const rel = posix.relative(posix.dirname(planFile), p.file).replace(/\.norg$/, '');
  const title = p.path[p.path.length - 1];
  const name = posix.basename(p.file, '.norg');
  const link = /[{}[\]%\\]/.test(title)
    ? `{:${rel}:}[${name}: ${title.replace(/[{}[\]%\\]/g, ' ')}]`
    : `{:${rel}:${'*'.repeat(p.level)} ${title}}[${name}: ${title}]`;
  return `${link} ${PROJECT_MARKER}`;
}
