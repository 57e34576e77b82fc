/**
 * Reminders (issue 16): which ones fell due between two moments, from the day's schedule
 * blocks (start and end) and the tasks' due dates (a lead time before). Pure: the caller reads
 * the notes, Taskwarrior and the record of what was sent, and sends.
 *
 * A reminder's key names it for good (kind, task or block, moment), so the record of keys sent
 * makes each go out exactly once, however often or late the caller runs: a machine that slept
 * through a block's start sends it when it wakes (within `maxLate`), never twice.
 *
 * A reminder holds until the moment it is about: a block's start until the block ends, a due
 * date's until the task is due, a block's end at its moment. So a task added at 09:01 due at
 * 09:10 (its 15-minute lead fell at 08:55, before the last run) is still reminded, and so is a
 * block written into the plan once it has begun.
 */

export interface ScheduledBlock {
  start: Date;
  end: Date;
  text: string;
  /** Marked done `(x)`: no reminder is sent for it (a calendar still shows it). */
  done?: boolean;
}

export interface DueTask {
  uuid: string;
  description: string;
  due: Date;
}

export interface Reminder {
  key: string;
  at: Date;
  kind: 'start' | 'end' | 'due';
  /** Still worth sending until this moment (at least `at`). */
  until: Date;
  title: string;
  body: string;
}

export interface RemindInput {
  blocks: readonly ScheduledBlock[];
  tasks: readonly DueTask[];
  /** How long before a due date its reminder goes (ms). */
  lead: number;
  /** The window: reminders at moments up to `to` that still hold after `from`. */
  from: Date;
  to: Date;
  sent: ReadonlySet<string>;
  /** Reminders older than this when found are dropped (a week-long sleep sends no backlog). */
  maxLate?: number;
}

const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

export function dueReminders(i: RemindInput): Reminder[] {
  const all: Reminder[] = [];
  for (const b of i.blocks) {
    const span = `${hhmm(b.start)}–${hhmm(b.end)}`;
    all.push({ key: `start:${b.start.toISOString()}:${b.text}`, at: b.start, kind: 'start', until: b.end, title: `Now: ${b.text}`, body: `${span} ${b.text}` });
    all.push({
      key: `end:${b.end.toISOString()}:${b.text}`,
      at: b.end,
      kind: 'end',
      until: b.end,
      title: `Done? ${b.text}`,
      body: `${span} ${b.text} ends now`,
    });
  }
  for (const t of i.tasks) {
    const at = new Date(t.due.getTime() - i.lead);
    all.push({
      key: `due:${t.uuid}:${t.due.toISOString()}`,
      at,
      kind: 'due',
      until: t.due > at ? t.due : at,
      title: `Due ${hhmm(t.due)}: ${t.description}`,
      body: `${t.description} is due at ${hhmm(t.due)}`,
    });
  }
  const oldest = i.to.getTime() - (i.maxLate ?? 24 * 3600_000);
  return all
    .filter((r) => r.until.getTime() > Math.max(i.from.getTime(), oldest) && r.at.getTime() <= i.to.getTime() && !i.sent.has(r.key))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The blocks of a schedule section's lines (`- 09:00-10:30 Cut the release {…}[…] %block …%`)
 * on a day: the times and the text (link and markers cut off).
 */
export function blocksOf(lines: readonly string[], day: { y: number; m: number; d: number }): ScheduledBlock[] {
  const out: ScheduledBlock[] = [];
  for (const l of lines) {
    const m = /^[ \t]*-[ \t]+(?:\(([^()]*)\)[ \t]+)?(\d\d):(\d\d)-(\d\d):(\d\d)[ \t]+(.*?)[ \t]*$/.exec(l);
    if (!m) continue;
    const text = m[6]!
      .replace(/[ \t]*%[^%]*%$/, '')
      .replace(/[ \t]*\{[^{}]*\}(\[[^\]]*\])?$/, '')
      .trim();
    const at = (h: string, mi: string) => new Date(day.y, day.m - 1, day.d, Number(h), Number(mi));
    const start = at(m[2]!, m[3]!);
    const end = at(m[4]!, m[5]!);
    if (end > start && text) out.push({ start, end, text, ...(m[1] === 'x' ? { done: true } : {}) });
  }
  return out;
}
