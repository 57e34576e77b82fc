/**
 * Capture: a new task line under its project's heading, or in the inbox note. The heading is
 * found as the sync finds a task's home (the note's base project and its heading titles,
 * dot-joined); the note holding the longest part of the project wins, and the missing headings
 * below it are created. Only the note changes: the next sync creates the task.
 */
import type { ChangeSet } from '@codemirror/state';
import { applyChanges, extractObjects, patchFile, type NoteOutline } from '../graph/index.js';
import { parse } from '../parser/index.js';
import type { PlanError } from './day.js';

export interface Captured {
  file: string;
  headingPath: string[];
  /** 1-based line of the new task in the new text. */
  line: number;
  text: string;
  changes: ChangeSet;
  created: boolean;
}

const segment = (title: string) => title.replace(/\./g, '_');

/** Where a task of `project` goes: the note and the heading path (existing part first). */
export function captureTarget(notes: readonly NoteOutline[], project: string | null, inbox: string): { file: string; headingPath: string[] } {
  if (!project) return { file: inbox, headingPath: [] };
  const want = project.split('.');
  let best: { file: string; headingPath: string[]; depth: number } | null = null;
  const consider = (file: string, have: string[], path: string[]) => {
    if (have.length > want.length || !have.every((x, i) => x === want[i])) return;
    if (!best || have.length > best.depth) best = { file, headingPath: [...path, ...want.slice(have.length)], depth: have.length };
  };
  for (const n of notes) {
    const base = n.baseProject ? n.baseProject.split('.') : [];
    if (base.length > 0) consider(n.file, base, []);
    for (const p of n.projects) consider(n.file, [...base, ...p.path.map(segment)], p.path);
  }
  const found = best as { file: string; headingPath: string[]; depth: number } | null;
  return found && found.depth > 0 ? { file: found.file, headingPath: found.headingPath } : { file: inbox, headingPath: want };
}

/** The capture as an edit of the target note (`text` null: the note does not exist yet). */
export function capture(target: { file: string; headingPath: string[] }, text: string | null, description: string): Captured | PlanError {
  const desc = description.replace(/\s+/g, ' ').trim();
  if (!desc) return { code: 'bad-option', message: 'nothing to capture: give the task text' };
  const before = text ?? '';
  const objects = extractObjects(parse(before), target.file);
  const p = patchFile(before, objects, [{ op: 'add', headingPath: target.headingPath, task: { status: 'undone', description: desc } }]);
  const after = applyChanges(before, p.changes);
  let at = 0;
  p.changes.iterChanges((fromA) => (at = fromA));
  const added = extractObjects(parse(after), target.file).tasks.find((t) => !t.id && t.spans.lineStart >= at);
  return { file: target.file, headingPath: target.headingPath, line: added ? added.line : 1, text: after, changes: p.changes, created: text === null };
}
