/**
 * Phase 1 of parsing: split the text into leaf blocks.
 *
 * A leaf is what one look at a line decides: a heading line, a list item with its paragraph,
 * a paragraph, a delimiter, a whole verbatim range, a ranged-tag opener or `|end`, a carryover
 * tag. Leaves never contain other leaves; nesting (headings, lists, indent segments, ranged
 * tags) is phase 2 (assemble.ts).
 *
 * Each leaf depends only on the text from its start onward, up to `reach` characters (the
 * lookahead it used). That is what lets reparse() keep every leaf that ends, with its reach,
 * before an edit, and every leaf after it once the scan is back in step.
 *
 * Why one file of ~570 lines: the leaf readers are one scanner, and each must record exactly how
 * far it looked (`reach`) for reparse() to be correct; kept together, every reader's lookahead
 * is checked against the same cursor rules in one place (the incremental-parse laws in
 * test/unit/parser/properties.test.ts hold them to it).
 */
import { extensionLooked, parseExtension } from './extension.js';
import { InlineParser } from './inline.js';
import { parseMeta } from './meta.js';
import { node, type Diagnostic, type NodeData, type SyntaxNode } from './types.js';

export type LeafType =
  | 'blank'
  | 'paragraph'
  | 'heading'
  | 'unordered'
  | 'ordered'
  | 'quote'
  | 'weak_delim'
  | 'strong_delim'
  | 'hline'
  | 'verbatim'
  | 'ranged_open'
  | 'ranged_end'
  | 'strong_carry'
  | 'weak_carry'
  | 'infirm'
  | 'def_single'
  | 'def_multi'
  | 'foot_single'
  | 'foot_multi'
  | 'def_end'
  | 'foot_end';

export interface Leaf {
  readonly type: LeafType;
  readonly level: number;
  /** Characters up to the next leaf, line endings included. */
  readonly length: number;
  /** Characters from the leaf start that deciding this leaf looked at (≥ length). */
  readonly reach: number;
  /** The leaf's node, `from` = 0; positions inside are relative to the leaf start. */
  readonly node: SyntaxNode | null;
  /** For a `::` list item: offset of the `::` from the leaf start, else -1. */
  readonly segment: number;
  readonly diagnostics?: readonly Diagnostic[];
}

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

function isEol(c: number): boolean {
  return c === 10 || c === 13 || Number.isNaN(c);
}

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46 || c > 127;
}

interface Classified {
  type: LeafType;
  level: number;
  /** Offset of the first non-blank character. */
  p: number;
  /** Offset after the prefix (and its whitespace). */
  content: number;
}

/** Positions of verbatim `@end` lines and standard `|name`/`|end` matches, built on demand. */
interface TagIndex {
  from: number;
  /** Absolute line start of each `@end` line at or after `from`, ascending. */
  verbatimEnds: number[];
  /** `|name` opener line start → its matching `|end` line start. */
  rangedMatch: Map<number, number>;
}

export class BlockScanner {
  private readonly inline: InlineParser;
  private tags: TagIndex | null = null;
  private reachMax = 0;
  private diags: Diagnostic[] = [];

  constructor(private readonly text: string) {
    this.inline = new InlineParser(text);
  }

  private ch(i: number): number {
    return i < this.text.length ? this.text.charCodeAt(i) : NaN;
  }

  /** End of the line's content (before its line ending). */
  lineEnd(pos: number): number {
    const t = this.text;
    const n = t.length;
    let i = pos;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 10 || c === 13) return i;
      i++;
    }
    return n;
  }

  /** Start of the next line. */
  nextLine(pos: number): number {
    const e = this.lineEnd(pos);
    if (e >= this.text.length) return e;
    return this.text.charCodeAt(e) === 13 && this.text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1;
  }

  private touch(pos: number): void {
    if (pos > this.reachMax) this.reachMax = pos;
  }

  /** Decide what the line starting at `pos` begins. Paragraph means "just text". */
  classify(pos: number): Classified {
    const t = this.text;
    let p = pos;
    while (isWs(this.ch(p))) p++;
    const c = this.ch(p);
    const para: Classified = { type: 'paragraph', level: 0, p, content: p };
    if (isEol(c)) {
      this.touch(p + 2); // a CR may be followed by the LF of the same line ending
      return { type: 'blank', level: 0, p, content: p };
    }
    let n = 1;
    while (this.ch(p + n) === c) n++;
    const after = this.ch(p + n);
    const ws = isWs(after);
    let content = p + n;
    while (isWs(this.ch(content))) content++;
    // Everything up to here (and the character after) decided the class of this line.
    this.touch(content + 1);
    switch (c) {
      case 42: // *
        return ws ? { type: 'heading', level: n, p, content } : para;
      case 45: // -
        if (ws) return { type: 'unordered', level: n, p, content };
        return n >= 2 && isEol(after) ? { type: 'weak_delim', level: 0, p, content } : para;
      case 126: // ~
        return ws ? { type: 'ordered', level: n, p, content } : para;
      case 62: // >
        return ws ? { type: 'quote', level: n, p, content } : para;
      case 61: // =
        return n >= 2 && isEol(after) ? { type: 'strong_delim', level: 0, p, content } : para;
      case 95: // _
        return n >= 2 && isEol(after) ? { type: 'hline', level: 0, p, content } : para;
      case 36: // $
      case 94: {
        // ^
        const def = c === 36;
        if (n === 1 && ws) return { type: def ? 'def_single' : 'foot_single', level: 1, p, content };
        if (n === 2 && ws) return { type: def ? 'def_multi' : 'foot_multi', level: 2, p, content };
        if (n === 2 && isEol(after)) return { type: def ? 'def_end' : 'foot_end', level: 2, p, content };
        return para;
      }
      case 64: {
        // @
        this.touch(this.lineEnd(p) + 1); // tag lines are decided by their whole line
        const nameEnd = this.nameEnd(p + 1);
        if (nameEnd === p + 1 || !(isWs(this.ch(nameEnd)) || isEol(this.ch(nameEnd)))) return para;
        if (t.slice(p + 1, nameEnd) === 'end') return para;
        return this.verbatimEndAfter(pos) >= 0 ? { type: 'verbatim', level: 0, p, content } : para;
      }
      case 124: {
        // |
        this.touch(this.lineEnd(p) + 1);
        const nameEnd = this.nameEnd(p + 1);
        if (nameEnd === p + 1 || !(isWs(this.ch(nameEnd)) || isEol(this.ch(nameEnd)))) return para;
        if (t.slice(p + 1, nameEnd) === 'end') {
          // `|end` is always a leaf; assembly turns one without an opener into text.
          return this.restBlank(nameEnd) ? { type: 'ranged_end', level: 0, p, content } : para;
        }
        return this.rangedEnd(pos) >= 0 ? { type: 'ranged_open', level: 0, p, content } : para;
      }
      case 35: // #
      case 43: // +
      case 46: {
        // .
        this.touch(this.lineEnd(p) + 1);
        const nameEnd = this.nameEnd(p + 1);
        if (nameEnd === p + 1 || !(isWs(this.ch(nameEnd)) || isEol(this.ch(nameEnd)))) return para;
        if (c === 46 && !/[A-Za-z]/.test(t[p + 1])) return para;
        return { type: c === 35 ? 'strong_carry' : c === 43 ? 'weak_carry' : 'infirm', level: 0, p, content };
      }
      default:
        return para;
    }
  }

  private nameEnd(i: number): number {
    while (isNameChar(this.ch(i))) i++;
    return i;
  }

  private restBlank(i: number): boolean {
    while (isWs(this.ch(i))) i++;
    return isEol(this.ch(i));
  }

  /** Build the tag index from `from` on: one pass, so unclosed tags stay linear. */
  private tagIndex(from: number): TagIndex {
    if (this.tags && this.tags.from <= from) return this.tags;
    const verbatimEnds: number[] = [];
    const rangedMatch = new Map<number, number>();
    const n = this.text.length;
    // First the @end lines (verbatim ranges cannot nest: an opener takes the next one).
    const lines: { pos: number; kind: 'vopen' | 'vend' | 'ropen' | 'rend' }[] = [];
    for (let pos = from; pos < n; ) {
      let p = pos;
      while (isWs(this.ch(p))) p++;
      const c = this.ch(p);
      if (c === 64 || c === 124) {
        const ne = this.nameEnd(p + 1);
        if (ne > p + 1 && (isWs(this.ch(ne)) || isEol(this.ch(ne)))) {
          const isEnd = this.text.slice(p + 1, ne) === 'end';
          if (c === 64) {
            if (isEnd) {
              if (this.restBlank(ne)) {
                verbatimEnds.push(pos);
                lines.push({ pos, kind: 'vend' });
              }
            } else lines.push({ pos, kind: 'vopen' });
          } else if (isEnd) {
            if (this.restBlank(ne)) lines.push({ pos, kind: 'rend' });
          } else lines.push({ pos, kind: 'ropen' });
        }
      }
      const next = this.nextLine(pos);
      if (next === pos) break;
      pos = next;
    }
    const stack: number[] = [];
    let inVerbatim = false;
    let vi = 0; // index into verbatimEnds
    for (const l of lines) {
      if (inVerbatim) {
        if (l.kind === 'vend') inVerbatim = false;
        continue;
      }
      if (l.kind === 'vopen') {
        while (vi < verbatimEnds.length && verbatimEnds[vi] <= l.pos) vi++;
        if (vi < verbatimEnds.length) inVerbatim = true;
      } else if (l.kind === 'ropen') stack.push(l.pos);
      else if (l.kind === 'rend') {
        const open = stack.pop();
        if (open !== undefined) rangedMatch.set(open, l.pos);
      }
    }
    this.tags = { from, verbatimEnds, rangedMatch };
    return this.tags;
  }

  /** Line start of the `@end` closing a verbatim tag opened on the line at `pos`, or -1. */
  private verbatimEndAfter(pos: number): number {
    const ends = this.tagIndex(pos).verbatimEnds;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= pos) lo = mid + 1;
      else hi = mid;
    }
    if (lo < ends.length) {
      this.touch(this.lineEnd(ends[lo]));
      return ends[lo];
    }
    this.touch(this.text.length);
    return -1;
  }

  private rangedEnd(pos: number): number {
    const m = this.tagIndex(pos).rangedMatch.get(pos);
    if (m === undefined) {
      this.touch(this.text.length);
      return -1;
    }
    this.touch(this.lineEnd(m));
    return m;
  }

  /** Scan one leaf starting at the line start `pos`. */
  leaf(pos: number): Leaf {
    this.reachMax = pos;
    this.diags = [];
    const k = this.classify(pos);
    const lineEnd = this.lineEnd(k.p);
    this.touch(lineEnd);
    let end: number; // absolute end of the leaf's node content
    let next: number; // start of the next leaf
    let n: SyntaxNode | null = null;
    let segment = -1;
    switch (k.type) {
      case 'blank': {
        next = this.nextLine(pos);
        while (next < this.text.length && this.classify(next).type === 'blank') {
          this.touch(this.lineEnd(next));
          next = this.nextLine(next);
        }
        this.touch(next);
        return this.make('blank', 0, pos, next, null, -1);
      }
      case 'paragraph': {
        const r = this.paragraphLines(pos, k.p);
        return this.make('paragraph', 0, pos, r.next, this.paragraph(k.p, r.end, pos), -1);
      }
      case 'heading': {
        const kids: SyntaxNode[] = [node('heading_prefix', k.p - pos, k.level)];
        const ext = this.extension(k.content, pos, kids);
        const titleFrom = ext.content;
        let titleTo = this.lineEnd(Math.max(titleFrom, k.p));
        if (ext.end > lineEnd) titleTo = this.lineEnd(ext.end);
        titleTo = trimEnd(this.text, titleFrom, titleTo);
        if (titleTo > titleFrom) kids.push(this.segment(titleFrom, titleTo, pos));
        end = Math.max(titleTo, ext.end, k.p + k.level);
        next = this.nextLine(Math.max(end, k.p));
        n = node('heading', 0, end - pos, kids, k.level);
        return this.make('heading', k.level, pos, next, n, -1);
      }
      case 'unordered':
      case 'ordered':
      case 'quote':
      case 'def_single':
      case 'foot_single': {
        const prefixKind = k.type === 'quote' ? 'quote_prefix' : k.type === 'unordered' || k.type === 'ordered' ? 'list_prefix' : 'list_prefix';
        const kids: SyntaxNode[] = [node(prefixKind, k.p - pos, k.level)];
        const ext = this.extension(k.content, pos, kids);
        const from = ext.content;
        const single = k.type === 'def_single' || k.type === 'foot_single';
        if (single) {
          // The term is the rest of the line; the definition is the paragraph below it.
          const le = this.lineEnd(Math.max(from, ext.end));
          const te = trimEnd(this.text, from, le);
          if (te > from) kids.push(this.segment(from, te, pos));
          end = Math.max(te, ext.end, k.p + k.level);
          next = this.nextLine(le);
          const below = next < this.text.length ? this.classify(next) : null;
          if (below && below.type === 'paragraph') {
            const r = this.paragraphLines(next, below.p);
            kids.push(this.paragraph(below.p, r.end, pos));
            end = r.end;
            next = r.next;
          }
          n = node(k.type === 'def_single' ? 'single_definition' : 'single_footnote', 0, end - pos, kids, 1);
          return this.make(k.type, 1, pos, next, n, -1);
        }
        if (k.type !== 'quote' && this.isIndentSegment(from)) {
          segment = from - pos;
          end = from + 2;
          next = this.nextLine(from);
          n = node(k.type === 'unordered' ? 'unordered_list' : 'ordered_list', 0, end - pos, kids, k.level);
          return this.make(k.type, k.level, pos, next, n, segment);
        }
        // The paragraph may start on the next line (`--- ` with nothing after it).
        let paraStart = from;
        if (isEol(this.ch(from))) {
          const nl = this.nextLine(from);
          const below = nl < this.text.length && nl > from ? this.classify(nl) : null;
          if (below && below.type === 'paragraph') paraStart = below.p;
          else paraStart = -1;
        }
        if (paraStart >= 0) {
          const r = this.paragraphLines(paraStart, paraStart);
          kids.push(this.paragraph(paraStart, r.end, pos));
          end = r.end;
          next = r.next;
        } else {
          end = Math.max(ext.end, k.p + k.level);
          next = this.nextLine(Math.max(end, k.p));
        }
        const kind = k.type === 'quote' ? 'quote_item' : k.type === 'unordered' ? 'unordered_list' : 'ordered_list';
        n = node(kind, 0, end - pos, kids, k.level);
        return this.make(k.type, k.level, pos, next, n, -1);
      }
      case 'def_multi':
      case 'foot_multi': {
        const kids: SyntaxNode[] = [node('list_prefix', k.p - pos, 2)];
        const ext = this.extension(k.content, pos, kids);
        const le = this.lineEnd(Math.max(ext.content, ext.end));
        const te = trimEnd(this.text, ext.content, le);
        if (te > ext.content) kids.push(this.segment(ext.content, te, pos));
        end = Math.max(te, ext.end, k.p + 2);
        n = node(k.type === 'def_multi' ? 'multi_definition' : 'multi_footnote', 0, end - pos, kids, 2);
        return this.make(k.type, 2, pos, this.nextLine(le), n, -1);
      }
      case 'def_end':
      case 'foot_end':
      case 'ranged_end': {
        end = trimEnd(this.text, k.p, lineEnd);
        n = node(k.type === 'ranged_end' ? 'ranged_tag_end' : 'multi_end', 0, end - pos);
        return this.make(k.type, 0, pos, this.nextLine(pos), n, -1);
      }
      case 'weak_delim':
      case 'strong_delim':
      case 'hline': {
        end = trimEnd(this.text, k.p, lineEnd);
        const kind = k.type === 'weak_delim' ? 'weak_paragraph_delimiter' : k.type === 'strong_delim' ? 'strong_paragraph_delimiter' : 'horizontal_line';
        n = node(kind, k.p - pos, end - k.p);
        return this.make(k.type, 0, pos, this.nextLine(pos), n, -1);
      }
      case 'verbatim': {
        const close = this.verbatimEndAfter(pos);
        const head = this.tagHead(k.p);
        const kids = head.kids;
        const contentStart = this.nextLine(pos);
        const closeP = skipWs(this.text, close);
        if (close > contentStart) {
          const contentEnd = trimEnd(this.text, contentStart, close);
          kids.push(node('ranged_verbatim_tag_content', contentStart - k.p, contentEnd - contentStart));
        }
        kids.push(node('ranged_tag_end', closeP - k.p, 4));
        end = closeP + 4;
        let data: NodeData = head.data;
        if (head.name === 'document.meta') {
          const m = parseMeta(this.text.slice(contentStart, Math.max(contentStart, close)));
          data = { type: 'meta', value: m.value };
          for (const e of m.errors) {
            this.diags.push({ from: contentStart - pos, to: close - pos, code: 'bad-meta', message: e });
          }
        }
        n = node('ranged_verbatim_tag', k.p - pos, end - k.p, kids, 0, data);
        return this.make('verbatim', 0, pos, this.nextLine(close), n, -1);
      }
      case 'ranged_open':
      case 'strong_carry':
      case 'weak_carry':
      case 'infirm': {
        const head = this.tagHead(k.p);
        end = trimEnd(this.text, k.p, lineEnd);
        const kind =
          k.type === 'ranged_open' ? 'ranged_tag' : k.type === 'strong_carry' ? 'strong_carryover' : k.type === 'weak_carry' ? 'weak_carryover' : 'infirm_tag';
        n = node(kind, k.p - pos, end - k.p, head.kids, 0, head.data);
        return this.make(k.type, 0, pos, this.nextLine(pos), n, -1);
      }
    }
  }

  private make(type: LeafType, level: number, pos: number, next: number, n: SyntaxNode | null, segment: number): Leaf {
    const reach = Math.max(this.reachMax, next) - pos;
    const leaf: Leaf = { type, level, length: next - pos, reach, node: n, segment };
    if (this.diags.length > 0) return { ...leaf, diagnostics: this.diags };
    return leaf;
  }

  private isIndentSegment(from: number): boolean {
    return this.ch(from) === 58 && this.ch(from + 1) === 58 && this.restBlank(from + 2);
  }

  /** Reads an extension at `at` into `kids`; returns where the content starts. */
  private extension(at: number, base: number, kids: SyntaxNode[]): { content: number; end: number } {
    if (this.ch(at) !== 40) return { content: at, end: at };
    const m = parseExtension(this.text, at, base);
    this.touch(extensionLooked);
    if (!m) return { content: at, end: at };
    kids.push(m.node);
    for (const part of m.node.children) {
      const d = part.children[0]?.data;
      if (d && d.type === 'date' && !d.value.ok) {
        const from = m.node.from + part.from + part.children[0].from;
        this.diags.push({ from, to: from + part.children[0].length, code: 'bad-date', message: d.value.message });
      }
    }
    this.touch(m.end + 1);
    let c = m.end;
    while (isWs(this.ch(c))) c++;
    return { content: c, end: m.end };
  }

  /** `@name p1 p2`, `|name`, `#name p`, `+name p`, `.name p`: name and parameters. */
  private tagHead(p: number): { kids: SyntaxNode[]; name: string; data: { type: 'tag'; name: string; params: string[] } } {
    const ne = this.nameEnd(p + 1);
    const name = this.text.slice(p + 1, ne);
    const kids: SyntaxNode[] = [node('tag_name', 1, ne - p - 1)];
    const le = this.lineEnd(ne);
    const params: SyntaxNode[] = [];
    const values: string[] = [];
    let i = ne;
    let first = -1;
    let last = -1;
    while (i < le) {
      while (i < le && isWs(this.ch(i))) i++;
      if (i >= le) break;
      const s = i;
      while (i < le && !isWs(this.ch(i))) i++;
      if (first < 0) first = s;
      last = i;
      params.push(node('tag_param', s - first, i - s));
      values.push(this.text.slice(s, i));
    }
    if (params.length > 0) kids.push(node('tag_parameters', first - p, last - first, params));
    return { kids, name, data: { type: 'tag', name, params: values } };
  }

  /** Lines of a paragraph starting at `pos`: until a blank line or a line that starts a block. */
  private paragraphLines(pos: number, p: number): { end: number; next: number } {
    let end = this.lineEnd(p);
    let next = this.nextLine(pos);
    while (next < this.text.length) {
      const k = this.classify(next);
      this.touch(this.lineEnd(next));
      if (k.type !== 'paragraph') break;
      end = this.lineEnd(next);
      next = this.nextLine(next);
    }
    if (next >= this.text.length) this.touch(this.text.length);
    return { end: trimEnd(this.text, p, end), next };
  }

  private segment(from: number, to: number, base: number): SyntaxNode {
    return node('paragraph_segment', from - base, to - from, this.inline.parse(from, to, from));
  }

  /**
   * A paragraph over text[from, to): one segment per line, inline markup inside. Markup that
   * runs over a line end joins those lines into one segment, as tree-sitter-norg does.
   */
  private paragraph(from: number, to: number, base: number): SyntaxNode {
    const inl = this.inline.parse(from, to, from);
    const segs: SyntaxNode[] = [];
    let k = 0;
    let ls = from;
    while (ls < to) {
      let le = Math.min(this.lineEnd(ls), to);
      // Absorb inline nodes starting on this line; extend the line to cover any that run on.
      const kids: SyntaxNode[] = [];
      while (k < inl.length && from + inl[k].from < le) {
        const a = from + inl[k].from;
        const e = a + inl[k].length;
        if (e > le) le = Math.min(this.lineEnd(e), to);
        kids.push(inl[k]);
        k++;
      }
      let ss = ls;
      while (ss < le && isWs(this.ch(ss))) ss++;
      let se = trimEnd(this.text, ss, le);
      // An escaped space at the line end belongs to its escape, not to trailing whitespace.
      if (kids.length > 0) se = Math.max(se, from + kids[kids.length - 1].from + kids[kids.length - 1].length);
      if (se > ss) {
        const rel = kids.length === 0 ? kids : kids.map((c) => ({ ...c, from: from + c.from - ss }));
        segs.push(node('paragraph_segment', ss - from, se - ss, rel));
      }
      if (le >= to) break;
      ls = this.nextLine(le);
    }
    return node('paragraph', from - base, to - from, segs);
  }
}

function trimEnd(text: string, from: number, to: number): number {
  while (to > from) {
    const c = text.charCodeAt(to - 1);
    if (c === 32 || c === 9 || c === 10 || c === 13) to--;
    else break;
  }
  return to;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}
