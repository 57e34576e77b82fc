/**
 * Mirror lines: a task shown in a plan note, its home elsewhere.
 *
 *   - ( |# A|< Fri 4th Dec 2026) Cut the release {:../../../work:* Planager release}[work: Planager release] %@1a2b3c4d%
 *
 * Valid norg that Neorg renders as an ordinary todo item: the extension shows the status,
 * priority, due (`<`) and scheduled (`>`) dates; the link is a file link with the home's
 * heading (relative to the plan note's folder, as Neorg resolves `{:path:}`), which Neorg
 * follows with <CR>; `%@id%` is an inline comment (Neorg conceals it) naming the task. It is
 * not the home id `%#id%` (parser/describe.ts), so no extraction takes a mirror for a task and
 * the duplicate-id rule cannot fire. A task with no home line shows without a link.
 */
import { posix } from 'node:path';
import { noteSafe, STATUS_CHAR } from '../graph/index.js';
import { MONTH_NAMES, WEEKDAY_NAMES } from '../parser/index.js';
import type { PlanTask } from './tasks.js';

const cap = (s: string) => s[0].toUpperCase() + s.slice(1, 3);

function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** The date texts a mirror showed: a new date keeps their form (ISO stays ISO, round2-F4). */
export interface DateLike {
  due?: string | null;
  scheduled?: string | null;
}

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/;
const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * `Fri 4th Dec 2026`, with `10:00` when the moment is not local midnight and `10:00:30` when it
 * has seconds (sync's new-date style: a mirror must read back as its task's exact moment,
 * round2-F7); `2026-12-04 10:00` when the mirror showed an ISO date (`like`).
 */
export function showDate(t: Date, like?: string | null): string {
  const time =
    t.getHours() || t.getMinutes() || t.getSeconds() ? `${p2(t.getHours())}:${p2(t.getMinutes())}${t.getSeconds() ? `:${p2(t.getSeconds())}` : ''}` : '';
  const day =
    like && ISO_LIKE.test(like.trim())
      ? `${t.getFullYear()}-${p2(t.getMonth() + 1)}-${p2(t.getDate())}`
      : `${cap(WEEKDAY_NAMES[(t.getDay() + 6) % 7])} ${ordinal(t.getDate())} ${cap(MONTH_NAMES[t.getMonth()])} ${t.getFullYear()}`;
  return time ? `${day} ${time}` : day;
}

/** One line of text that reads back as itself: no line break, no id comment, no marker. */
export function lineSafe(s: string): string {
  return (
    noteSafe(s)
      // As noteSafe does for ids: backslashes before a marker doubled, then the marker escaped.
      .replace(/(\\*)%@([0-9a-f]{4,32})%/g, (_m, bs: string, id: string) => `${bs}${bs}\\%@${id}%`)
      .trim()
  );
}

/** The home as a norg link, relative to the plan note, or '' for a task only in Taskwarrior. */
export function homeLink(t: PlanTask, planFile: string): string {
  if (!t.home) return '';
  let rel = posix.relative(posix.dirname(planFile), t.home.file).replace(/\.norg$/, '');
  if (rel === '') rel = posix.basename(t.home.file, '.norg');
  const name = posix.basename(t.home.file, '.norg');
  const title = t.home.headingPath[t.home.headingPath.length - 1];
  // A title that would break the link's syntax links to the file alone.
  if (title && t.home.headingLevel && !/[{}[\]%\\]/.test(title)) return `{:${rel}:${'*'.repeat(t.home.headingLevel)} ${title}}[${name}: ${title}]`;
  return `{:${rel}:}[${name}]`;
}

/** What a mirror line holds after its prefix (`- `): extension, text, link, marker. */
export function mirrorContent(t: PlanTask, planFile: string, like: DateLike = {}): string {
  const parts = [STATUS_CHAR[t.status]];
  if (t.priority) parts.push(`# ${lineSafe(t.priority).replace(/[|)]/g, ' ')}`);
  if (t.due) parts.push(`< ${showDate(t.due, like.due)}`);
  if (t.scheduled) parts.push(`> ${showDate(t.scheduled, like.scheduled)}`);
  const text = [lineSafe(t.description), homeLink(t, planFile)].filter(Boolean).join(' ');
  return `(${parts.join('|')}) ${text ? text + ' ' : ''}%@${t.id}%`;
}
