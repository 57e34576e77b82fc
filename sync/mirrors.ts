/**
 * Mirrors in the sync: an edit of a mirror is an edit of its task, and every mirror a sync
 * loads shows its task as the sync leaves it.
 *
 * A mirror's *baseline* is what it showed when a sync last wrote or read it (kept in its note's
 * shard). A field the mirror shows differently from its baseline is the user's edit; anything
 * else that differs is the task having changed elsewhere, and the mirror is rewritten. Without
 * a baseline (a plan note made by `planager plan` since the last sync) the task's last known
 * version stands in: plan notes are written from it.
 *
 * The phases (each a function below, called by scope.ts, reconcile.ts and render.ts):
 *   readNoteMirrors → mirrorEdits (which fields each mirror changed) → overlay (the note side
 *   of the task's merge: its home line, with the mirror's changes where the line made none)
 *   → rerender (mirrors rewritten from the tasks' new versions, baselines recorded).
 *
 * Decisions: a field changed both on the home line and in a mirror keeps the home line's value,
 * and the mirror's is logged; two mirrors changing one field, the first note (by path) wins and
 * the other is logged. A pull sends nothing from a mirror: an edited mirror is left as it is
 * (its baseline too) for the next push; so is one whose task's home note cannot be read (not
 * valid UTF-8), until a sync can read it (mirrorscope.ts). A mirror's link and marker are never rewritten here
 * (`planager plan` refreshes links).
 */
import { ChangeSet, type ChangeSpec } from '@codemirror/state';
import { applyChanges, lineEnding, minimal } from '../graph/index.js';
import { changedFields, mirrorHead, readMirrors, shownOf, type MirrorLine, type Shown, type ShownField } from '../plan/mirrorread.js';
import { DATE_FORMS, resolveText } from './dates.js';
import type { LazyUuids } from './ids.js';
import type { LogEntry } from './log.js';
import { fromTw, type Fields, type PriorityMap } from './mapping.js';
import type { NoteChange } from './report.js';
import type { TwTask } from './taskwarrior.js';

/** What a mirror showed when a sync last saw it, with the marker's id. */
export interface MirrorBase {
  id: string;
  shown: Shown;
}

/** A note's mirrors' baselines, by task uuid. */
export type MirrorBases = Record<string, MirrorBase>;

export interface MirrorEdit {
  uuid: string;
  file: string;
  line: number;
  /** The fields the mirror changed, as values of the task (dates resolved). */
  fields: Partial<Pick<Fields, ShownField>>;
  /** Values other mirrors gave the same fields and lost (logged). */
  lost: { file: string; fields: Partial<Pick<Fields, ShownField>> }[];
  /** A task no note holds: fields Taskwarrior changed too since the mirror showed them (it wins). */
  twWon?: Partial<Pick<Fields, ShownField>>;
}

export interface NoteMirrors {
  file: string;
  lines: MirrorLine[];
  /** The uuid of each line's task, where it could be told (same order as lines). */
  uuids: (string | null)[];
}

/**
 * The task a marker names: its baseline's, else the one task the catalog knows with that
 * prefix (null: not known to the notes; the caller may look in Taskwarrior).
 */
export function readNoteMirrors(file: string, text: string, bases: MirrorBases | undefined, known: LazyUuids): NoteMirrors {
  const lines = readMirrors(text);
  const byId = new Map(Object.entries(bases ?? {}).map(([u, b]) => [b.id, u]));
  const uuids = lines.map((l) => {
    const b = byId.get(l.id);
    if (b) return b;
    const hits = known.get().withPrefix(l.id);
    return hits.length === 1 ? hits[0] : null;
  });
  return { file, lines, uuids };
}

/** The same note's mirrors read from a new text (after task edits), tasks told by marker. */
export function reread(n: NoteMirrors, text: string, added?: Map<string, string>): NoteMirrors {
  const byId = new Map<string, string | null>(added ?? []);
  n.lines.forEach((l, i) => byId.set(l.id, n.uuids[i]));
  const lines = readMirrors(text);
  return { file: n.file, lines, uuids: lines.map((l) => byId.get(l.id) ?? null) };
}

/** Shown values of a Taskwarrior version. */
export function shownOfTw(t: TwTask, priorities: PriorityMap): Shown | null {
  return shownOf(taskOfFields(fromTw(t, priorities)));
}

function taskOfFields(f: Pick<Fields, 'status' | 'priority' | 'due' | 'scheduled' | 'description'>) {
  return {
    status: f.status,
    priority: f.priority,
    due: f.due ? new Date(f.due) : null,
    scheduled: f.scheduled ? new Date(f.scheduled) : null,
    description: f.description,
  };
}

/**
 * The mirrors' edits: per task, the fields a mirror shows differently from its baseline (or,
 * with none, from the task's last known version, `current`). Notes in path order.
 */
export function mirrorEdits(
  notes: NoteMirrors[],
  bases: (file: string) => MirrorBases | undefined,
  current: (uuid: string) => Shown | null,
  now: Date,
  warnings: string[],
  /** Mirrors showing something that cannot be sent (an unreadable date, no text): left as the user wrote them. */
  held: Set<string> = new Set(),
): Map<string, MirrorEdit> {
  const out = new Map<string, MirrorEdit>();
  for (const n of [...notes].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    n.lines.forEach((l, i) => {
      const u = n.uuids[i];
      if (!u || !l.shown) return;
      const was = bases(n.file)?.[u]?.shown ?? current(u);
      if (!was) return;
      const fields: MirrorEdit['fields'] = {};
      for (const f of changedFields(was, l.shown)) {
        const v = fieldValue(f, l.shown, now);
        if (!v.ok) {
          warnings.push(`${n.file}:${l.line}: ${v.why}`);
          held.add(u);
          continue;
        }
        (fields as Record<string, unknown>)[f] = v.value;
      }
      if (Object.keys(fields).length === 0) return;
      const prev = out.get(u);
      if (!prev) {
        out.set(u, { uuid: u, file: n.file, line: l.line, fields, lost: [] });
        return;
      }
      const lost: MirrorEdit['fields'] = {};
      for (const [f, v] of Object.entries(fields)) {
        if (f in prev.fields) (lost as Record<string, unknown>)[f] = v;
        else (prev.fields as Record<string, unknown>)[f] = v;
      }
      if (Object.keys(lost).length > 0) prev.lost.push({ file: n.file, fields: lost });
    });
  }
  return out;
}

/** A shown field as the task's value, or why it cannot be one (the mirror is then left as it is). */
function fieldValue(f: ShownField, s: Shown, now: Date): { ok: true; value: unknown } | { ok: false; why: string } {
  if (f === 'description' && s.description.trim() === '')
    return { ok: false, why: 'a mirror with no text: its task keeps its description (write the text, or delete the line to drop the mirror)' };
  if (f !== 'due' && f !== 'scheduled') return { ok: true, value: s[f] };
  const text = s[f];
  if (text === null) return { ok: true, value: null };
  const d = resolveText(text, now);
  if (d) return { ok: true, value: d.toISOString() };
  return {
    ok: false,
    why: `cannot read the date "${text}" of a mirror; its task keeps its value (dates read: ${DATE_FORMS})`,
  };
}

/**
 * The note side of a task's merge: its home line's fields, with a mirror's changes to fields
 * the line left as they were (`base`). Each mirror value that loses to the line's is logged.
 */
export function overlay(line: Fields, base: Fields | null, edit: MirrorEdit | undefined, logged: LogEntry, log: LogEntry[]): Fields {
  if (!edit) return line;
  const out: Fields = { ...line };
  const lost: LogEntry['fields'] = {};
  for (const [f, v] of Object.entries(edit.fields) as [ShownField, unknown][]) {
    const lineChanged = base !== null && line[f] !== base[f];
    if (lineChanged && line[f] !== v) lost[f] = { lost: v, kept: line[f] };
    else if (!lineChanged) (out as unknown as Record<string, unknown>)[f] = v;
  }
  for (const l of edit.lost)
    for (const [f, v] of Object.entries(l.fields)) (lost as Record<string, unknown>)[f] = { lost: v, kept: (out as unknown as Record<string, unknown>)[f] };
  if (Object.keys(lost).length > 0) log.push({ ...logged, fields: lost, version: { ...line, ...edit.fields } as Fields, file: edit.file });
  return out;
}

export interface Rerendered {
  change: NoteChange | null;
  bases: MirrorBases;
}

/**
 * A note's mirrors rewritten to show their tasks' new versions (`after`: uuid → version, null
 * when unknown), head only, minimal changes; and the baselines to record. A mirror in `keep`
 * (its edit not sent yet: a pull) keeps its text and its old baseline.
 */
export function rerender(
  n: NoteMirrors,
  text: string,
  change: NoteChange | null,
  after: (uuid: string) => Fields | null,
  oldBases: MirrorBases | undefined,
  keep: ReadonlySet<string>,
): Rerendered {
  const specs: ChangeSpec[] = [];
  const bases: MirrorBases = {};
  n.lines.forEach((l, i) => {
    const u = n.uuids[i];
    if (!u || !l.shown) return;
    if (keep.has(u)) {
      const old = oldBases?.[u];
      if (old) bases[u] = old;
      return;
    }
    const v = after(u);
    if (!v) {
      bases[u] = { id: l.id, shown: l.shown };
      return;
    }
    const head = mirrorHead(taskOfFields(v), l.shown);
    specs.push(...minimal(text, l.headFrom, l.headTo, head));
    bases[u] = { id: l.id, shown: shownOf(taskOfFields(v), l.shown) ?? l.shown };
  });
  if (specs.length === 0) return { change, bases };
  const next = applyChanges(text, ChangeSet.of(specs, text.length, lineEnding(text)));
  return { change: { file: n.file, before: change?.before ?? text, after: next, edits: change?.edits ?? [] }, bases };
}
