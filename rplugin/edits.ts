/**
 * The one place where host positions (UTF-16 offsets) become Neovim's (row, byte column):
 * a change from `before` to `after` as nvim_buf_set_text edits, last first so that earlier
 * positions stay valid while they are applied. Only the changed bytes are sent.
 */
import { ChangeSet } from '@codemirror/state';
import { LineIndex } from '../parser/index.js';

/** [start_row, start_col, end_row, end_col, replacement lines] (0-based, bytes). */
export type NvimEdit = [number, number, number, number, string[]];

export function editsFromChanges(before: string, changes: ChangeSet): NvimEdit[] {
  const idx = new LineIndex(before);
  const out: NvimEdit[] = [];
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    const [sr, sc] = idx.toNvim(fromA);
    const [er, ec] = idx.toNvim(toA);
    out.push([sr, sc, er, ec, inserted.toString().split(/\r\n|\r|\n/)]);
  });
  return out.reverse();
}

/** The smallest edits turning `before` into `after` (common prefix and suffix trimmed). */
export function editsBetween(before: string, after: string): NvimEdit[] {
  if (before === after) return [];
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  // Do not split a surrogate pair.
  if (p > 0 && before.charCodeAt(p - 1) >= 0xd800 && before.charCodeAt(p - 1) <= 0xdbff) p--;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  if (s > 0 && before.charCodeAt(before.length - s) >= 0xdc00 && before.charCodeAt(before.length - s) <= 0xdfff) s--;
  return editsFromChanges(before, ChangeSet.of([{ from: p, to: before.length - s, insert: after.slice(p, after.length - s) }], before.length));
}

/** Several separate edits: diff line by line so that distant changes stay separate and small. */
export function editsByLine(before: string, after: string): NvimEdit[] {
  if (before === after) return [];
  const a = before.split('\n');
  const b = after.split('\n');
  // Common head and tail lines, then a minimal edit inside the differing middle per line pair
  // where the line counts agree, else one edit for the middle block.
  let h = 0;
  while (h < a.length && h < b.length && a[h] === b[h]) h++;
  let t = 0;
  while (t < a.length - h && t < b.length - h && a[a.length - 1 - t] === b[b.length - 1 - t]) t++;
  const am = a.slice(h, a.length - t);
  const bm = b.slice(h, b.length - t);
  const lineStart = (lines: string[], row: number) => lines.slice(0, row).reduce((n, l) => n + l.length + 1, 0);
  const specs: { from: number; to: number; insert: string }[] = [];
  if (am.length === bm.length) {
    let off = lineStart(a, h);
    for (let i = 0; i < am.length; i++) {
      if (am[i] !== bm[i]) {
        let p = 0;
        const x = am[i];
        const y = bm[i];
        while (p < x.length && p < y.length && x[p] === y[p]) p++;
        let s = 0;
        while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++;
        specs.push({ from: off + p, to: off + x.length - s, insert: y.slice(p, y.length - s) });
      }
      off += am[i].length + 1;
    }
    return editsFromChanges(before, ChangeSet.of(specs, before.length));
  }
  return editsBetween(before, after);
}
