/**
 * The schedule section's text: the blocks by start time, then the section's other lines (the
 * user's notes) as they were. Written into the note in place of the section's content, or, in
 * a note without one, as a new `* Schedule` heading at its end. Only the section changes.
 */
import { ChangeSet } from '@codemirror/state';
import { applyChanges, lineEnding } from '../../graph/index.js';
import { homeLink, lineSafe } from '../mirror.js';
import type { PlanTask } from '../tasks.js';
import { blockLine } from './blockline.js';
import { DEFAULT_PARAMS } from './frame.js';
import type { TagAt } from './note.js';
import type { Block } from './types.js';

/** A line of the section; a verbatim one is the user's, written back byte for byte. */
export interface SectionLine {
  text: string;
  verbatim: boolean;
}

export function sectionLines(blocks: readonly Block[], kept: readonly string[], tasks: ReadonlyMap<string, PlanTask>, file: string): SectionLine[] {
  const out: SectionLine[] = [];
  for (const b of blocks) {
    const task = b.uuid ? tasks.get(b.uuid) : undefined;
    // A pinned block no task stands behind is the user's line, byte for byte; so is one marked
    // done (its mark is the user's, and its task left the candidates).
    if (b.pinned && (!task || b.done) && b.raw !== undefined) out.push({ text: b.raw, verbatim: true });
    else out.push({ text: blockLine({ ...b, description: lineSafe(b.description) }, task ? homeLink(task, file) : ''), verbatim: false });
  }
  return [...out, ...kept.map((k) => ({ text: k, verbatim: true }))];
}

export function writeSection(text: string, section: TagAt | null, lines: readonly SectionLine[]): { text: string; changes: ChangeSet } {
  const nl = lineEnding(text);
  let spec: { from: number; to?: number; insert: string };
  if (section) {
    const indent = /^[ \t]*/.exec(text.slice(section.endLineStart, section.endLineStart + 200))![0];
    spec = { from: section.contentFrom, to: section.endLineStart, insert: lines.map((l) => `${l.verbatim ? '' : indent}${l.text}${nl}`).join('') };
  } else {
    const lead = text === '' ? '' : /(\r\n|\r|\n)$/.test(text) ? nl : nl + nl;
    const body = lines.map((l) => `${l.text}${nl}`).join('');
    spec = { from: text.length, insert: `${lead}* Schedule${nl}|planager schedule ${DEFAULT_PARAMS}${nl}${body}|end${nl}` };
  }
  const changes = ChangeSet.of([spec], text.length, nl);
  return { text: applyChanges(text, changes), changes };
}
