/**
 * Parsing entry points: parse(), reparse() and the ways to read a tree (walk, print).
 *
 * reparse() keeps the leaves of the old parse that the edit cannot have changed: those before
 * it whose lookahead (`reach`) stops short of it, and those after it once the new scan starts
 * a leaf exactly where an old one started (shifted by the edit). Leaves hold only relative
 * positions, so kept leaves are reused as they are; only the cheap assembly runs again.
 */
import { Assembler } from './assemble.js';
import { BlockScanner, type Leaf } from './blocks.js';
import { LineIndex } from './lines.js';
import { node, type Diagnostic, type SyntaxNode } from './types.js';

export interface ParseStats {
  /** Leaves scanned in this parse (the rest were reused). */
  scanned: number;
  reused: number;
}

export class Tree {
  private lineIndex: LineIndex | null = null;
  private diags: Diagnostic[] | null = null;

  /** @internal */
  constructor(
    readonly text: string,
    readonly root: SyntaxNode,
    /** @internal */ readonly leaves: readonly Leaf[],
    /** @internal */ readonly starts: readonly number[],
    readonly stats: ParseStats,
  ) {}

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  /** Problems found while parsing (unclosed tags, dates and metadata that did not parse). */
  get diagnostics(): readonly Diagnostic[] {
    if (this.diags) return this.diags;
    const out: Diagnostic[] = [];
    for (let i = 0; i < this.leaves.length; i++) {
      const ds = this.leaves[i].diagnostics;
      if (ds) for (const d of ds) out.push({ ...d, from: d.from + this.starts[i], to: d.to + this.starts[i] });
    }
    return (this.diags = out);
  }
}

const BOM = 0xfeff;

function scanFrom(text: string, scanner: BlockScanner, pos: number, leaves: Leaf[], starts: number[], stopAt?: (pos: number) => boolean): number {
  const n = text.length;
  let scanned = 0;
  while (pos < n) {
    if (stopAt && stopAt(pos)) break;
    const leaf = scanner.leaf(pos);
    leaves.push(leaf);
    starts.push(pos);
    scanned++;
    // A leaf always advances: the scanner consumes at least one line.
    pos += leaf.length > 0 ? leaf.length : 1;
  }
  return scanned;
}

function assemble(text: string, leaves: readonly Leaf[], starts: readonly number[]): SyntaxNode {
  const asm = new Assembler(text.length);
  for (let i = 0; i < leaves.length; i++) asm.feed(leaves[i], starts[i]);
  return asm.finish(text.charCodeAt(0) === BOM ? [node('bom', 0, 1)] : []);
}

/** Parse norg text. Never throws: what is not valid markup is kept as plain text. */
export function parse(text: string): Tree {
  const scanner = new BlockScanner(text);
  const leaves: Leaf[] = [];
  const starts: number[] = [];
  const first = text.charCodeAt(0) === BOM ? 1 : 0;
  const scanned = scanFrom(text, scanner, first, leaves, starts);
  return new Tree(text, assemble(text, leaves, starts), leaves, starts, { scanned, reused: 0 });
}

export interface TextChange {
  /** Start of the replaced range in the old text. */
  from: number;
  /** End of the replaced range in the old text. */
  to: number;
  /** The text put in its place. */
  insert: string;
}

/**
 * Parse `old.text` with `change` applied, reusing what the change cannot affect. Gives the
 * same tree as parse() of the new text (checked by property tests).
 */
export function reparse(old: Tree, change: TextChange): Tree {
  const text = old.text.slice(0, change.from) + change.insert + old.text.slice(change.to);
  if (change.from === 0 || old.text.charCodeAt(0) === BOM || text.charCodeAt(0) === BOM) return parse(text);
  const delta = change.insert.length - (change.to - change.from);
  const editEnd = change.from + change.insert.length; // in new coordinates
  const ol = old.leaves;
  const os = old.starts;

  // Keep leaves whose start and lookahead end before the edit.
  let keep = 0;
  while (keep < ol.length && os[keep] + ol[keep].reach < change.from) keep++;
  // A leaf with a long reach (an unclosed tag looks to the end) may sit before shorter ones.
  for (let i = keep - 1; i >= 0; i--) if (os[i] + ol[i].reach >= change.from) keep = i;

  const leaves: Leaf[] = ol.slice(0, keep);
  const starts: number[] = os.slice(0, keep);
  const restart = keep > 0 ? os[keep - 1] + ol[keep - 1].length : text.charCodeAt(0) === BOM ? 1 : 0;

  // Old leaves that start after the edit, by their start in new coordinates.
  let j = keep;
  while (j < ol.length && os[j] < change.to) j++;
  const scanner = new BlockScanner(text);
  let resume = -1;
  const scanned = scanFrom(text, scanner, restart, leaves, starts, (pos) => {
    if (pos <= editEnd) return false;
    while (j < ol.length && os[j] + delta < pos) j++;
    if (j < ol.length && os[j] + delta === pos) {
      resume = j;
      return true;
    }
    return false;
  });
  let reused = keep;
  if (resume >= 0) {
    for (let i = resume; i < ol.length; i++) {
      leaves.push(ol[i]);
      starts.push(os[i] + delta);
    }
    reused += ol.length - resume;
  }
  return new Tree(text, assemble(text, leaves, starts), leaves, starts, { scanned, reused });
}

/** Visit every node in document order with its absolute range. Return false to skip children. */
export function walk(
  tree: Tree | SyntaxNode,
  visit: (n: SyntaxNode, from: number, to: number, depth: number, parent: SyntaxNode | null) => boolean | void,
): void {
  const root = tree instanceof Tree ? tree.root : tree;
  const stack: { n: SyntaxNode; from: number; depth: number; parent: SyntaxNode | null }[] = [{ n: root, from: root.from, depth: 0, parent: null }];
  while (stack.length > 0) {
    const { n, from, depth, parent } = stack.pop()!;
    if (visit(n, from, from + n.length, depth, parent) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) {
      const c = n.children[i];
      stack.push({ n: c, from: from + c.from, depth: depth + 1, parent: n });
    }
  }
}

/**
 * Print the tree back to text: each node's own text between its children, and the children
 * in order. Equal to the input when the tree is right (every offset checked on the way).
 */
export function print(tree: Tree): string {
  const out: string[] = [];
  const t = tree.text;
  let at = 0;
  const emit = (n: SyntaxNode, from: number) => {
    if (from < at || from + n.length > t.length) throw new Error(`node ${n.kind} at ${from} overlaps text already printed (${at})`);
    for (const c of n.children) {
      const cf = from + c.from;
      if (cf < from || cf + c.length > from + n.length)
        throw new Error(`child ${c.kind} at ${cf} is outside its parent ${n.kind} [${from}, ${from + n.length})`);
      out.push(t.slice(at, cf));
      at = cf;
      emit(c, cf);
    }
    out.push(t.slice(at, from + n.length));
    at = from + n.length;
  };
  emit(tree.root, 0);
  out.push(t.slice(at));
  return out.join('');
}

/** Text of a node given its absolute start. */
export function textOf(tree: Tree, n: SyntaxNode, from: number): string {
  return tree.text.slice(from, from + n.length);
}
