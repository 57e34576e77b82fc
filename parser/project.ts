/**
 * Projection of our tree into tree-sitter-norg's vocabulary, as an S-expression, so that its
 * test corpus (shared/norg/conformance) checks us. The rules are the conformance README's:
 * levels clamp to 6, prefixes and end markers are dropped, `block` mode drops inline nodes.
 */
import type { SyntaxNode } from './types.js';
import type { Tree } from './tree.js';

const INLINE = new Set([
  'bold',
  'italic',
  'underline',
  'strikethrough',
  'spoiler',
  'superscript',
  'subscript',
  'verbatim',
  'inline_comment',
  'inline_math',
  'inline_macro',
  'link_modifier',
  'escape_sequence',
  'link',
  'anchor_declaration',
  'anchor_definition',
  'inline_link_target',
]);

const DROPPED = new Set(['bom', 'heading_prefix', 'list_prefix', 'quote_prefix', 'ranged_tag_end', 'multi_end']);

export function project(tree: Tree, mode: 'block' | 'full' = 'block'): string {
  const text = tree.text;
  const out = (n: SyntaxNode, from: number): string => {
    if (DROPPED.has(n.kind)) return '';
    if (mode === 'block' && INLINE.has(n.kind)) return '';
    const kids = (list: readonly SyntaxNode[] = n.children) =>
      list
        .map((c) => out(c, from + c.from))
        .filter((s) => s !== '')
        .join(' ');
    const wrap = (name: string, inner = kids()) => (inner ? `(${name} ${inner})` : `(${name})`);
    const lv = Math.min(n.level, 6);
    switch (n.kind) {
      case 'heading':
        return wrap(`heading${lv}`);
      case 'unordered_list':
        return wrap(`unordered_list${lv}`);
      case 'ordered_list':
        return wrap(`ordered_list${lv}`);
      case 'quote_item':
        return wrap(`quote${lv}`);
      case 'indent_segment':
        return wrap(`indent_segment${lv}`);
      case 'paragraph_segment':
        return mode === 'block' ? '(paragraph_segment)' : wrap('paragraph_segment');
      case 'ranged_verbatim_tag_content': {
        const lines = text.slice(from, from + n.length).split(/\r\n|\r|\n/);
        const segs = lines.filter((l) => l.trim() !== '').map(() => '(paragraph_segment)');
        return wrap('ranged_verbatim_tag_content', segs.join(' '));
      }
      case 'ranged_tag_content': {
        // tree-sitter-norg gives a content of blank lines one empty paragraph.
        const inner = kids();
        if (!inner && n.length > 0 && !/\S/.test(text.slice(from, from + n.length))) return '(ranged_tag_content (paragraph))';
        return wrap('ranged_tag_content', inner);
      }
      case 'priority':
        return '(priority)';
      case 'timestamp_data':
        return '(timestamp_data)';
      case 'link_location': {
        const d = n.data;
        let target = '(link_target_url)';
        if (d && d.type === 'link') {
          const t = d.target;
          if (t.kind === 'heading') target = `(link_target_heading${Math.min(t.level, 6)}) (paragraph)`;
          else if (t.kind === 'url') target = '(link_target_url) (paragraph)';
          else if (t.kind === 'generic') target = '(link_target_generic) (paragraph)';
          else if (t.kind === 'definition') target = '(link_target_definition) (paragraph)';
          else if (t.kind === 'footnote') target = '(link_target_footnote) (paragraph)';
          else if (t.kind === 'file') target = '(link_file_text)';
          else if (t.kind === 'line') target = '(link_target_line_number)';
          else target = '(link_target_url) (paragraph)';
        }
        return `(link_location ${target})`;
      }
      case 'link_description':
        return '(link_description (paragraph))';
      case 'inline_link_target':
        return '(inline_link_target (paragraph))';
      default:
        return wrap(n.kind);
    }
  };
  return out(tree.root, 0);
}
