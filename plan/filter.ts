/**
 * Viewport filters: the part of Taskwarrior's filter language a viewport line holds
 * (`|planager view project:Work +next`), read and matched without running `task`, so that a
 * sync fills viewports from what it already read. Pure.
 *
 * Read: `project:P` (P and its subprojects, as Taskwarrior's project match at the dots),
 * `project:` alone for none, `+tag`, `-tag`, `status:pending|waiting|completed|deleted` (default:
 * pending and waiting), `priority:H|M|L` (empty: none), `due.before:D`, `due.after:D` (`YYYY-MM-DD`), and bare words
 * (the description holds them, ignoring case). Anything else (`or`, parentheses, other
 * attributes, a virtual tag such as `+READY`) is an error naming the word: such a viewport is left as it is, never guessed.
 * Terms all hold, as Taskwarrior ANDs them: `project:A project:B` matches no task (a repeated
 * term was once read as the last one alone, round2-F2).
 */

export interface ViewFilter {
  /** Each must hold: a project and its subprojects; null: no project. */
  projects: (string | null)[];
  tags: string[];
  notTags: string[];
  statuses: string[];
  /** Each must hold; null: no priority. */
  priorities: (string | null)[];
  dueBefore: number | null;
  dueAfter: number | null;
  words: string[];
}

export interface FilterError {
  message: string;
}

/** What a filter looks at of a task (Taskwarrior's values, dates as epoch ms). */
export interface Filterable {
  status: string;
  description: string;
  project?: string | null;
  tags?: readonly string[];
  priority?: string | null;
  due?: number | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Taskwarrior 2.6's virtual tags (`task help` lists them): computed from the clock, other tasks
 * and attributes, never stored. Read as ordinary tags they matched nothing and the viewport stayed
 * empty with no word why (issue 15's audit); they are named as unread instead.
 */
const VIRTUAL_TAGS = new Set(
  'ACTIVE ANNOTATED BLOCKED BLOCKING CHILD COMPLETED DELETED DUE DUETODAY INSTANCE LATEST MONTH ORPHAN OVERDUE PARENT PENDING PRIORITY PROJECT QUARTER READY SCHEDULED TAGGED TEMPLATE TODAY TOMORROW UDA UNBLOCKED UNTIL WAITING WEEK YEAR YESTERDAY'.split(
    ' ',
  ),
);

export function parseFilter(words: readonly string[]): ViewFilter | FilterError {
  const f: ViewFilter = { projects: [], tags: [], notTags: [], statuses: [], priorities: [], dueBefore: null, dueAfter: null, words: [] };
  for (const w of words) {
    if (w === '') continue;
    if (/^[+-]/.test(w) && VIRTUAL_TAGS.has(w.slice(1)))
      return {
        message: `"${w}" is one of Taskwarrior's virtual tags, which a viewport does not read (it matches without running \`task\`): use status:, project:, priority:, due.before: or due.after: instead`,
      };
    if (/^\+[^\s+-]\S*$/.test(w)) f.tags.push(w.slice(1));
    else if (/^-[^\s+-]\S*$/.test(w)) f.notTags.push(w.slice(1));
    else if (/^[a-z.]+:/.test(w)) {
      const at = w.indexOf(':');
      const key = w.slice(0, at);
      const value = w.slice(at + 1);
      if (key === 'project' || key === 'pro' || key === 'proj') f.projects.push(value || null);
      else if (key === 'status') {
        if (!['pending', 'waiting', 'completed', 'deleted'].includes(value))
          return { message: `status:${value}: a viewport reads pending, waiting, completed or deleted` };
        f.statuses.push(value);
      } else if (key === 'priority' || key === 'pri') f.priorities.push(value === '' ? null : value);
      else if (key === 'due.before' || key === 'due.after') {
        const m = DAY.exec(value);
        if (!m) return { message: `${w}: a viewport reads dates as YYYY-MM-DD` };
        const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
        if (key === 'due.before') f.dueBefore = t;
        else f.dueAfter = t;
      } else return { message: `"${w}": a viewport reads project:, +tag, -tag, status:, priority:, due.before:, due.after: and words` };
    } else if (/^(or|and|xor|\(|\)|!)$/i.test(w) || /[()]/.test(w))
      return { message: `"${w}": a viewport's filter is words joined by "and" only (no or, no parentheses)` };
    else f.words.push(w.toLowerCase());
  }
  if (f.statuses.length === 0) f.statuses = ['pending', 'waiting'];
  return f;
}

export function isFilterError(x: ViewFilter | FilterError): x is FilterError {
  return 'message' in x && !('tags' in x);
}

export function matches(f: ViewFilter, t: Filterable): boolean {
  if (!f.statuses.includes(t.status)) return false;
  if (!f.projects.every((p) => inProject(p, t.project ?? null))) return false;
  const tags = t.tags ?? [];
  if (!f.tags.every((x) => tags.includes(x)) || f.notTags.some((x) => tags.includes(x))) return false;
  if (!f.priorities.every((p) => (t.priority ?? null) === p)) return false;
  if (f.dueBefore !== null && !(t.due != null && t.due < f.dueBefore)) return false;
  if (f.dueAfter !== null && !(t.due != null && t.due > f.dueAfter)) return false;
  const d = t.description.toLowerCase();
  return f.words.every((w) => d.includes(w));
}

/** Taskwarrior's project match: the project or one under it at a dot; null matches no project. */
function inProject(want: string | null, project: string | null): boolean {
  if (want === null) return project === null || project === '';
  return project === want || (project ?? '').startsWith(`${want}.`);
}
