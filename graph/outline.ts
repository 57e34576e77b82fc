/**
 * A note's objects as the planning commands read them (plan, agenda, capture, stats): the
 * fields of its tasks and headings, without the source spans and hashes a sync patches by.
 * What the CLI keeps on disk between commands (cli/parsecache.ts): at 10,000 tasks the full
 * objects were 9 MB of JSON, and reading them back was a plan's biggest cost after the GC.
 */
import type { FileObjects, ProjectObject, TaskObject } from './objects.js';

export type OutlineTask = Pick<TaskObject, 'key' | 'id' | 'line' | 'status' | 'description' | 'priority' | 'due' | 'start' | 'project' | 'headingPath'>;
export type OutlineProject = Pick<ProjectObject, 'title' | 'path' | 'level' | 'taskKey' | 'goal'>;

export interface NoteOutline {
  file: string;
  baseProject: string | null;
  tasks: OutlineTask[];
  projects: OutlineProject[];
}

export function outlineOf(o: FileObjects): NoteOutline {
  return {
    file: o.file,
    baseProject: o.baseProject,
    tasks: o.tasks.map((t) => ({
      key: t.key,
      id: t.id,
      line: t.line,
      status: t.status,
      description: t.description,
      priority: t.priority,
      due: t.due,
      start: t.start,
      project: t.project,
      headingPath: t.headingPath,
    })),
    projects: o.projects.map((p) => ({ title: p.title, path: p.path, level: p.level, taskKey: p.taskKey, goal: p.goal })),
  };
}
