/**
 * Tasks as they are written: list items whose detached modifier extension carries a status.
 *
 * Decisions (documented in README and :help planager):
 * - An item is a task when its extension has a status (`( )`, `(x)`, `(-)`, `(=)`, `(_)`,
 *   `(!)`, `(?)`, `(+ …)`); `(# A)` alone is an annotated item, not a task. With several
 *   statuses in one extension the first counts.
 * - Items inside `|example`, `|comment` (and any verbatim `@tag`) are not tasks; quotes hold
 *   no list items, so `> - ( ) x` is never one.
 * - The description is the item's paragraph as written (inline markup and links kept), lines
 *   joined with single spaces, with the task id comment (`%#1a2b3c4d%`) taken out.
 * - A mirror line (its text holds `%@1a2b3c4d%` and no id comment; plan/ writes them) is not a
 *   task: it shows one whose home is another line.
 */
import { holdsNoTasks } from './inert.js';
import { describe, ID_COMMENT } from './describe.js';
import { STATUS_NAMES } from './extension.js';

export { ID_COMMENT };
import { walk, type Tree } from './tree.js';
import type { SyntaxNode } from './types.js';

export type TaskStatus = 'undone' | 'done' | 'pending' | 'onhold' | 'cancelled' | 'urgent' | 'recurring' | 'uncertain';

export interface TaskItem {
  /** A list item (`- ( ) …`) or a heading (`* ( ) …`): both are tasks, as the sync has them. */
  kind: 'item' | 'heading';
  /** 1-based line of the item's prefix. */
  line: number;
  level: number;
  status: TaskStatus;
  description: string;
  priority: string | null;
  due: string | null;
  start: string | null;
  /** 1-based line of the enclosing list item when that item is a task. */
  parent: number | null;
  /** Titles of the enclosing headings, outermost first. */
  project: string[];
  /** The id written in the line (`%#1a2b3c4d%` → `1a2b3c4d`), if any. */
  id: string | null;
  timestamp: string | null;
  /** Text of a `(+ …)` recurrence, '' for a bare `(+)`. */
  recurrence: string | null;
  /** Absolute range of the item (its nested items included). */
  from: number;
  to: number;
}

/** Ranged tags whose content is not live text. */

interface ItemFrame {
  line: number;
  isTask: boolean;
  depth: number;
}

function value(ext: SyntaxNode, kind: string): string | null {
  const part = ext.children.find((c) => c.kind === kind);
  if (!part) return null;
  const d = part.data ?? part.children[0]?.data;
  if (d && (d.type === 'date' || d.type === 'priority')) return d.text;
  return kind === 'todo_item_recurring' ? '' : null;
}

function values(ext: SyntaxNode): Pick<TaskItem, 'priority' | 'due' | 'start' | 'timestamp'> {
  return { priority: value(ext, 'priority'), due: value(ext, 'due'), start: value(ext, 'start'), timestamp: value(ext, 'timestamp') };
}

export function extractTasks(tree: Tree): TaskItem[] {
  const text = tree.text;
  const lines = tree.lines;
  const tasks: TaskItem[] = [];
  const headings: { depth: number; title: string }[] = [];
  // Headings and list items holding the current node; a task's parent is the nearest that is
  // a task (the sync's rule, graph/objects.ts `enclosingTask`).
  const items: ItemFrame[] = [];
  const enclosing = (): number | null => {
    for (let i = items.length - 1; i >= 0; i--) if (items[i].isTask) return items[i].line;
    return null;
  };

  walk(tree, (n, from, to, depth) => {
    while (headings.length > 0 && headings[headings.length - 1].depth >= depth) headings.pop();
    while (items.length > 0 && items[items.length - 1].depth >= depth) items.pop();
    switch (n.kind) {
      case 'ranged_tag': {
        const d = n.data;
        if (holdsNoTasks(d)) return false;
        return true;
      }
      case 'ranged_verbatim_tag':
      case 'quote':
        return false;
      case 'heading': {
        const seg = n.children.find((c) => c.kind === 'paragraph_segment');
        const desc = seg ? describe(text, [{ n: seg, from: from + seg.from }], from) : null;
        const ext = n.children.find((c) => c.kind === 'detached_modifier_extension');
        const statusPart = ext?.children.find((c) => STATUS_NAMES[c.kind] !== undefined);
        const prefix = n.children.find((c) => c.kind === 'heading_prefix');
        const line = lines.lineAt(from + (prefix ? prefix.from : 0)) + 1;
        const isTask = !!ext && !!statusPart && !desc?.mirror;
        if (ext && statusPart && isTask) {
          tasks.push({
            kind: 'heading',
            line,
            level: n.level,
            status: STATUS_NAMES[statusPart.kind] as TaskStatus,
            description: desc ? desc.text : '',
            ...values(ext),
            parent: enclosing(),
            project: headings.map((h) => h.title),
            id: desc ? desc.id : null,
            recurrence: statusPart.kind === 'todo_item_recurring' ? value(ext, 'todo_item_recurring') : null,
            from,
            to,
          });
        }
        items.push({ line, isTask, depth });
        headings.push({ depth, title: desc ? desc.text : '' });
        return true;
      }
      case 'unordered_list':
      case 'ordered_list': {
        const prefix = n.children.find((c) => c.kind === 'list_prefix');
        const line = lines.lineAt(from + (prefix ? prefix.from : 0)) + 1;
        const ext = n.children.find((c) => c.kind === 'detached_modifier_extension');
        const statusPart = ext?.children.find((c) => STATUS_NAMES[c.kind] !== undefined);
        const parent = enclosing();
        const para = n.children.find((c) => c.kind === 'paragraph');
        const desc =
          ext && statusPart && para
            ? describe(
                text,
                para.children.map((seg) => ({ n: seg, from: from + para.from + seg.from })),
                from,
              )
            : null;
        // A mirror (`%@id%`, plan/) shows a task whose home is elsewhere: not a task here.
        const isTask = statusPart !== undefined && !desc?.mirror;
        items.push({ line, isTask, depth });
        if (!ext || !statusPart || !isTask) return true;
        tasks.push({
          kind: 'item',
          line,
          level: n.level,
          status: STATUS_NAMES[statusPart.kind] as TaskStatus,
          description: desc ? desc.text : '',
          ...values(ext),
          parent,
          project: headings.map((h) => h.title),
          id: desc ? desc.id : null,
          recurrence: statusPart.kind === 'todo_item_recurring' ? value(ext, 'todo_item_recurring') : null,
          from,
          to,
        });
        return true;
      }
      default:
        return true;
    }
  });
  return tasks;
}
