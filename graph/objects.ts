/**
 * Objects of one file: tasks (list items and headings with a status) and projects (headings),
 * with every field of doc/design.md §5 and the source span of each field, so that a change to a
 * field can be written back as the smallest edit (patch.ts).
 *
 * Decisions:
 * - Project: the file's base project (`project:` in @document.meta) followed by the enclosing
 *   heading titles, dot-joined. Dots inside a title become `_` so the path splits back cleanly.
 * - Tags: carryover tags that are not norg's own (`#comment`, `#name`, …). A weak one (`+work`)
 *   tags the next item, a strong one (`#work`) every item of the list it stands before.
 * - Links in a task's text ({* heading}, {:file:* heading}, {# name}) are dependencies.
 * - Identity: the id comment (`%#1a2b3c4d%`) when there is one; a task without one gets a
 *   provisional key from its file and position until sync gives it an id.
 *
 * Why one file of ~500 lines: tasks and projects come out of one walk over the tree, sharing
 * its heading stack, list context and carryover tags; the field readers below it (description,
 * extension, spans) are small functions of that walk's state, and a split would pass that state
 * between files instead of keeping it in one place.
 */
import { STATUS_NAMES } from '../parser/extension.js';
import { holdsNoTasks, ID_COMMENT, MIRROR_COMMENT, walk, type LinkTarget, type SyntaxNode, type TaskStatus, type Tree } from '../parser/index.js';
import { describe } from '../parser/describe.js';
import { hashJoined } from './hash.js';

export interface Span {
  from: number;
  to: number;
}

export interface TaskSpans {
  /** The whole item, nested items included. */
  item: Span;
  /** Start of the item's line and the prefix (`-`, `**`…). */
  lineStart: number;
  prefix: Span;
  ext: Span | null;
  /** The status part (one character, or `+ date` for recurrence). */
  status: Span | null;
  parts: { kind: string; span: Span; value: Span | null }[];
  /** The description's source range: from its first to its last character. */
  description: Span;
  /** Where each character of `description` came from, for minimal edits (`sourceAt` reads it). */
  descRuns: readonly number[];
  /** The source text from `descBase` to the end of the description (to look around the id). */
  descText: string;
  descBase: number;
  /** End of the content of the item's first line (where a new id goes). */
  firstLineEnd: number;
  id: Span | null;
  /** Whitespace before the prefix. */
  indent: string;
  /** `+tag` lines that belong to this item alone (removable); list-wide `#tag`s are not here. */
  tagLines: { name: string; from: number; to: number }[];
}

export interface TaskObject {
  key: string;
  id: string | null;
  file: string;
  kind: 'item' | 'heading';
  level: number;
  line: number;
  status: TaskStatus;
  description: string;
  priority: string | null;
  due: string | null;
  start: string | null;
  timestamp: string | null;
  recurrence: string | null;
  tags: string[];
  project: string;
  headingPath: string[];
  /** Key of the enclosing task (a list item or a heading with a status). */
  parent: string | null;
  links: LinkTarget[];
  spans: TaskSpans;
  hash: string;
}

export interface ProjectObject {
  key: string;
  file: string;
  title: string;
  path: string[];
  level: number;
  span: Span;
  /** Offset where content for this heading can be appended (end of its direct content). */
  contentEnd: number;
  /** The indentation its list items use, if it has any. */
  itemIndent: string | null;
  /** Indentation of the heading line itself. */
  indent: string;
  taskKey: string | null;
  /** The heading's `+goal 20` / `+goal 2026-12-31` carryover tag's parameters (plan/track), if any. */
  goal: string | null;
}

export interface FileObjects {
  file: string;
  tasks: TaskObject[];
  projects: ProjectObject[];
  baseProject: string | null;
  /** Ids written twice: the second and later lines lost the id (the first keeps it). */
  duplicateIds: { id: string; line: number; keptAt: number }[];
}

const NORG_TAGS = new Set([
  'comment',
  'name',
  'ordered',
  'color',
  'export',
  'id',
  'choice',
  'image',
  'embed',
  'code',
  'table',
  'document.meta',
  'example',
  'math',
  'group',
  'details',
  'unordered',
]);

function fieldsHash(t: TaskObject): string {
  return hashJoined([
    t.id ?? '',
    t.file,
    t.kind,
    t.status,
    t.description,
    t.priority ?? '',
    t.due ?? '',
    t.start ?? '',
    t.timestamp ?? '',
    t.recurrence ?? '',
    t.tags.length === 0 ? '' : t.tags.join(','),
    t.project,
    unqualified(t.parent) ?? '',
    t.links.length === 0 ? '[]' : JSON.stringify(t.links),
  ]);
}

/**
 * A task key as the default extraction writes it: a file-qualified id key (`keyByFile`) hashes
 * as the plain one, so both extractions give a task the same hash (the editor's pre-push
 * compares them).
 */
function unqualified(key: string | null): string | null {
  if (!key || !key.startsWith('id:')) return key;
  const at = key.indexOf('@');
  return at < 0 ? key : key.slice(0, at);
}

/** The heading path of what stands under no heading (shared, so never to be mutated). */
const NO_TITLES: string[] = Object.freeze([]) as unknown as string[];

/**
 * `focus`: extract only along the path to that offset (the items and headings holding it),
 * for a write that changed one line: the task there gets exactly the object a full extraction
 * gives it (its context is its ancestors, and the document meta), at a cost that does not
 * grow with the file. Ids are not checked for duplicates against the rest of the file.
 */
export function extractObjects(tree: Tree, file: string, focus?: number, keyByFile = false): FileObjects {
  const text = tree.text;
  const lines = tree.lines;
  const tasks: TaskObject[] = [];
  const projects: ProjectObject[] = [];
  const seen = new Map<string, number>();
  const duplicateIds: FileObjects['duplicateIds'] = [];
  let baseProject: string | null = null;

  interface Frame {
    depth: number;
    kind: 'heading' | 'item' | 'list';
    title?: string;
    taskKey: string | null;
    tags: string[];
    firstTags?: string[];
    firstTagLines?: { name: string; from: number; to: number }[];
    first?: SyntaxNode;
    /** A heading's titles from the top, its own last (shared by the objects under it). */
    path?: string[];
    /** The titles its project is made of: `path` less the headings of generated plan sections. */
    projectPath?: string[];
    /** Its project, and the base project it was built on (the meta may come later). */
    project?: string;
    projectBase?: string | null;
  }
  const frames: Frame[] = [];
  const innerHeading = (): Frame | null => {
    for (let i = frames.length - 1; i >= 0; i--) if (frames[i].kind === 'heading') return frames[i];
    return null;
  };
  const headingTitles = (): string[] => innerHeading()?.path ?? NO_TITLES;
  const enclosingTask = () => {
    for (let i = frames.length - 1; i >= 0; i--) if (frames[i].kind !== 'list' && frames[i].taskKey) return frames[i].taskKey;
    return null;
  };
  const projectOf = (titles: string[]) => [baseProject, ...titles.map((t) => t.replace(/\./g, '_'))].filter((x): x is string => !!x).join('.');
  // A plan note's section headings ("* Carried over" holding `|planager carried`, "* Schedule"
  // holding `|planager schedule`) are the template's, not projects: a task typed under one gets
  // the project of the headings above it (none at the top), not "Carried over". A viewport's
  // heading stays a project heading (the user named it; tasks added in the view get its filter's).
  const projectPathOf = (n: SyntaxNode, title: string): string[] => {
    const above = innerHeading();
    const base = above ? (above.projectPath ?? above.path!) : NO_TITLES;
    const section = n.children.some((c) => c.kind === 'ranged_tag' && c.data?.type === 'tag' && c.data.name === 'planager' && c.data.params[0] !== 'view');
    return section ? base : [...base, title];
  };
  // Per heading, not per task: every task under one heading has the same project.
  const projectHere = (): string => {
    const h = innerHeading();
    if (!h) return projectOf(NO_TITLES);
    if (h.project === undefined || h.projectBase !== baseProject) {
      h.project = projectOf(h.projectPath ?? h.path!);
      h.projectBase = baseProject;
    }
    return h.project;
  };

  // A task-bearing node (list item or heading): its fields, spans and identity.
  const visitItem = (n: SyntaxNode, from: number, to: number, depth: number): boolean => {
    const isHeading = n.kind === 'heading';
    const ext = n.children.find((c) => c.kind === 'detached_modifier_extension');
    const statusPart = ext?.children.find((c) => STATUS_NAMES[c.kind] !== undefined);
    const prefix = n.children.find((c) => c.kind === 'heading_prefix' || c.kind === 'list_prefix')!;
    const prefixFrom = from + prefix.from;
    const line = lines.lineAt(prefixFrom);
    const lineStart = lines.lineStart(line);
    const titleSeg = isHeading ? n.children.find((c) => c.kind === 'paragraph_segment') : undefined;
    const para = isHeading ? undefined : n.children.find((c) => c.kind === 'paragraph');
    const desc = describe(
      text,
      titleSeg ? [{ n: titleSeg, from: from + titleSeg.from }] : para ? para.children.map((s) => ({ n: s, from: from + para.from + s.from })) : [],
      isHeading ? prefixFrom + prefix.length : prefixFrom + prefix.length,
    );
    const titles = headingTitles();
    if (isHeading) {
      const path = [...titles, desc.text];
      projects.push({
        key: `${file}#${path.join('/')}`,
        file,
        title: desc.text,
        path,
        level: n.level,
        span: { from, to },
        contentEnd: headingContentEnd(n, from),
        itemIndent: firstItemIndent(text, n, from),
        indent: text.slice(lineStart, prefixFrom),
        taskKey: null,
        goal: goalOf(n),
      });
    }
    let key: string | null = null;
    // A mirror (`%@id%`, written by plan/) shows a task whose home is another line: not a task.
    if (ext && statusPart && !desc.mirror) {
      let id = desc.id;
      if (id) {
        const first = seen.get(id);
        if (first !== undefined) {
          duplicateIds.push({ id, line: line + 1, keptAt: first });
          id = null;
        } else seen.set(id, line + 1);
      }
      // Keyed by id alone, a line keeps its key when it moves to another note; keyed by file
      // too (the sync's graph), a line and its copy in another note stay two tasks.
      key = id ? (keyByFile ? `id:${id}@${file}` : `id:${id}`) : `new:${file}:${prefixFrom}`;
      const listFrame = !isHeading && frames.length > 0 && frames[frames.length - 1].kind === 'list' ? frames[frames.length - 1] : null;
      const listTags = listFrame ? [...listFrame.tags, ...(listFrame.first === n ? (listFrame.firstTags ?? []) : [])] : [];
      const tags = [...new Set([...listTags, ...carryTags(n, 'weak_carryover_set'), ...carryTags(n, 'strong_carryover_set')])];
      const extFrom = from + ext.from;
      const parts = ext.children.map((p) => {
        const v = p.children[0];
        const pf = extFrom + p.from;
        return {
          kind: p.kind,
          span: { from: pf, to: pf + p.length },
          value: v ? { from: pf + v.from, to: pf + v.from + v.length } : p.kind === 'priority' ? valueSpan(text, pf, pf + p.length) : null,
        };
      });
      const value = (kind: string) => {
        const p = parts.find((q) => q.kind === kind);
        return p && p.value ? text.slice(p.value.from, p.value.to) : null;
      };
      const statusSpan = parts.find((p) => STATUS_NAMES[p.kind] !== undefined)!.span;
      // One literal with every field (no spread): all tasks share one object shape, which
      // keeps extraction and everything downstream on V8's fast paths (measured 2-3x).
      const task: TaskObject = {
        key,
        id,
        file,
        kind: isHeading ? 'heading' : 'item',
        level: n.level,
        line: line + 1,
        status: STATUS_NAMES[statusPart.kind] as TaskStatus,
        description: desc.text,
        priority: value('priority'),
        due: value('due'),
        start: value('start'),
        timestamp: value('timestamp'),
        recurrence: statusPart.kind === 'todo_item_recurring' ? (value('todo_item_recurring') ?? '') : null,
        tags,
        project: projectHere(),
        headingPath: titles,
        parent: enclosingTask(),
        links: desc.links,
        spans: {
          item: { from, to },
          lineStart,
          prefix: { from: prefixFrom, to: prefixFrom + prefix.length },
          ext: { from: extFrom, to: extFrom + ext.length },
          status: statusSpan,
          parts,
          description: desc.span,
          descRuns: desc.runs,
          descText: text.slice(lineStart, Math.max(desc.span.to, desc.idSpan?.to ?? 0)),
          descBase: lineStart,
          firstLineEnd: desc.firstLineEnd,
          id: desc.idSpan,
          indent: text.slice(lineStart, prefixFrom),
          tagLines:
            listFrame && listFrame.first === n && listFrame.firstTagLines && listFrame.firstTagLines.length > 0
              ? [...listFrame.firstTagLines, ...tagLinesOf(text, n, from)]
              : tagLinesOf(text, n, from),
        },
        hash: '',
      };
      task.hash = fieldsHash(task);
      tasks.push(task);
      if (isHeading) projects[projects.length - 1].taskKey = key;
    }
    frames.push({
      depth,
      kind: isHeading ? 'heading' : 'item',
      title: isHeading ? desc.text : undefined,
      taskKey: key,
      tags: [],
      path: isHeading ? projects[projects.length - 1].path : undefined,
      projectPath: isHeading ? projectPathOf(n, desc.text) : undefined,
    });
    return true;
  };

  walk(tree, (n, from, to, depth) => {
    if (focus !== undefined && (focus < from || focus >= to) && n.kind !== 'ranged_verbatim_tag') return false;
    while (frames.length > 0 && frames[frames.length - 1].depth >= depth) frames.pop();
    switch (n.kind) {
      case 'ranged_verbatim_tag': {
        if (focus !== undefined && (focus < from || focus >= to) && !(n.data?.type === 'meta')) return false;
        if (n.data?.type === 'meta' && typeof n.data.value === 'object' && !Array.isArray(n.data.value)) {
          const p = n.data.value.project;
          if (typeof p === 'string' && p.trim()) baseProject = p.trim();
        }
        return false;
      }
      case 'ranged_tag':
        return !holdsNoTasks(n.data);
      case 'quote':
        return false;
      case 'generic_list': {
        // A list's strong tags apply to every item; weak ones standing before the list belong
        // to its first item (the assembler attaches them to the list that starts there).
        frames.push({
          depth,
          kind: 'list',
          taskKey: null,
          tags: carryTags(n, 'strong_carryover_set'),
          firstTags: carryTags(n, 'weak_carryover_set'),
          firstTagLines: tagLinesOf(text, n, from),
          first: n.children.find((c) => c.kind === 'unordered_list' || c.kind === 'ordered_list'),
        });
        return true;
      }
      case 'heading':
      case 'unordered_list':
      case 'ordered_list':
        return visitItem(n, from, to, depth);
      default:
        return true;
    }
  });
  return { file, tasks, projects, baseProject, duplicateIds };
}

function valueSpan(text: string, from: number, to: number): Span | null {
  let f = from + 1;
  while (f < to && /\s/.test(text[f])) f++;
  // Trailing space too: `( |# A )` is priority A (round2-F6: it was "A ", other text).
  let t = to;
  while (t > f && /\s/.test(text[t - 1])) t--;
  return f < t ? { from: f, to: t } : null;
}

/** The whole lines of the weak carryover tags standing right before a node (its own `+tag`s). */
function tagLinesOf(text: string, n: SyntaxNode, from: number): { name: string; from: number; to: number }[] {
  const out: { name: string; from: number; to: number }[] = [];
  for (const c of n.children) {
    if (c.kind !== 'weak_carryover_set') continue;
    for (const t of c.children) {
      if (t.data?.type !== 'tag' || NORG_TAGS.has(t.data.name)) continue;
      const a = from + c.from + t.from;
      let ls = a;
      while (ls > 0 && text[ls - 1] !== '\n' && text[ls - 1] !== '\r') ls--;
      let le = a + t.length;
      while (le < text.length && text[le] !== '\n' && text[le] !== '\r') le++;
      if (text[le] === '\r' && text[le + 1] === '\n') le += 2;
      else if (le < text.length) le++;
      out.push({ name: t.data.name, from: ls, to: le });
    }
  }
  return out;
}

/** A heading's goal: the parameters of its `+goal …` (or `#goal …`) carryover tag. */
function goalOf(n: SyntaxNode): string | null {
  for (const c of n.children) {
    if (c.kind !== 'weak_carryover_set' && c.kind !== 'strong_carryover_set') continue;
    for (const t of c.children) if (t.data?.type === 'tag' && t.data.name === 'goal') return t.data.params.join(' ').trim() || null;
  }
  return null;
}

function carryTags(n: SyntaxNode, setKind: 'weak_carryover_set' | 'strong_carryover_set'): string[] {
  const out: string[] = [];
  for (const c of n.children) {
    if (c.kind !== setKind) continue;
    for (const t of c.children) if (t.data?.type === 'tag' && !NORG_TAGS.has(t.data.name)) out.push(t.data.name);
  }
  return out;
}

/** End of a heading's own content: before its first subheading, else its end. */
function headingContentEnd(n: SyntaxNode, from: number): number {
  let end = from;
  for (const c of n.children) {
    if (c.kind === 'heading') break;
    if (c.kind === 'weak_paragraph_delimiter') break;
    end = from + c.from + c.length;
  }
  return end;
}

function firstItemIndent(text: string, n: SyntaxNode, from: number): string | null {
  for (const c of n.children) {
    if (c.kind !== 'generic_list') continue;
    const item = c.children.find((k) => k.kind === 'unordered_list' || k.kind === 'ordered_list');
    if (!item) continue;
    const itemFrom = from + c.from + item.from;
    const prefix = item.children.find((k) => k.kind === 'list_prefix');
    const p = itemFrom + (prefix ? prefix.from : 0);
    let s = p;
    while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
    return text.slice(s, p);
  }
  return null;
}

/** What pre-write needs of each task, and nothing more: no descriptions, spans or hashes. */
export interface LightTask {
  key: string;
  id: string | null;
  status: import('../parser/index.js').TaskStatus;
  parent: string | null;
}

/**
 * A fast pass over the tree for the write path: ids, statuses and nesting only. Keys match
 * extractObjects' (`id:…`, or `new:file:offset`), so the full extraction can take over when
 * there is something to patch.
 */
export function lightTasks(tree: Tree, file: string): LightTask[] {
  const text = tree.text;
  const out: LightTask[] = [];
  const stack: { depth: number; key: string | null }[] = [];
  const seen = new Set<string>();
  walk(tree, (n, from, _to, depth) => {
    while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
    switch (n.kind) {
      case 'ranged_verbatim_tag':
      case 'quote':
        return false;
      case 'ranged_tag':
        return !holdsNoTasks(n.data);
      case 'heading':
      case 'unordered_list':
      case 'ordered_list': {
        let statusKind: string | undefined;
        let prefixFrom = from;
        let idText: string | null = null;
        let mirror = false;
        for (const c of n.children) {
          if (c.kind === 'detached_modifier_extension') {
            for (const p of c.children)
              if (STATUS_NAMES[p.kind] !== undefined) {
                statusKind = p.kind;
                break;
              }
          } else if (c.kind === 'heading_prefix' || c.kind === 'list_prefix') prefixFrom = from + c.from;
          else if (!idText && (c.kind === 'paragraph' || c.kind === 'paragraph_segment')) {
            const found = findIdIn(text, c, from + c.from);
            idText = found.id;
            mirror = found.mirror;
          }
        }
        let key: string | null = null;
        if (statusKind && (idText || !mirror)) {
          let id = idText;
          if (id && seen.has(id)) id = null;
          if (id) seen.add(id);
          key = id ? `id:${id}` : `new:${file}:${prefixFrom}`;
          const parent = stack.length > 0 ? stack[stack.length - 1].key : null;
          out.push({ key, id, status: STATUS_NAMES[statusKind] as LightTask['status'], parent });
        }
        stack.push({ depth, key: key ?? (stack.length > 0 ? stack[stack.length - 1].key : null) });
        return true;
      }
      default:
        return true;
    }
  });
  return out;
}

/** The id comment of a task's text, and whether it holds a mirror marker (describe's rule). */
function findIdIn(text: string, n: SyntaxNode, from: number): { id: string | null; mirror: boolean } {
  const segs = n.kind === 'paragraph' ? n.children : [n];
  let mirror = false;
  for (const seg of segs) {
    const sf = n.kind === 'paragraph' ? from + seg.from : from;
    for (const c of seg.children) {
      if (c.kind !== 'inline_comment') continue;
      const cf = sf + c.from;
      const s = text.slice(cf, cf + c.length);
      const m = ID_COMMENT.exec(s);
      if (m) return { id: m[1], mirror: false };
      if (MIRROR_COMMENT.test(s)) mirror = true;
    }
  }
  return { id: null, mirror };
}
