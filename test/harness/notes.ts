/**
 * The harness's view of a note as lines it can edit: headings, task items (with the `+tag`
 * lines just above them) and everything else, kept verbatim. Edits are made on this structure
 * and written back, so the bytes outside the edited item stay as the engine left them.
 */

export interface Item {
  kind: 'item';
  /** `+tag` lines just above the item, verbatim. */
  tagLines: string[];
  indent: string;
  level: number;
  /** The parts between the parentheses: status first, then `# A`, `< date`, … */
  status: string;
  extras: string[];
  description: string;
  /** ` %#…%` with its leading space, or ''. */
  idComment: string;
}
export type Line = { kind: 'heading' | 'other'; text: string } | Item;

const ITEM = /^(\s*)(-+) \(([^)]*)\) (.*?)((?: %#[0-9a-f]+%)?)$/;
const TAG = /^\s*\+[\w-]+\s*$/;

export function parseNote(text: string): Line[] {
  const raw = text.split('\n');
  const out: Line[] = [];
  let tags: string[] = [];
  const flushTags = () => {
    for (const t of tags) out.push({ kind: 'other', text: t });
    tags = [];
  };
  for (const l of raw) {
    if (TAG.test(l)) {
      tags.push(l);
      continue;
    }
    const m = ITEM.exec(l);
    if (m) {
      const parts = m[3].split('|');
      out.push({
        kind: 'item',
        tagLines: tags,
        indent: m[1],
        level: m[2].length,
        status: parts[0],
        extras: parts.slice(1),
        description: m[4],
        idComment: m[5],
      });
      tags = [];
      continue;
    }
    flushTags();
    out.push({ kind: /^\*+ /.test(l) ? 'heading' : 'other', text: l });
  }
  flushTags();
  return out;
}

export function printNote(lines: Line[]): string {
  const out: string[] = [];
  for (const l of lines) {
    if (l.kind !== 'item') out.push(l.text);
    else {
      out.push(...l.tagLines);
      out.push(`${l.indent}${'-'.repeat(l.level)} (${[l.status, ...l.extras].join('|')}) ${l.description}${l.idComment}`);
    }
  }
  return out.join('\n');
}

export const idOf = (it: Item): string | null => /%#([0-9a-f]+)%/.exec(it.idComment)?.[1] ?? null;

/** The item at `i` and its subtasks (the lines after it with a deeper level). */
export function blockEnd(lines: Line[], i: number): number {
  const it = lines[i] as Item;
  let j = i + 1;
  while (j < lines.length) {
    const l = lines[j];
    if (l.kind === 'item' && l.level > it.level) j++;
    else if (
      l.kind === 'other' &&
      l.text.trim() !== '' &&
      j + 1 < lines.length &&
      lines[j + 1].kind === 'item' &&
      (lines[j + 1] as Item).level > it.level &&
      /^\s+\S/.test(l.text)
    )
      j++;
    else break;
  }
  return j;
}

export function headingIndex(lines: Line[], heading: string): number {
  return lines.findIndex((l) => l.kind === 'heading' && l.text.replace(/^\*+ /, '').trim() === heading);
}

/** Where a new item under `heading` goes: after the heading's last line before the next heading. */
export function endOfHeading(lines: Line[], heading: string): number {
  const h = headingIndex(lines, heading);
  if (h < 0) return lines.length;
  let j = h + 1;
  while (j < lines.length && lines[j].kind !== 'heading') j++;
  // Before trailing blank lines.
  while (j > h + 1 && lines[j - 1].kind === 'other' && (lines[j - 1] as { text: string }).text.trim() === '') j--;
  return j;
}

export function setExtra(it: Item, prefix: '#' | '<', value: string | null): void {
  it.extras = it.extras.filter((e) => !e.trim().startsWith(prefix));
  if (value !== null) {
    const e = `${prefix} ${value}`;
    // Priority before dates, as the engine writes them.
    if (prefix === '#') it.extras.unshift(e);
    else it.extras.push(e);
  }
}
