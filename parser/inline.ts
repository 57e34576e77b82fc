/**
 * Inline markup: attached modifiers (`*bold*`, `/italic/`, …, free-form `*| … |*`), link
 * modifiers (`a:*b*:c`), escapes, links `{…}[…]`, anchors `[…]{…}`, inline link targets `<…>`
 * and attributes `(…)` after markup.
 *
 * Rules (norg 1.0): an opening modifier follows the start, whitespace or punctuation and is
 * followed by a non-space; a closing one follows a non-space and is followed by the end,
 * whitespace or punctuation. A doubled modifier (`**`) is plain text. The same modifier does
 * not nest inside itself. Verbatim, inline math and macros take their content as it is.
 *
 * Linear time: a search for a closer that failed from position p is not tried again from any
 * later position for the same modifier (there is no closer after p either).
 */
import { node, type LinkTarget, type NodeKind, type SyntaxNode } from './types.js';

const KIND: (NodeKind | undefined)[] = [];
KIND[42] = 'bold'; // *
KIND[47] = 'italic'; // /
KIND[95] = 'underline'; // _
KIND[45] = 'strikethrough'; // -
KIND[33] = 'spoiler'; // !
KIND[94] = 'superscript'; // ^
KIND[44] = 'subscript'; // ,
KIND[96] = 'verbatim'; // `
KIND[37] = 'inline_comment'; // %
KIND[36] = 'inline_math'; // $
KIND[38] = 'inline_macro'; // &

const RAW = new Set([96, 36, 38]);

// Characters that may start something; everything else is skipped in the hot loop.
const SPECIAL = new Uint8Array(128);
for (const c of '*/_-!^,`%$&\\{[<:') SPECIAL[c.charCodeAt(0)] = 1;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

/** Whitespace, punctuation or the range edge: what may stand beside a modifier. */
function isBoundary(c: number): boolean {
  return Number.isNaN(c) || isWs(c) || !isAlnum(c);
}

interface Result {
  nodes: SyntaxNode[];
  close: number; // absolute offset of the closer, or -1
}

export class InlineParser {
  private failed: number[] = [];
  private end = 0;
  private start = 0;

  constructor(private readonly text: string) {}

  /** Inline nodes of text[from, to); top-level `from`s are relative to `base`. */
  parse(from: number, to: number, base: number): SyntaxNode[] {
    this.failed = [];
    this.end = to;
    this.start = from;
    return this.seq(from, base, 0, false, 0, []).nodes;
  }

  private ch(i: number): number {
    return i < this.start || i >= this.end ? NaN : this.text.charCodeAt(i);
  }

  private canOpen(i: number, c: number, stack: number[]): boolean {
    if (stack.includes(c)) return false;
    const prev = this.ch(i - 1);
    const next = this.ch(i + 1);
    if (prev === c || next === c || Number.isNaN(next) || isWs(next)) return false;
    if (isBoundary(prev)) return true;
    return false;
  }

  private isCloser(i: number, c: number, free: boolean, contentStart: number): boolean {
    const t = this.text;
    if (free) return t.charCodeAt(i) === 124 && this.ch(i + 1) === c;
    if (t.charCodeAt(i) !== c || i <= contentStart) return false;
    const prev = this.ch(i - 1);
    const next = this.ch(i + 1);
    if (isWs(prev) || next === c || prev === c) return false;
    if (next === 58 /* : */ && isAlnum(this.ch(i + 2))) return true;
    return isBoundary(next);
  }

  private seq(pos: number, base: number, closer: number, free: boolean, contentStart: number, stack: number[]): Result {
    const t = this.text;
    const nodes: SyntaxNode[] = [];
    const end = this.end;
    let i = pos;
    while (i < end) {
      const c = t.charCodeAt(i);
      if (closer !== 0 && this.isCloser(i, closer, free, contentStart)) return { nodes, close: i };
      if (c >= 128 || SPECIAL[c] === 0) {
        i++;
        continue;
      }
      if (c === 92 /* \ */) {
        if (i + 1 < end) {
          const w = t.charCodeAt(i + 1) === 13 && t.charCodeAt(i + 2) === 10 ? 3 : 2;
          nodes.push(node('escape_sequence', i - base, w));
          i += w;
        } else i++;
        continue;
      }
      if (c === 58 /* : */) {
        // Link modifier: "word:*markup*" — only counts when markup really opens after it.
        const k = this.ch(i + 1);
        if (isAlnum(this.ch(i - 1)) && KIND[k] !== undefined) {
          const m = this.modifier(i + 1, k, base, stack, true);
          if (m) {
            nodes.push(node('link_modifier', i - base, 1), ...m.nodes);
            i = m.end;
            continue;
          }
        }
        i++;
        continue;
      }
      if (KIND[c] !== undefined) {
        const m = this.canOpen(i, c, stack) ? this.modifier(i, c, base, stack, false) : null;
        if (m) {
          nodes.push(...m.nodes);
          i = m.end;
        } else i++;
        continue;
      }
      if (c === 123 /* { */) {
        const l = this.link(i, base);
        if (l) {
          nodes.push(l.node);
          i = l.end;
          continue;
        }
      } else if (c === 91 /* [ */) {
        const a = this.anchor(i, base);
        if (a) {
          nodes.push(a.node);
          i = a.end;
          continue;
        }
      } else if (c === 60 /* < */) {
        const close = this.bracketed(i, 62);
        if (close > 0) {
          const inner = node('paragraph', 1, close - i - 1);
          nodes.push(node('inline_link_target', i - base, close + 1 - i, [inner]));
          i = close + 1;
          continue;
        }
      }
      i++;
    }
    return { nodes, close: -1 };
  }

  /** Markup opening at i (already known to be allowed to open). */
  private modifier(i: number, c: number, base: number, stack: number[], afterLinkMod: boolean): { nodes: SyntaxNode[]; end: number } | null {
    if (afterLinkMod && !this.canOpenAfterColon(i, c, stack)) return null;
    const failedAt = this.failed[c];
    if (failedAt !== undefined && failedAt <= i) return null;
    const free = this.ch(i + 1) === 124; /* | */
    const contentStart = i + (free ? 2 : 1);
    let close: number;
    let children: SyntaxNode[] = [];
    if (RAW.has(c)) {
      const r = this.rawClose(contentStart, c, free, i);
      close = r.close;
      children = r.escapes;
    } else {
      const r = this.seq(contentStart, i, c, free, contentStart, [...stack, c]);
      close = r.close;
      children = r.nodes;
    }
    if (close < 0) {
      this.failed[c] = i;
      return null;
    }
    const closeEnd = close + (free ? 2 : 1);
    const out: SyntaxNode[] = [];
    let end = closeEnd;
    const attr = this.attribute(closeEnd, i);
    if (attr) {
      children = [...children, attr.node];
      end = attr.end;
    }
    out.push(node(KIND[c]!, i - base, end - i, children));
    if (this.ch(end) === 58 && isAlnum(this.ch(end + 1))) out.push(node('link_modifier', end - base, 1));
    return { nodes: out, end: out.length > 1 ? end + 1 : end };
  }

  private canOpenAfterColon(i: number, c: number, stack: number[]): boolean {
    if (stack.includes(c)) return false;
    const next = this.ch(i + 1);
    return !(next === c || Number.isNaN(next) || isWs(next));
  }

  /** Closer of raw markup (verbatim, math, macro). Only escapes count inside, and only in the non-free form. */
  private rawClose(from: number, c: number, free: boolean, parent: number): { close: number; escapes: SyntaxNode[] } {
    const escapes: SyntaxNode[] = [];
    for (let j = from; j < this.end; j++) {
      if (this.isCloser(j, c, free, from)) return { close: j, escapes };
      if (!free && this.text.charCodeAt(j) === 92 && j + 1 < this.end) {
        escapes.push(node('escape_sequence', j - parent, 2));
        j++;
      }
    }
    return { close: -1, escapes };
  }

  /** `(attribute)` right after markup or a link; `parent` is the node start for relative offsets. */
  private attribute(at: number, parent: number): { node: SyntaxNode; end: number } | null {
    if (this.ch(at) !== 40) return null;
    for (let j = at + 1; j < this.end; j++) {
      const d = this.text.charCodeAt(j);
      if (d === 41) return j > at + 1 ? { node: node('attribute', at - parent, j + 1 - at), end: j + 1 } : null;
      if (d === 10 || d === 13 || d === 40) return null;
    }
    return null;
  }

  /** Offset of the closing char for an opener at i with no inner edge whitespace, or -1. */
  private bracketed(i: number, closeChar: number): number {
    const first = this.ch(i + 1);
    if (Number.isNaN(first) || isWs(first) || first === closeChar) return -1;
    for (let j = i + 1; j < this.end; j++) {
      const d = this.text.charCodeAt(j);
      if (d === closeChar) return isWs(this.text.charCodeAt(j - 1)) ? -1 : j;
      if (d === 10 || d === 13) return -1;
      if (d === 92) j++;
    }
    return -1;
  }

  private link(i: number, base: number): { node: SyntaxNode; end: number } | null {
    const close = this.bracketed(i, 125);
    if (close < 0) return null;
    const inner = this.text.slice(i + 1, close);
    const target = parseLinkTarget(inner);
    const loc = node('link_location', 0, close + 1 - i, [node('link_target', 1, close - i - 1, undefined, target.kind === 'heading' ? target.level : 0)], 0, {
      type: 'link',
      target,
    });
    const children: SyntaxNode[] = [loc];
    let end = close + 1;
    if (this.ch(end) === 91) end = this.description(end, i, children);
    end = this.withAttribute(end, i, children);
    return { node: node('link', i - base, end - i, children, 0, { type: 'link', target }), end };
  }

  /** A `[description]` at `at` (relative to the node at `parent`); returns where it ends. */
  private description(at: number, parent: number, children: SyntaxNode[]): number {
    const dc = this.bracketed(at, 93);
    if (dc < 0) return at;
    children.push(node('link_description', at - parent, dc + 1 - at, [node('paragraph', 1, dc - at - 1)]));
    return dc + 1;
  }

  /** An `(attribute)` at `at`, if there is one; returns where the node ends. */
  private withAttribute(at: number, parent: number, children: SyntaxNode[]): number {
    const attr = this.attribute(at, parent);
    if (!attr) return at;
    children.push(attr.node);
    return attr.end;
  }

  private anchor(i: number, base: number): { node: SyntaxNode; end: number } | null {
    const close = this.bracketed(i, 93);
    if (close < 0) return null;
    const children: SyntaxNode[] = [node('link_description', 0, close + 1 - i, [node('paragraph', 1, close - i - 1)])];
    let end = close + 1;
    let kind: NodeKind = 'anchor_declaration';
    let data: { type: 'link'; target: LinkTarget } | undefined;
    if (this.ch(end) === 123) {
      const lc = this.bracketed(end, 125);
      if (lc > 0) {
        const target = parseLinkTarget(this.text.slice(end + 1, lc));
        children.push(node('link_location', end - i, lc + 1 - end, [node('link_target', 1, lc - end - 1)], 0, { type: 'link', target }));
        kind = 'anchor_definition';
        data = { type: 'link', target };
        end = lc + 1;
      }
    } else if (this.ch(end) === 91) end = this.description(end, i, children);
    end = this.withAttribute(end, i, children);
    return { node: node(kind, i - base, end - i, children, 0, data), end };
  }
}

/** What a link location points at: `* heading`, `# anything`, `:file:* heading`, a url, a line. */
export function parseLinkTarget(inner: string): LinkTarget {
  if (inner.startsWith(':')) {
    const close = inner.indexOf(':', 1);
    if (close > 1) {
      const path = inner.slice(1, close);
      const rest = inner.slice(close + 1).trim();
      return rest ? { kind: 'file', path, inner: parseLinkTarget(rest) } : { kind: 'file', path };
    }
  }
  const m = /^(\*+|#|\$|\^)\s+(.*)$/s.exec(inner);
  if (m) {
    const text = m[2].trim();
    if (m[1] === '#') return { kind: 'generic', text };
    if (m[1] === '$') return { kind: 'definition', text };
    if (m[1] === '^') return { kind: 'footnote', text };
    return { kind: 'heading', level: m[1].length, text };
  }
  if (/^\d+$/.test(inner)) return { kind: 'line', line: Number(inner) };
  if (/^[a-z][a-z0-9+.-]*:/i.test(inner) || inner.startsWith('/') || inner.startsWith('~/')) return { kind: 'url', url: inner };
  return { kind: 'other', text: inner };
}
