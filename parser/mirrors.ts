/**
 * Mirror lines: list items whose text holds the mirror marker (`%@1a2b3c4d%`, describe.ts) and
 * no id comment. They show a task whose home is another line (plan/ writes them), so every
 * extraction skips them as tasks; this one finds them, for plan/ to refresh them in place.
 */
import { holdsNoTasks } from './inert.js';
import { describe } from './describe.js';
import { STATUS_NAMES } from './extension.js';
import type { TaskStatus } from './extract.js';
import { walk, type Tree } from './tree.js';

export interface MirrorItem {
  /** 1-based line of the item's prefix. */
  line: number;
  /** The marker's hex id: a prefix of the task's uuid. */
  id: string;
  /** The status the line shows, null when it has no status (a hand-made line with a marker). */
  status: TaskStatus | null;
  /** Start of the line, and of what follows the prefix (`- `): where the shown fields begin. */
  lineStart: number;
  contentFrom: number;
  /** End of the marker: what follows it on the line is the user's. */
  markerTo: number;
}

export function extractMirrors(tree: Tree): MirrorItem[] {
  const text = tree.text;
  const out: MirrorItem[] = [];
  walk(tree, (n, from) => {
    switch (n.kind) {
      case 'ranged_tag':
        return !holdsNoTasks(n.data);
      case 'ranged_verbatim_tag':
      case 'quote':
        return false;
      case 'unordered_list':
      case 'ordered_list': {
        const para = n.children.find((c) => c.kind === 'paragraph');
        if (!para) return true;
        const desc = describe(
          text,
          para.children.map((seg) => ({ n: seg, from: from + para.from + seg.from })),
          from,
        );
        if (!desc.mirror || !desc.mirrorSpan) return true;
        const prefix = n.children.find((c) => c.kind === 'list_prefix');
        const ext = n.children.find((c) => c.kind === 'detached_modifier_extension');
        const statusPart = ext?.children.find((c) => STATUS_NAMES[c.kind] !== undefined);
        const prefixFrom = from + (prefix ? prefix.from : 0);
        const line = tree.lines.lineAt(prefixFrom);
        let contentFrom = prefixFrom + (prefix ? prefix.length : 0);
        while (text[contentFrom] === ' ' || text[contentFrom] === '\t') contentFrom++;
        out.push({
          line: line + 1,
          id: desc.mirror,
          status: statusPart ? (STATUS_NAMES[statusPart.kind] as TaskStatus) : null,
          lineStart: tree.lines.lineStart(line),
          contentFrom,
          markerTo: desc.mirrorSpan.to,
        });
        return true;
      }
      default:
        return true;
    }
  });
  return out;
}
