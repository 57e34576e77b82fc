/**
 * Phase 2 of parsing: nest the leaf blocks into the document tree.
 *
 * - A heading holds what follows it until a heading of the same or a higher level, a weak
 *   delimiter `---` (which closes the innermost heading and stays inside it) or a strong
 *   delimiter `===` (which closes every heading and stands after them).
 * - Consecutive list items form a `generic_list`; an item holds the items of deeper levels that
 *   follow it. A blank line ends a list. A `::` item opens an indent segment that holds whatever
 *   follows, blank lines included, until a delimiter or an item of its level or higher.
 * - Quotes, definitions and footnotes group the same way; `|name … |end` and `$$ … $$` hold
 *   blocks. A `|end` or `$$` with nothing open is plain text.
 * - Carryover tags attach to the next element: a strong one (`#`) to the whole list or quote,
 *   a weak one (`+`) to the next item; to a paragraph, tag or heading both attach to it.
 *
 * This pass only moves nodes and opens containers, so it is cheap next to phase 1.
 */
import type { Leaf } from './blocks.js';
import { moved, node, type NodeData, type NodeKind, type SyntaxNode } from './types.js';

type Role = 'document' | 'heading' | 'list' | 'item' | 'segment' | 'quote' | 'qitem' | 'deflist' | 'footlist' | 'multi' | 'ranged' | 'rcontent';

interface Builder {
  role: Role;
  kind: NodeKind;
  level: number;
  from: number;
  end: number;
  kids: SyntaxNode[];
  data?: NodeData;
}

interface Pending {
  node: SyntaxNode;
  abs: number;
}

const RUNS: ReadonlySet<Role> = new Set(['list', 'item', 'quote', 'qitem', 'deflist', 'footlist']);

export class Assembler {
  private stack: Builder[] = [];
  private strong: Pending[] = [];
  private weak: Pending[] = [];

  constructor(private readonly length: number) {
    this.stack.push({ role: 'document', kind: 'document', level: 0, from: 0, end: length, kids: [] });
  }

  private get top(): Builder {
    return this.stack[this.stack.length - 1];
  }

  private add(b: Builder, n: SyntaxNode, abs: number): void {
    b.kids.push(moved(n, abs - b.from));
    const e = abs + n.length;
    if (e > b.end) b.end = e;
  }

  private close(): void {
    const b = this.stack.pop()!;
    const n = node(b.kind, 0, b.end - b.from, b.kids, b.level, b.data);
    this.add(this.top, n, b.from);
  }

  private closeRuns(): void {
    while (RUNS.has(this.top.role)) this.close();
  }

  private push(role: Role, kind: NodeKind, level: number, abs: number, kids: readonly SyntaxNode[], end: number, carry: Pending[], data?: NodeData): void {
    let from = abs;
    let all: SyntaxNode[];
    if (carry.length > 0) {
      from = carry[0].abs;
      all = this.sets(carry, from);
      for (const k of kids) all.push(moved(k, k.from + abs - from));
    } else all = kids.slice();
    this.stack.push({ role, kind, level, from, end: Math.max(end, from), kids: all, data });
  }

  /** Carryover sets (strong then weak, each a run) with `from` relative to `base`. */
  private sets(carry: Pending[], base: number): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    let i = 0;
    while (i < carry.length) {
      const strong = carry[i].node.kind === 'strong_carryover';
      let j = i;
      while (j < carry.length && (carry[j].node.kind === 'strong_carryover') === strong) j++;
      const setFrom = carry[i].abs;
      const last = carry[j - 1];
      const kids = carry.slice(i, j).map((p) => moved(p.node, p.abs - setFrom));
      out.push(node(strong ? 'strong_carryover_set' : 'weak_carryover_set', setFrom - base, last.abs + last.node.length - setFrom, kids));
      i = j;
    }
    return out;
  }

  private takeAll(): Pending[] {
    if (this.strong.length === 0 && this.weak.length === 0) return [];
    const all = [...this.strong, ...this.weak].sort((a, b) => a.abs - b.abs);
    this.strong = [];
    this.weak = [];
    return all;
  }

  /** Place a complete node, with any pending carryover tags folded into it. */
  private place(n: SyntaxNode, abs: number, carry: Pending[]): void {
    if (carry.length === 0) {
      this.add(this.top, n, abs);
      return;
    }
    const from = carry[0].abs;
    const kids = this.sets(carry, from);
    for (const k of n.children) kids.push(moved(k, k.from + abs - from));
    this.add(this.top, node(n.kind, 0, abs + n.length - from, kids, n.level, n.data), from);
  }

  private flushCarry(): void {
    const all = this.takeAll();
    if (all.length > 0) for (const s of this.sets(all, 0)) this.add(this.top, s, s.from);
  }

  private plainText(n: SyntaxNode, abs: number): void {
    this.closeRuns();
    const seg = node('paragraph_segment', 0, n.length);
    this.place(node('paragraph', 0, n.length, [seg]), abs, this.takeAll());
  }

  feed(leaf: Leaf, start: number): void {
    const n = leaf.node;
    const abs = n ? start + n.from : start;
    switch (leaf.type) {
      case 'blank':
        this.flushCarry();
        this.closeRuns();
        return;
      case 'strong_carry':
        this.closeRuns();
        this.strong.push({ node: n!, abs });
        return;
      case 'weak_carry':
        this.weak.push({ node: n!, abs });
        return;
      case 'paragraph':
      case 'hline':
      case 'verbatim':
      case 'infirm':
        this.closeRuns();
        this.place(n!, abs, leaf.type === 'hline' ? (this.flushCarry(), []) : this.takeAll());
        return;
      case 'heading': {
        const carry = this.takeAll();
        for (;;) {
          const t = this.top;
          if (RUNS.has(t.role) || t.role === 'segment' || (t.role === 'heading' && t.level >= leaf.level)) this.close();
          else break;
        }
        this.push('heading', 'heading', leaf.level, abs, n!.children, abs + n!.length, carry);
        return;
      }
      case 'unordered':
      case 'ordered': {
        // Nesting stops at six levels (tree-sitter-norg's corpus and Neorg agree); the node
        // keeps the prefix's real length in `level`.
        const level = Math.min(leaf.level, 6);
        while (this.top.role === 'quote' || this.top.role === 'qitem' || this.top.role === 'deflist' || this.top.role === 'footlist') this.close();
        for (;;) {
          const t = this.top;
          if (t.role === 'item' && Math.min(t.level, 6) >= level) this.close();
          else if (t.role === 'segment' && Math.min(t.level, 6) >= level) {
            this.close(); // the segment
            this.close(); // its item
          } else break;
        }
        const t = this.top.role;
        // A new list takes every pending tag (it starts where they start); an open list
        // passes them to the item.
        let carry = this.takeAll();
        if (t !== 'item' && t !== 'segment' && t !== 'list') {
          this.push('list', 'generic_list', 0, abs, [], abs, carry);
          carry = [];
        }
        this.push('item', n!.kind, leaf.level, abs, n!.children, abs + n!.length, carry);
        if (leaf.segment >= 0) this.push('segment', 'indent_segment', leaf.level, start + leaf.segment, [], start + leaf.segment + 2, []);
        return;
      }
      case 'quote': {
        while (this.top.role === 'list' || this.top.role === 'item' || this.top.role === 'deflist' || this.top.role === 'footlist') this.close();
        while (this.top.role === 'qitem' && Math.min(this.top.level, 6) >= Math.min(leaf.level, 6)) this.close();
        let carry = this.takeAll();
        if (this.top.role !== 'qitem' && this.top.role !== 'quote') {
          this.push('quote', 'quote', 0, abs, [], abs, carry);
          carry = [];
        }
        this.push('qitem', 'quote_item', leaf.level, abs, n!.children, abs + n!.length, carry);
        return;
      }
      case 'def_single':
      case 'foot_single':
      case 'def_multi':
      case 'foot_multi': {
        const def = leaf.type === 'def_single' || leaf.type === 'def_multi';
        const listRole: Role = def ? 'deflist' : 'footlist';
        while (RUNS.has(this.top.role) && this.top.role !== listRole) this.close();
        let carry = this.takeAll();
        if (this.top.role !== listRole) {
          this.push(listRole, def ? 'definition_list' : 'footnote_list', 0, abs, [], abs, carry);
          carry = [];
        }
        if (leaf.type === 'def_single' || leaf.type === 'foot_single') this.place(n!, abs, carry);
        else this.push('multi', n!.kind, 2, abs, n!.children, abs + n!.length, carry);
        return;
      }
      case 'def_end':
      case 'foot_end': {
        const kind = leaf.type === 'def_end' ? 'multi_definition' : 'multi_footnote';
        const at = this.findOpen((b) => b.role === 'multi' && b.kind === kind);
        if (at < 0) return this.plainText(n!, abs);
        this.flushCarry();
        while (this.stack.length - 1 > at) this.close();
        this.add(this.top, n!, abs);
        this.close();
        return;
      }
      case 'ranged_open': {
        this.closeRuns();
        this.push('ranged', 'ranged_tag', 0, abs, n!.children, abs + n!.length, this.takeAll(), n!.data);
        const contentFrom = start + leaf.length;
        this.push('rcontent', 'ranged_tag_content', 0, contentFrom, [], contentFrom, []);
        return;
      }
      case 'ranged_end': {
        const at = this.findOpen((b) => b.role === 'rcontent');
        if (at < 0) return this.plainText(n!, abs);
        this.flushCarry();
        while (this.stack.length - 1 > at) this.close();
        if (start > this.top.end) this.top.end = start; // blank lines before |end are content
        this.close(); // content
        this.add(this.top, n!, abs);
        this.close(); // the tag
        return;
      }
      case 'weak_delim': {
        this.flushCarry();
        this.closeRuns();
        const t = this.top;
        this.add(t, n!, abs);
        if (t.role === 'segment') {
          this.close();
          this.close();
        } else if (t.role === 'heading') this.close();
        return;
      }
      case 'strong_delim': {
        this.flushCarry();
        while (this.top.role !== 'document' && this.top.role !== 'rcontent' && this.top.role !== 'multi') this.close();
        this.add(this.top, n!, abs);
        return;
      }
    }
  }

  private findOpen(pred: (b: Builder) => boolean): number {
    for (let i = this.stack.length - 1; i > 0; i--) if (pred(this.stack[i])) return i;
    return -1;
  }

  finish(prefix: readonly SyntaxNode[]): SyntaxNode {
    this.flushCarry();
    while (this.stack.length > 1) this.close();
    const doc = this.stack[0];
    const kids = prefix.length > 0 ? [...prefix, ...doc.kids] : doc.kids;
    return node('document', 0, this.length, kids);
  }
}
