/**
 * Generated sections: a standard ranged tag named `planager` whose parameter names the section,
 *
 *   |planager overdue
 *   - ( |< Wed 2nd Dec 2026) Pay the rent {:../../../home:* Bills}[home: Bills] %@1a2b3c4d%
 *   |end
 *
 * Norg allows any name for a `|` tag and parses its content as ordinary norg (unlike `@` tags,
 * whose content is verbatim), so Neorg renders the mirrors inside as todo items, and the tag
 * lines mark where Planager may add lines. Everything else inside is the user's.
 */
import { isInertTag, walk, type Tree } from '../parser/index.js';

export const SECTIONS = ['overdue', 'due', 'scheduled', 'started', 'waiting', 'completed', 'carried', 'projects', 'stats'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface Section {
  name: SectionName;
  /** Start of the line after `|planager NAME`, and of the `|end` line: new lines go there. */
  contentFrom: number;
  endLineStart: number;
}

export interface FoundSections {
  sections: Section[];
  /** `|planager` tags that name no section, or close nowhere: left alone, said so. */
  warnings: string[];
}

export function isSectionName(s: string | undefined): s is SectionName {
  return s !== undefined && (SECTIONS as readonly string[]).includes(s);
}

export function findSections(tree: Tree): FoundSections {
  const sections: Section[] = [];
  const warnings: string[] = [];
  walk(tree, (n, from) => {
    if (n.kind === 'ranged_verbatim_tag' || n.kind === 'quote') return false;
    if (n.kind !== 'ranged_tag' || n.data?.type !== 'tag') return true;
    if (isInertTag(n.data)) return false;
    if (n.data.name !== 'planager') return true;
    const line = tree.lines.lineAt(from) + 1;
    const name = n.data.params[0];
    if (name === 'view') return true; // a viewport (views.ts)
    if (name === 'schedule' || name === 'fixed') return true; // the day's schedule (schedule/note.ts)
    const end = n.children.find((c) => c.kind === 'ranged_tag_end');
    if (!isSectionName(name)) warnings.push(`line ${line}: |planager ${name ?? ''} names no section (${SECTIONS.join(', ')}); left as it is`);
    else if (!end) warnings.push(`line ${line}: |planager ${name} has no |end; left as it is`);
    else {
      const endAt = from + end.from;
      const contentFrom = tree.lines.lineStart(Math.min(tree.lines.lineAt(from) + 1, tree.lines.lineAt(endAt)));
      sections.push({ name, contentFrom, endLineStart: tree.lines.lineStart(tree.lines.lineAt(endAt)) });
    }
    return true;
  });
  return { sections, warnings };
}

/** The empty section, as a template places it. */
export function emptySection(name: SectionName, nl = '\n'): string {
  return `|planager ${name}${nl}|end`;
}
