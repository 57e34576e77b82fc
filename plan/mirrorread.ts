/**
 * Reading mirrors back: what each mirror line shows (status, priority, dates, text), so that an
 * edit of a mirror can be told from the task it shows and sent to the task (sync/mirrors.ts).
 * A mirror's head is `(extension) text`: what it shows. The link and the marker after it are
 * the plan's business and never read as the task's text. Pure.
 *
 * What a mirror shows is read by the rules every task line is read by (a one-line note made of
 * the head, parsed), so a mirror and a home line can never disagree about what `(x|< Fri)` means.
 */
import { extractObjects } from '../graph/index.js';
import { extractMirrors, parse, type TaskStatus, type Tree } from '../parser/index.js';
import { mirrorContent, type DateLike } from './mirror.js';
import type { PlanTask } from './tasks.js';

/** The fields a mirror shows, as text (dates as written: a change of the text is the edit). */
export interface Shown {
  status: TaskStatus;
  priority: string | null;
  due: string | null;
  scheduled: string | null;
  description: string;
}

export const SHOWN_FIELDS = ['status', 'priority', 'due', 'scheduled', 'description'] as const;
export type ShownField = (typeof SHOWN_FIELDS)[number];

export interface MirrorLine {
  /** The marker's hex id (a prefix of the task's uuid). */
  id: string;
  /** 1-based line. */
  line: number;
  /** The head: from the extension's `(` to the end of the text, before the link or marker. */
  headFrom: number;
  headTo: number;
  /** Null when the head is no longer a task line (the extension was broken): not read, not rewritten. */
  shown: Shown | null;
}

// The home link mirror.ts `homeLink` writes at the end: `{:rel:* Title}[name: Title]` or
// `{:rel:}[name]`, name the file's base name. Only that form is the link: a description of
// its own that ends with a link (`read {:docs:}[the docs]`) keeps it.
const TRAILING_LINK = /\s*\{:([^{}\n:]*):(?:(\*+) ([^{}\n]*))?\}\[([^\]\n]*)\]\s*$/;

function homeLinkAt(body: string): number {
  const m = TRAILING_LINK.exec(body);
  if (!m) return -1;
  const name = m[1]!.split('/').pop()!;
  const title = m[3];
  const label = m[4]!;
  return label === (title !== undefined ? `${name}: ${title}` : name) ? m.index : -1;
}

export function readMirrors(text: string, tree?: Tree): MirrorLine[] {
  if (!text.includes('%@')) return [];
  const out: MirrorLine[] = [];
  for (const m of extractMirrors(tree ?? parse(text))) {
    const markerFrom = m.markerTo - m.id.length - 3;
    let body = text.slice(m.contentFrom, markerFrom).replace(/\s+$/, '');
    const link = homeLinkAt(body);
    if (link >= 0) body = body.slice(0, link);
    const headTo = m.contentFrom + body.length;
    out.push({ id: m.id, line: m.line, headFrom: m.contentFrom, headTo, shown: shownOfHead(body) });
  }
  return out;
}

/** What a head reads as: the first task of the one-line note `- HEAD`. */
export function shownOfHead(head: string): Readonly<Shown> | null {
  if (!head.startsWith('(')) return null;
  let hit = shownCache.get(head);
  if (hit === undefined) {
    const t = extractObjects(parse(`- ${head}\n`), 'mirror.norg').tasks[0];
    hit = t ? Object.freeze({ status: t.status, priority: t.priority, due: t.due, scheduled: t.start, description: t.description }) : null;
    if (shownCache.size >= 4096) shownCache.clear();
    shownCache.set(head, hit);
  }
  return hit;
}

/**
 * Heads read before (frozen: shared): a plan reads each mirror's head twice (unsent edits, then
 * the refresh), and each read was a parse of its own.
 */
const shownCache = new Map<string, Readonly<Shown> | null>();

/** The head a mirror of this task writes (mirror.ts's format, without link and marker). */
export function mirrorHead(t: Pick<PlanTask, 'status' | 'priority' | 'due' | 'scheduled' | 'description'>, like: DateLike = {}): string {
  const full = mirrorContent({ ...t, uuid: '', id: '0', waiting: false, end: null, depends: [], project: null, home: null }, 'x.norg', like);
  return full.slice(0, full.length - ' %@0%'.length).replace(/\s+$/, '');
}

/** What a mirror of this task shows once written. */
export function shownOf(t: Pick<PlanTask, 'status' | 'priority' | 'due' | 'scheduled' | 'description'>, like: DateLike = {}): Shown | null {
  return shownOfHead(mirrorHead(t, like));
}

/** The fields two readings differ in. */
export function changedFields(was: Shown, now: Shown): ShownField[] {
  return SHOWN_FIELDS.filter((f) => was[f] !== now[f]);
}
