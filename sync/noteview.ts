/**
 * What a note line shows for a Taskwarrior value. Most values show as they are; a description
 * may hold what one norg line cannot (a line break, leading or trailing spaces, text that reads
 * as an id comment), and the line then shows it altered (graph/patch.ts `noteSafe`). The merge
 * compares the note with this view, so an altered display never reads as the user's edit, and
 * Taskwarrior keeps its exact value until the user really changes the text. Pure.
 */
import { noteSafe, WorkspaceGraph } from '../graph/index.js';
import type { Fields } from './mapping.js';

// Nothing a line would alter: no line break or NUL, no edge spaces, no `%#`.
const PLAIN = /^(?!\s)(?!.*\s$)(?!.*%#)[^\r\n\0]*$/s;

export function noteView(field: keyof Fields, value: unknown): unknown {
  if (field !== 'description' || typeof value !== 'string' || PLAIN.test(value)) return value;
  return descriptionShown(value);
}

const shownCache = new Map<string, string>();

/** The description a note line reads back after it was written with `d`: the parser decides. */
function descriptionShown(d: string): string {
  const hit = shownCache.get(d);
  if (hit !== undefined) return hit;
  const g = new WorkspaceGraph({ propagate: false, derive: false });
  g.setFile('view.norg', `- ( ) ${noteSafe(d)}\n`);
  const shown = g.objects('view.norg')?.tasks[0]?.description ?? d;
  if (shownCache.size > 1000) shownCache.clear();
  shownCache.set(d, shown);
  return shown;
}
