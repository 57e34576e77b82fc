/**
 * One block line of the schedule section, read and written:
 *
 *   - 09:00-10:30 Cut the release {:../../../work:* Release}[work: Release] %block 1a2b3c4d 09:00-10:30%
 *   - 10:30-11:00 Phone the plumber %block 5e6f7a8b pinned%
 *   - 14:00-15:00 Dentist %fixed%
 *   - 16:00-17:00 Gym
 *
 * The trailing inline comment (Neorg conceals it) says what Planager wrote: the task's id and
 * the times it gave the block. A block whose shown times differ from those is one the user
 * moved: it is pinned, and written back with `pinned` in place of the times so that it stays
 * pinned. A block without a marker is the user's own (pinned, no task). `%fixed%` marks a
 * fixed event shown for reading; it is derived from its source every time. The marker is not
 * the mirror marker `%@id%`: a block is no mirror, and a plan refresh never rewrites it.
 *
 * A block may carry a todo status, `- (x) 09:00-10:30 …` (Neorg's toggle adds one): `(x)` is
 * done — the block stays where it is, its line kept as written, and its task is marked done
 * (edits.ts). Any other status reads as none.
 */
import { parseSpan, showSpan, type Span } from './time.js';

export type BlockLine =
  | { kind: 'derived'; id: string | null; span: Span }
  | { kind: 'pinned'; span: Span; id: string | null; text: string; done: boolean }
  | { kind: 'bad'; message: string };

const LINE = /^[ \t]*-[ \t]+(?:\(([^()]*)\)[ \t]+)?(\d\d:\d\d-\d\d:\d\d)(?:[ \t]+(.*?))?[ \t]*$/;
const MARK = /[ \t]*%block ([0-9a-f]{4,32}) (pinned|\d\d:\d\d-\d\d:\d\d)%$/;

/** A block, or null for a line that is not one (the user's note, kept). */
export function parseBlockLine(line: string): BlockLine | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const span = parseSpan(m[2]);
  if (!span) return { kind: 'bad', message: `"${m[2]}" is not a time range of the day (HH:MM-HH:MM, end after start)` };
  const done = m[1] === 'x';
  let rest = m[3] ?? '';
  if (/(^|[ \t])%fixed%$/.test(rest)) return { kind: 'derived', id: null, span };
  const mark = MARK.exec(rest);
  if (!mark) return { kind: 'pinned', span, id: null, text: rest, done };
  rest = rest.slice(0, mark.index);
  if (!done && mark[2] !== 'pinned' && mark[2] === m[2]) return { kind: 'derived', id: mark[1], span };
  return { kind: 'pinned', span, id: mark[1], text: rest.replace(/[ \t]*\{[^}]*\}(\[[^\]]*\])?$/, ''), done };
}

export function blockLine(b: { start: number; end: number; description: string; id: string | null; pinned: boolean; fixed: boolean }, link: string): string {
  const span = showSpan(b);
  const text = [b.description, link].filter(Boolean).join(' ');
  const head = `- ${span}${text ? ` ${text}` : ''}`;
  if (b.fixed) return `${head} %fixed%`;
  return b.id ? `${head} %block ${b.id} ${b.pinned ? 'pinned' : span}%` : head;
}
