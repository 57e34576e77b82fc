/**
 * The concrete syntax tree.
 *
 * Positions are UTF-16 offsets, and every node's `from` is relative to the start of its
 * parent (the root starts at 0). Relative positions are what make incremental re-parsing
 * cheap: a subtree that did not change is reused as it is, wherever it ends up, without
 * being copied or shifted. Use `walk`/`nodeAt` (tree.ts) to see absolute positions.
 *
 * The tree is lossless: a node owns the text between its children, so printing the tree
 * (print in tree.ts) gives back the input exactly. Kinds are named after tree-sitter-norg's
 * where they correspond; levels are kept in `level` instead of the kind name because norg
 * allows more than six.
 */
export type NodeKind =
  | 'document'
  | 'bom'
  // blocks
  | 'heading'
  | 'heading_prefix'
  | 'generic_list'
  | 'unordered_list'
  | 'ordered_list'
  | 'list_prefix'
  | 'indent_segment'
  | 'quote'
  | 'quote_item'
  | 'quote_prefix'
  | 'paragraph'
  | 'paragraph_segment'
  | 'weak_paragraph_delimiter'
  | 'strong_paragraph_delimiter'
  | 'horizontal_line'
  | 'definition_list'
  | 'single_definition'
  | 'multi_definition'
  | 'footnote_list'
  | 'single_footnote'
  | 'multi_footnote'
  | 'multi_end'
  | 'ranged_verbatim_tag'
  | 'ranged_verbatim_tag_content'
  | 'ranged_tag'
  | 'ranged_tag_content'
  | 'ranged_tag_end'
  | 'tag_name'
  | 'tag_parameters'
  | 'tag_param'
  | 'strong_carryover_set'
  | 'strong_carryover'
  | 'weak_carryover_set'
  | 'weak_carryover'
  | 'infirm_tag'
  // detached modifier extensions
  | 'detached_modifier_extension'
  | 'todo_item_undone'
  | 'todo_item_done'
  | 'todo_item_pending'
  | 'todo_item_on_hold'
  | 'todo_item_cancelled'
  | 'todo_item_urgent'
  | 'todo_item_uncertain'
  | 'todo_item_recurring'
  | 'priority'
  | 'timestamp'
  | 'due'
  | 'start'
  | 'timestamp_data'
  // inline
  | 'bold'
  | 'italic'
  | 'underline'
  | 'strikethrough'
  | 'spoiler'
  | 'superscript'
  | 'subscript'
  | 'verbatim'
  | 'inline_comment'
  | 'inline_math'
  | 'inline_macro'
  | 'link_modifier'
  | 'escape_sequence'
  | 'link'
  | 'link_location'
  | 'link_description'
  | 'link_target'
  | 'anchor_declaration'
  | 'anchor_definition'
  | 'inline_link_target'
  | 'attribute';

/** Parsed values that some nodes carry. */
export type NodeData =
  | { type: 'tag'; name: string; params: string[] }
  | { type: 'date'; text: string; value: import('./dates.js').DateParse }
  | { type: 'priority'; text: string }
  | { type: 'meta'; value: MetaValue }
  | { type: 'link'; target: LinkTarget }
  | { type: 'indent_segment' };

export type MetaValue = string | MetaValue[] | { [key: string]: MetaValue };

export type LinkTarget =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'generic'; text: string }
  | { kind: 'definition'; text: string }
  | { kind: 'footnote'; text: string }
  | { kind: 'file'; path: string; inner?: LinkTarget }
  | { kind: 'url'; url: string }
  | { kind: 'line'; line: number }
  | { kind: 'other'; text: string };

export interface SyntaxNode {
  readonly kind: NodeKind;
  /** Offset from the start of the parent node (UTF-16 code units). */
  readonly from: number;
  readonly length: number;
  readonly children: readonly SyntaxNode[];
  /** Heading, list, quote and link-target level; 0 where it does not apply. */
  readonly level: number;
  readonly data?: NodeData;
}

/** A problem the parser noticed; the text still parses (as plain text where needed). */
export interface Diagnostic {
  readonly from: number;
  readonly to: number;
  readonly code: 'unclosed-tag' | 'stray-end' | 'bad-date' | 'bad-meta';
  readonly message: string;
}

export const EMPTY: readonly SyntaxNode[] = Object.freeze([]);

export function node(kind: NodeKind, from: number, length: number, children: readonly SyntaxNode[] = EMPTY, level = 0, data?: NodeData): SyntaxNode {
  return data === undefined ? { kind, from, length, children, level } : { kind, from, length, children, level, data };
}

/** The same node placed at another offset in a (possibly new) parent; children are shared. */
export function moved(n: SyntaxNode, from: number): SyntaxNode {
  if (n.from === from) return n;
  return n.data === undefined
    ? { kind: n.kind, from, length: n.length, children: n.children, level: n.level }
    : { kind: n.kind, from, length: n.length, children: n.children, level: n.level, data: n.data };
}
