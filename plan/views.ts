/**
 * Viewports, as taskwiki has them, in any note: a ranged tag `planager` whose first parameter
 * is `view` and whose others are a Taskwarrior filter (filter.ts),
 *
 *   |planager view project:Work +next
 *   - ( |# A) Cut the release {:work:* Release}[work: Release] %@1a2b3c4d%
 *   |end
 *
 * filled with mirrors of the tasks the filter matches. A fill keeps every line where it is
 * (the order is the user's once a mirror is there): it adds the mirrors of tasks newly
 * matching before `|end` (sorted by due date, then text, then uuid), and removes the mirror
 * lines of tasks that no longer match. The user's other lines inside stay. Pure.
 */
import type { ChangeSpec } from '@codemirror/state';
import { isInertTag, walk, type Tree } from '../parser/index.js';
import { isFilterError, parseFilter, type FilterError, type ViewFilter } from './filter.js';
import { mirrorContent } from './mirror.js';
import type { MirrorLine } from './mirrorread.js';
import type { PlanTask } from './tasks.js';

export interface View {
  /** 1-based line of `|planager view`. */
  line: number;
  filter: ViewFilter | FilterError;
  /** Start of the line after the tag line, and of the `|end` line. */
  contentFrom: number;
  endLineStart: number;
}

/** Words of a filter: quoted phrases kept whole (the tag's parameters split them at spaces). */
function filterWords(params: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of params.join(' ').matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

export function findViews(tree: Tree): View[] {
  const out: View[] = [];
  walk(tree, (n, from) => {
    if (n.kind === 'ranged_verbatim_tag' || n.kind === 'quote') return false;
    if (n.kind !== 'ranged_tag' || n.data?.type !== 'tag') return true;
    if (isInertTag(n.data)) return false;
    if (n.data.name !== 'planager' || n.data.params[0] !== 'view') return true;
    const end = n.children.find((c) => c.kind === 'ranged_tag_end');
    const line = tree.lines.lineAt(from) + 1;
    if (!end) {
      out.push({ line, filter: { message: 'no |end: left as it is' }, contentFrom: 0, endLineStart: 0 });
      return true;
    }
    const endAt = from + end.from;
    const contentFrom = tree.lines.lineStart(Math.min(tree.lines.lineAt(from) + 1, tree.lines.lineAt(endAt)));
    out.push({ line, filter: parseFilter(filterWords(n.data.params.slice(1))), contentFrom, endLineStart: tree.lines.lineStart(tree.lines.lineAt(endAt)) });
    return true;
  });
  return out;
}

export interface FillInput {
  file: string;
  text: string;
  view: View;
  /** The mirrors of the note (the ones inside the view are its own), with their tasks' uuids. */
  mirrors: readonly { line: MirrorLine; uuid: string | null; lineFrom: number; lineNext: number }[];
  /** Uuids of the tasks the note holds as task lines inside the view (they show already). */
  tasksInside: ReadonlySet<string>;
  /** The tasks the filter matches. */
  matching: readonly PlanTask[];
  /** Whether a task is known (a mirror of an unknown task is never removed). */
  known: (uuid: string) => boolean;
  /** Tasks whose mirror holds an edit not sent yet: it stays, matching or not. */
  unsent?: ReadonlySet<string>;
  nl: string;
}

export interface Filled {
  specs: ChangeSpec[];
  /** Mirrors added: marker id → uuid. */
  added: Map<string, string>;
}

export function fillView(i: FillInput): Filled {
  const { view } = i;
  const specs: ChangeSpec[] = [];
  const added = new Map<string, string>();
  if (isFilterError(view.filter)) return { specs, added };
  const want = new Set(i.matching.map((t) => t.uuid));
  const shown = new Set(i.tasksInside);
  for (const m of i.mirrors) {
    if (m.lineFrom < view.contentFrom || m.lineFrom >= view.endLineStart || !m.uuid) continue;
    // A task shown twice keeps its first mirror; one no longer matching goes.
    const stale = i.known(m.uuid) && !want.has(m.uuid) && !i.unsent?.has(m.uuid);
    if (stale || shown.has(m.uuid)) specs.push({ from: m.lineFrom, to: m.lineNext });
    shown.add(m.uuid);
  }
  const indent = /^[ \t]*/.exec(i.text.slice(view.endLineStart, view.endLineStart + 200))![0];
  const fresh = i.matching.filter((t) => !shown.has(t.uuid)).sort(byDue);
  if (fresh.length > 0) specs.push({ from: view.endLineStart, insert: fresh.map((t) => `${indent}- ${mirrorContent(t, i.file)}${i.nl}`).join('') });
  for (const t of fresh) added.set(t.id, t.uuid);
  return { specs, added };
}

function byDue(a: PlanTask, b: PlanTask): number {
  const da = a.due?.getTime() ?? Number.POSITIVE_INFINITY;
  const db = b.due?.getTime() ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da - db;
  if (a.description !== b.description) return a.description < b.description ? -1 : 1;
  return a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
}
