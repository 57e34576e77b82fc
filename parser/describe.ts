/**
 * A task's description as written: its paragraph segments joined with single spaces, the id
 * comment (and the space before it) cut out, with a map from each character back to the
 * source (for minimal edits), the id, and the links it holds. One implementation for the CLI's
 * `planager tasks` and for sync, so the two always agree.
 */
import type { LinkTarget, SyntaxNode } from './types.js';

/** The task id comment: `%#1a2b3c4d%` (hex, 4 to 32 digits). */
export const ID_COMMENT = /^%#([0-9a-f]{4,32})%$/;

/**
 * The mirror marker: `%@1a2b3c4d%` names a task whose home is elsewhere (a plan note's copy of
 * it). It is not the id comment on purpose: the sync, the graph and the duplicate-id rule only
 * know `%#…%`, so a mirror can never be taken for a second home of its task. `@` reads as
 * "at": the task is at another place. A line with both keeps being a task (its id wins), so a
 * description that happens to hold the marker never turns a home line into a mirror.
 */
export const MIRROR_COMMENT = /^%@([0-9a-f]{4,32})%$/;

type Span = { from: number; to: number };

export interface Described {
  text: string;
  span: { from: number; to: number };
  /**
   * Where each character came from, run-length encoded: triples (index in `text`, source
   * offset, length), in order; `sourceAt` reads it. Most descriptions are one run, so this is
   * three numbers instead of one per character.
   */
  runs: number[];
  firstLineEnd: number;
  id: string | null;
  idSpan: { from: number; to: number } | null;
  /** The mirror marker's id when the text has one and no id comment: the line is a mirror, not a task. */
  mirror: string | null;
  mirrorSpan: { from: number; to: number } | null;
  links: LinkTarget[];
}

/**
 * The description of a task from its paragraph segments: text joined with single spaces, the
 * id comment and the spaces before it removed, and a map from each character back to the source.
 */
export function describe(text: string, segs: { n: SyntaxNode; from: number }[], fallback: number): Described {
  // The output as parts joined once at the end, its length and last character tracked apart:
  // reading the end of a string built with += flattens it, and a description of 60,000 lines
  // (a heading task over a 5 MB body) took minutes that way.
  const parts: string[] = [];
  let outLength = 0;
  let lastChar = -1;
  const append = (x: string): void => {
    if (x.length === 0) return;
    parts.push(x);
    outLength += x.length;
    lastChar = x.charCodeAt(x.length - 1);
  };
  // Runs of the untrimmed output: (out index, source offset, length) triples.
  const runs: number[] = [];
  const emit = (src: number, len: number): void => {
    const k = runs.length - 3;
    if (k >= 0 && runs[k] + runs[k + 2] === outLength && runs[k + 1] + runs[k + 2] === src) runs[k + 2] += len;
    else runs.push(outLength, src, len);
  };
  let id: string | null = null;
  let idSpan: Span | null = null;
  let mirror: string | null = null;
  let mirrorSpan: Span | null = null;
  const links: LinkTarget[] = [];
  let firstLineEnd = fallback;
  segs.forEach((s, si) => {
    const segFrom = s.from;
    const segTo = s.from + s.n.length;
    if (si === 0) firstLineEnd = lineContentEnd(text, segFrom);
    // Pieces of the segment with the id comments cut out.
    const cuts: Span[] = [];
    for (const c of s.n.children) {
      const cf = segFrom + c.from;
      if (c.kind === 'inline_comment') {
        const m = ID_COMMENT.exec(text.slice(cf, cf + c.length));
        if (m) {
          if (!id) {
            id = m[1];
            idSpan = { from: cf, to: cf + c.length };
          }
          let cs = cf;
          while (cs > segFrom && (text[cs - 1] === ' ' || text[cs - 1] === '\t')) cs--;
          cuts.push({ from: cs, to: cf + c.length });
        } else if (!mirror) {
          const mm = MIRROR_COMMENT.exec(text.slice(cf, cf + c.length));
          if (mm) {
            mirror = mm[1];
            mirrorSpan = { from: cf, to: cf + c.length };
          }
        }
      }
      if (c.kind === 'link' && c.data?.type === 'link') links.push(c.data.target);
    }
    let at = segFrom;
    const pieces: Span[] = [];
    for (const cut of cuts) {
      if (cut.from > at) pieces.push({ from: at, to: cut.from });
      at = Math.max(at, cut.to);
    }
    if (segTo > at) pieces.push({ from: at, to: segTo });
    // A segment spans lines only when markup runs over a line end: the line break and the
    // indentation after it read as one space, as in the CLI's description.
    // Copied a run at a time (not a character at a time: that made the string and the map
    // the bulk of extraction's allocations).
    let brk = -1;
    for (const p of pieces) {
      let i = p.from;
      while (i < p.to) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13) {
          if (brk < 0) brk = i;
          i++;
          continue;
        }
        if (brk >= 0 && (c === 32 || c === 9)) {
          i++;
          continue;
        }
        if (brk >= 0) {
          if (outLength === 0 || lastChar !== 32) {
            emit(brk, 1);
            append(' ');
          }
          brk = -1;
        }
        let j = i + 1;
        while (j < p.to) {
          const d = text.charCodeAt(j);
          if (d === 10 || d === 13) break;
          j++;
        }
        emit(i, j - i);
        append(text.slice(i, j));
        i = j;
      }
    }
    if (si < segs.length - 1 && outLength > 0 && lastChar !== 32) {
      emit(segTo, 1);
      append(' ');
    }
  });
  const out = parts.length === 1 ? parts[0] : parts.join('');
  // Trim, keeping the runs in step.
  let a = 0;
  let b = out.length;
  while (a < b && (out[a] === ' ' || out[a] === '\t')) a++;
  while (b > a && (out[b - 1] === ' ' || out[b - 1] === '\t')) b--;
  const textOut = out.slice(a, b);
  const trimmed: number[] = [];
  for (let k = 0; k < runs.length; k += 3) {
    const s0 = Math.max(runs[k], a);
    const e0 = Math.min(runs[k] + runs[k + 2], b);
    if (e0 > s0) trimmed.push(s0 - a, runs[k + 1] + (s0 - runs[k]), e0 - s0);
  }
  const from = trimmed.length > 0 ? trimmed[1] : segs.length > 0 ? segs[0].from : fallback;
  const last = trimmed.length - 3;
  const to = last >= 0 ? trimmed[last + 1] + trimmed[last + 2] : from;
  const isMirror = id === null && mirror !== null;
  return {
    text: textOut,
    span: { from, to },
    runs: trimmed,
    firstLineEnd,
    id,
    idSpan,
    mirror: isMirror ? mirror : null,
    mirrorSpan: isMirror ? mirrorSpan : null,
    links,
  };
}

/**
 * Source offset of character `i` of a description (`i` = its length: the end of the last
 * character), from its runs.
 */
export function sourceAt(runs: readonly number[], end: number, i: number): number {
  for (let k = 0; k < runs.length; k += 3) if (i >= runs[k] && i < runs[k] + runs[k + 2]) return runs[k + 1] + (i - runs[k]);
  return end;
}

function lineContentEnd(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  while (i > pos && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}
