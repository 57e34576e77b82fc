/**
 * A task's description as written: its paragraph segments joined with single spaces, the id
 * comment (and the space before it) cut out, with a map from each character back to the
 * source (for minimal edits), the id, and the links it holds. One implementation for the CLI's
 * `planager tasks` and for sync, so the two always agree.
 */
import type { LinkTarget, SyntaxNode } from './types.js';

/** The task id comment: `%#1a2b3c4d%` (hex, 4 to 32 digits). */
export const ID_COMMENT = /^%#([0-9a-f]{4,32})%$/;

type Span = { from: number; to: number };

export interface Described {
  text: string;
  span: { from: number; to: number };
  map: number[];
  firstLineEnd: number;
  id: string | null;
  idSpan: { from: number; to: number } | null;
  links: LinkTarget[];
}

/**
 * The description of a task from its paragraph segments: text joined with single spaces, the
 * id comment and the spaces before it removed, and a map from each character back to the source.
 */
export function describe(text: string, segs: { n: SyntaxNode; from: number }[], fallback: number): Described {
  let out = '';
  const map: number[] = [];
  let id: string | null = null;
  let idSpan: Span | null = null;
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
    let brk = -1;
    for (const p of pieces) {
      for (let i = p.from; i < p.to; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13) {
          if (brk < 0) brk = i;
          continue;
        }
        if (brk >= 0 && (c === 32 || c === 9)) continue;
        if (brk >= 0) {
          if (!out.endsWith(' ')) {
            out += ' ';
            map.push(brk);
          }
          brk = -1;
        }
        out += text[i];
        map.push(i);
      }
    }
    if (si < segs.length - 1 && out.length > 0 && !out.endsWith(' ')) {
      out += ' ';
      map.push(segTo);
    }
  });
  // Trim, keeping the map in step.
  let a = 0;
  let b = out.length;
  while (a < b && (out[a] === ' ' || out[a] === '\t')) a++;
  while (b > a && (out[b - 1] === ' ' || out[b - 1] === '\t')) b--;
  const textOut = out.slice(a, b);
  const m = map.slice(a, b);
  const from = m.length > 0 ? m[0] : segs.length > 0 ? segs[0].from : fallback;
  const to = m.length > 0 ? m[m.length - 1] + 1 : from;
  m.push(to);
  // A plain array: a typed array per task cost more to allocate than the whole walk (measured).
  return { text: textOut, span: { from, to }, map: m, firstLineEnd, id, idSpan, links };
}

function lineContentEnd(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  while (i > pos && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}
