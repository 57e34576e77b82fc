/**
 * Detached modifier extensions: `( )`, `(x|# A|< Fri 27th Nov)` after a detached modifier.
 *
 * The extension is valid only if every `|`-separated part is one of the spec's forms and the
 * closing `)` is followed by whitespace or the end of the line; otherwise the `(` is plain
 * text (`- (optional) text`). It may span lines (a long date), never a blank line, and is at
 * most MAX_LENGTH characters so that a line full of `(` stays linear to parse.
 */
import { parseDate } from './dates.js';
import { node, type NodeKind, type SyntaxNode } from './types.js';

const MAX_LENGTH = 256;

const STATUS: Record<string, NodeKind> = {
  ' ': 'todo_item_undone',
  x: 'todo_item_done',
  '-': 'todo_item_pending',
  '=': 'todo_item_on_hold',
  _: 'todo_item_cancelled',
  '!': 'todo_item_urgent',
  '?': 'todo_item_uncertain',
  '+': 'todo_item_recurring',
};

const VALUED: Record<string, NodeKind> = { '#': 'priority', '@': 'timestamp', '<': 'due', '>': 'start', '+': 'todo_item_recurring' };

export interface ExtensionMatch {
  node: SyntaxNode; // `from` relative to `base`
  end: number; // absolute offset just after `)`
}

/** How far the last parseExtension call read (absolute): the lookahead its answer depends on. */
export let extensionLooked = 0;

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

/** Try to read an extension whose `(` is at `pos`. Returns null when the text is not one. */
export function parseExtension(text: string, pos: number, base: number): ExtensionMatch | null {
  extensionLooked = pos + 1;
  if (text.charCodeAt(pos) !== 40 /* ( */) return null;
  const limit = Math.min(text.length, pos + MAX_LENGTH);
  extensionLooked = limit;
  let close = -1;
  let lineHadText = true;
  for (let i = pos + 1; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 41 /* ) */) {
      close = i;
      break;
    }
    if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (!lineHadText) {
        extensionLooked = i + 1;
        return null;
      }
      lineHadText = false;
      continue;
    }
    if (!isWs(c)) lineHadText = true;
  }
  if (close < 0) return null;
  extensionLooked = close + 2;
  const after = text.charCodeAt(close + 1);
  if (!(close + 1 >= text.length || isWs(after) || after === 10 || after === 13)) return null;

  const parts: SyntaxNode[] = [];
  let partStart = pos + 1;
  const extFrom = pos - base;
  for (let i = pos + 1; i <= close; i++) {
    if (i < close && text.charCodeAt(i) !== 124 /* | */) continue;
    const part = parsePart(text, partStart, i, pos);
    if (!part) return null;
    parts.push(part);
    partStart = i + 1;
  }
  return { node: node('detached_modifier_extension', extFrom, close + 1 - pos, parts), end: close + 1 };
}

/** One part text[from, to); the node's `from` is relative to the extension start `extStart`. */
function parsePart(text: string, from: number, to: number, extStart: number): SyntaxNode | null {
  const len = to - from;
  if (len === 0) return null;
  const ch = text[from];
  if (len === 1) {
    const kind = STATUS[ch];
    return kind ? node(kind, from - extStart, 1) : null;
  }
  const kind = VALUED[ch];
  // The spec puts a space after the sigil; real notes often leave it out (`(@29 Dec)`).
  if (!kind) return null;
  let vFrom = from + 1;
  while (vFrom < to && /\s/.test(text[vFrom])) vFrom++;
  let vTo = to;
  while (vTo > vFrom && /\s/.test(text[vTo - 1])) vTo--;
  if (vTo <= vFrom) return null;
  const value = text.slice(vFrom, vTo);
  const dataFrom = vFrom - from;
  // Priorities carry their text on the part itself; no timestamp child.
  if (kind === 'priority') return node('priority', from - extStart, len, undefined, 0, { type: 'priority', text: value });
  const child = node('timestamp_data', dataFrom, vTo - vFrom, undefined, 0, { type: 'date', text: value, value: parseDate(value) });
  return node(kind, from - extStart, len, [child]);
}

export const STATUS_NAMES: Record<string, string> = {
  todo_item_undone: 'undone',
  todo_item_done: 'done',
  todo_item_pending: 'pending',
  todo_item_on_hold: 'onhold',
  todo_item_cancelled: 'cancelled',
  todo_item_urgent: 'urgent',
  todo_item_uncertain: 'uncertain',
  todo_item_recurring: 'recurring',
};
