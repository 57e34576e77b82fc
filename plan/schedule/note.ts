/**
 * Where the schedule lives in a day's note: the ranged tags `|planager schedule PARAMS` (the
 * derived blocks; its parameters are the working hours, breaks and default estimate) and
 * `|planager fixed` (fixed events written by hand), found as sections.ts finds the others.
 */
import { STATUS_NAMES } from '../../parser/extension.js';
import { isInertTag, walk, type Tree } from '../../parser/index.js';

export interface TagAt {
  name: 'schedule' | 'fixed';
  params: string[];
  /** 1-based line of the opening tag. */
  line: number;
  /** Start of the line after the opening tag, and of the `|end` line. */
  contentFrom: number;
  endLineStart: number;
}

export function findScheduleTags(tree: Tree): { tags: TagAt[]; warnings: string[] } {
  const tags: TagAt[] = [];
  const warnings: string[] = [];
  walk(tree, (n, from) => {
    if (n.kind === 'ranged_verbatim_tag' || n.kind === 'quote') return false;
    if (n.kind !== 'ranged_tag' || n.data?.type !== 'tag') return true;
    if (isInertTag(n.data)) return false;
    if (n.data.name !== 'planager') return true;
    const name = n.data.params[0];
    if (name !== 'schedule' && name !== 'fixed') return true;
    const line = tree.lines.lineAt(from) + 1;
    const end = n.children.find((c) => c.kind === 'ranged_tag_end');
    if (!end) {
      warnings.push(`line ${line}: |planager ${name} has no |end; left as it is`);
      return true;
    }
    const endAt = from + end.from;
    const contentFrom = tree.lines.lineStart(Math.min(tree.lines.lineAt(from) + 1, tree.lines.lineAt(endAt)));
    tags.push({ name, params: n.data.params.slice(1), line, contentFrom, endLineStart: tree.lines.lineStart(tree.lines.lineAt(endAt)) });
    return true;
  });
  return { tags, warnings };
}

export interface Line {
  /** 1-based. */
  line: number;
  text: string;
}

/** The lines between a tag's opening line and its `|end`. */
export function contentLines(text: string, tag: TagAt, lineOf: (pos: number) => number): Line[] {
  const body = text.slice(tag.contentFrom, tag.endLineStart);
  if (body === '') return [];
  const first = lineOf(tag.contentFrom);
  return body
    .replace(/(\r\n|\r|\n)$/, '')
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ line: first + i, text: t }));
}

/**
 * Items with a timestamp and no status, `- (@ 14:00-15:00) Dentist`: timed items that are not
 * tasks (extractTasks takes those with a status).
 */
export function timedItems(tree: Tree): { line: number; timestamp: string; description: string }[] {
  const out: { line: number; timestamp: string; description: string }[] = [];
  walk(tree, (n, from) => {
    if (n.kind === 'ranged_verbatim_tag' || n.kind === 'quote') return false;
    if (n.kind === 'ranged_tag' && isInertTag(n.data)) return false;
    if (n.kind !== 'unordered_list' && n.kind !== 'ordered_list') return true;
    const ext = n.children.find((c) => c.kind === 'detached_modifier_extension');
    const stamp = ext?.children.find((c) => c.kind === 'timestamp');
    if (!ext || !stamp || ext.children.some((c) => STATUS_NAMES[c.kind] !== undefined)) return true;
    const data = stamp.children.find((c) => c.kind === 'timestamp_data')?.data;
    const para = n.children.find((c) => c.kind === 'paragraph');
    if (!data || data.type !== 'date') return true;
    const text = para
      ? tree.text
          .slice(from + para.from, from + para.from + para.length)
          .replace(/\s+/g, ' ')
          .trim()
      : '';
    out.push({ line: tree.lines.lineAt(from) + 1, timestamp: data.text, description: text });
    return true;
  });
  return out;
}
