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

/** `Fri 4th Dec 2026`, with `10:00` when the moment is not local midnight (sync's new-date style). */
export function showDate(t: Date): string {
  const day = `${cap(WEEKDAY_NAMES[(t.getDay() + 6) % 7])} ${ordinal(t.getDate())} ${cap(MONTH_NAMES[t.getMonth()])} ${t.getFullYear()}`;
  if (t.getHours() === 0 && t.getMinutes() === 0) return day;
  return `${day} ${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
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
export function mirrorContent(t: PlanTask, planFile: string): string {
  const parts = [STATUS_CHAR[t.status]];
  if (t.priority) parts.push(`# ${lineSafe(t.priority).replace(/[|)]/g, ' ')}`);
  if (t.due) parts.push(`< ${showDate(t.due)}`);
  if (t.scheduled) parts.push(`> ${showDate(t.scheduled)}`);
  const text = [lineSafe(t.description), homeLink(t, planFile)].filter(Boolean).join(' ');
  return `(${parts.join('|')}) ${text ? text + ' ' : ''}%@${t.id}%`;
}
