/**
 * A plan note for a period, from start to finish, as values: the period, its path, the text to
 * start from (the note as it is, or the template rendered), and the refresh. The caller reads
 * the files and Taskwarrior, and writes the text back when it changed.
 */
import { ChangeSet } from '@codemirror/state';
import { extractObjects, type NoteOutline } from '../graph/index.js';
import { extractMirrors, parse, type Tree } from '../parser/index.js';
import { isError, type Day, type PlanError } from './day.js';
import { DEFAULT_PATHS, pathOf, previousNote, type PathPatterns } from './paths.js';
import { periodOf, type Kind, type Period } from './period.js';
import { refresh } from './refresh.js';
import type { SectionName } from './sections.js';
import { renderTemplate } from './template.js';
import { TaskIndex, type PlanTask, type TaskLookup } from './tasks.js';

export interface PlanOptions {
  paths: PathPatterns;
  /** 0 = Monday … 6 = Sunday. */
  weekStart: number;
}

export const DEFAULT_OPTIONS: PlanOptions = { paths: DEFAULT_PATHS, weekStart: 0 };

/** Where the plan for `kind` on `day` lives, and the previous one to look for. */
export function locate(
  kind: Kind,
  day: Day,
  options: PlanOptions = DEFAULT_OPTIONS,
  exists: (path: string) => boolean = () => false,
): { period: Period; path: string; previous: string | null } {
  const period = periodOf(kind, day, options.weekStart);
  return { period, path: pathOf(period, options.paths), previous: previousNote(period, exists, options.paths, options.weekStart) };
}

export interface PlanInput {
  period: Period;
  path: string;
  /** The note's text when it exists, else null (the template is rendered). */
  existing: string | null;
  /** `existing` parsed, when the caller has it already. */
  tree?: Tree;
  template: { source: string; where: string };
  /** Every task, or at least every one a section may take but for the carried ones (refresh.ts `tasks`). */
  tasks: readonly PlanTask[];
  /** Every task by id, when the caller has it already (else `tasks` indexed here). */
  index?: TaskLookup;
  /** Every note of the workspace but plan notes, parsed (graph/ `extractObjects`); a function: read only when needed (refresh.ts `notes`). */
  projectNotes: readonly NoteOutline[] | (() => readonly NoteOutline[]);
  previous: { text: string } | null;
  /** Mirrors holding an edit no sync has sent yet (refresh.ts `keep`). */
  keep?: ReadonlySet<string>;
  /** The stats section's lines (refresh.ts `stats`). */
  stats?: readonly string[];
}

export interface PlanResult {
  path: string;
  created: boolean;
  text: string;
  /** Against the note as it was (for a new note, against the rendered template). */
  changes: ChangeSet;
  changed: boolean;
  sections: Partial<Record<SectionName, string[]>>;
  warnings: string[];
}

/** Tasks the previous plan showed (mirrors) or held (its own task lines). */
export function carriedFrom(previous: { text: string } | null, tasks: readonly PlanTask[], index: TaskLookup = new TaskIndex(tasks)): Set<string> {
  const out = new Set<string>();
  if (!previous) return out;
  const tree = parse(previous.text);
  for (const m of extractMirrors(tree)) {
    const t = index.find(m.id);
    if (t) out.add(t.uuid);
  }
  for (const o of extractObjects(tree, 'previous.norg').tasks) {
    const t = o.id ? index.find(o.id) : null;
    if (t) out.add(t.uuid);
  }
  return out;
}

export function planNote(input: PlanInput): PlanResult | PlanError {
  // An empty note at the plan's path (`:Neorg journal today` writes one) is filled as a new one.
  const fresh = input.existing === null || input.existing.trim() === '';
  let base = fresh ? null : input.existing;
  if (base === null) {
    const rendered = renderTemplate(input.template.source, input.period, input.template.where);
    if (isError(rendered)) return rendered;
    base = rendered;
  }
  // One index for every lookup of the refresh (building one is a pass over every task).
  const index = input.index ?? new TaskIndex(input.tasks);
  const r = refresh({
    file: input.path,
    text: base,
    period: input.period,
    tasks: input.tasks,
    index,
    ...(!fresh && input.tree ? { tree: input.tree } : {}),
    notes: input.projectNotes,
    carried: carriedFrom(input.previous, input.tasks, index),
    keep: input.keep,
    stats: input.stats,
  });
  // A note someone else wrote there (Neorg's journal template, by hand) has no sections to fill:
  // said so, never rewritten (a note whose sections the user removed must stay as it is).
  const none = !fresh && Object.keys(r.sections).length === 0 && !base.includes('|planager');
  const warnings = none
    ? [
        ...r.warnings,
        `${input.path} has no generated sections (it was not made from a plan template), so nothing was added: put \`|planager due\` … \`|end\` (any section, :help planager-plan) where you want one, or empty the note to fill it from the template`,
      ]
    : r.warnings;
  return {
    path: input.path,
    created: fresh,
    // Against the note as it was: an empty one is replaced whole.
    text: r.text,
    changes: fresh && input.existing !== null ? ChangeSet.of([{ from: 0, to: input.existing.length, insert: r.text }], input.existing.length) : r.changes,
    changed: fresh || !r.changes.empty,
    sections: r.sections,
    warnings,
  };
}
