/**
 * One task line, three versions (base, ours, theirs), merged field by field: the notes' merge
 * driver's task rule (sync/notemerge.ts). Pure.
 *
 * A task line as Planager writes it: `PREFIX (EXT) TEXT %#id%`, the extension's parts split on
 * `|` and keyed by what they say (the status, `#` priority, `<` due, `>` scheduled, `@`
 * timestamp). Each part, the text and the prefix (the nesting) are merged on their own: a field
 * changed on one side takes that side; changed on both, differently, the newer side wins
 * (`prefer`, decided by the caller from the times it knows) and the losing value is reported.
 * A line that does not read as this shape is merged whole, by the same rule.
 */

export type Side = 'ours' | 'theirs';

/** The merge's field names, in the sync's terms where there is one (sync/mapping.ts Fields). */
export type LineField = 'status' | 'priority' | 'due' | 'scheduled' | 'timestamp' | 'description' | 'nesting' | 'extension' | 'line';

export interface LineConflict {
  field: LineField;
  kept: string | null;
  lost: string | null;
  winner: Side;
}

interface Parsed {
  prefix: string;
  parts: Map<string, string>;
  gap: string;
  text: string;
  id: string;
  tail: string;
}

const LINE = /^(\s*(?:[-~]+|\*+)\s+)\(([^()\n]*)\)(\s+)(.*?)(\s*%#[0-9a-f]{4,32}%)(\s*)$/;
const STATUS_CHARS = new Set([' ', 'x', '-', '=', '_', '!', '?']);
const KEYS: Record<string, LineField> = { '#': 'priority', '<': 'due', '>': 'scheduled', '@': 'timestamp' };

function keyOf(part: string): string {
  if ((part.length === 1 && STATUS_CHARS.has(part)) || part.startsWith('+')) return 'status';
  return KEYS[part[0]] ?? `other:${part}`;
}

export function parseTaskLine(line: string): Parsed | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const parts = new Map<string, string>();
  for (const p of m[2].split('|')) {
    const k = keyOf(p);
    if (parts.has(k)) return null; // two statuses or two dues: not ours to take apart
    parts.set(k, p);
  }
  return { prefix: m[1], parts, gap: m[3], text: m[4], id: m[5], tail: m[6] };
}

function print(p: Parsed): string {
  return `${p.prefix}(${[...p.parts.values()].join('|')})${p.gap}${p.text}${p.id}${p.tail}`;
}

/** The three-way rule for one value; undefined means absent on that side. */
function pick<T>(base: T | undefined, ours: T | undefined, theirs: T | undefined, prefer: Side): { value: T | undefined; lost?: T | undefined } {
  if (ours === theirs) return { value: ours };
  if (base === ours) return { value: theirs };
  if (base === theirs) return { value: ours };
  return prefer === 'ours' ? { value: ours, lost: theirs } : { value: theirs, lost: ours };
}

/** A part's key is its field's name, or `other:TEXT` for a part the sync does not read. */
function fieldName(key: string): LineField {
  return key.startsWith('other:') ? 'extension' : (key as LineField);
}

/**
 * The merged line and what it overwrote. `base` is null when the task is new on both sides
 * (a copy carrying the same id): every difference is then a conflict.
 */
export function mergeTaskLine(base: string | null, ours: string, theirs: string, prefer: Side): { line: string; conflicts: LineConflict[] } {
  if (ours === theirs) return { line: ours, conflicts: [] };
  if (base === ours) return { line: theirs, conflicts: [] };
  if (base === theirs) return { line: ours, conflicts: [] };
  const pb = base === null ? null : parseTaskLine(base);
  const po = parseTaskLine(ours);
  const pt = parseTaskLine(theirs);
  const winner = prefer;
  if (!po || !pt || (base !== null && !pb)) {
    const keep = prefer === 'ours' ? ours : theirs;
    return { line: keep, conflicts: [{ field: 'line', kept: keep, lost: prefer === 'ours' ? theirs : ours, winner }] };
  }
  const conflicts: LineConflict[] = [];
  const one = (field: LineField, b: string | undefined, o: string | undefined, t: string | undefined): string | undefined => {
    const r = pick(b, o, t, prefer);
    if ('lost' in r) conflicts.push({ field, kept: r.value ?? null, lost: r.lost ?? null, winner });
    return r.value;
  };
  const out: Parsed = {
    prefix: one('nesting', pb?.prefix, po.prefix, pt.prefix) ?? po.prefix,
    parts: new Map(),
    gap: po.gap,
    text: one('description', pb?.text, po.text, pt.text) ?? po.text,
    id: po.id,
    tail: po.tail,
  };
  // Ours' order of parts, then theirs' new ones; the status stays first (a task needs it).
  const keys = [...new Set(['status', ...po.parts.keys(), ...pt.parts.keys()])];
  for (const k of keys) {
    const v = one(fieldName(k), pb?.parts.get(k), po.parts.get(k), pt.parts.get(k));
    if (v !== undefined) out.parts.set(k, v);
  }
  if (!out.parts.has('status')) out.parts.set('status', po.parts.get('status') ?? ' ');
  return { line: print(out), conflicts };
}
