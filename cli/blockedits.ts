/**
 * The schedule's edits sent to Taskwarrior (plan/schedule/edits.ts decides them): a moved block
 * schedules its task, a block marked done completes it, a deleted one unschedules it. Each is
 * one `task UUID modify …` (argv words, no shell). The day's record of what the section held
 * is `.planager/schedule.json`, written atomically, and only when every write went through, so
 * that a failed one is tried again by the next run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockEdits, dayRecord, recordKey, sectionOf, type BlockEdits, type DayRecord, type TaskWrite } from '../plan/index.js';
import { pad } from '../plan/day.js';
import { writeAtomic, type Taskwarrior } from '../sync/index.js';
import type { PreparedPlan } from './plan.js';

interface Records {
  version: 1;
  days: Record<string, DayRecord>;
}

/** Days of records kept (the latest): an older plan note is history, not a schedule to act on. */
const KEEP_DAYS = 90;

const recordsPath = (dir: string) => join(dir, '.planager', 'schedule.json');

function readRecords(dir: string): Records {
  try {
    const r = JSON.parse(readFileSync(recordsPath(dir), 'utf8')) as Records;
    if (r.version === 1 && typeof r.days === 'object' && r.days !== null) return r;
  } catch {
    // none yet, or damaged: without a record no deletion is seen this once (nothing is written)
  }
  return { version: 1, days: {} };
}

export interface SentEdits {
  edits: BlockEdits;
  /** What was changed in Taskwarrior, one line each. */
  report: string[];
  problems: string[];
}

const localIso = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;

function argsOf(w: TaskWrite): string[] | 'done' {
  switch (w.kind) {
    case 'schedule':
      return [`scheduled:${localIso(w.at)}`];
    case 'unschedule':
      return ['scheduled:'];
    case 'done':
      return 'done';
    case 'reopen':
      return ['status:pending', 'end:'];
  }
}

function said(w: TaskWrite, description: string): string {
  switch (w.kind) {
    case 'schedule':
      return `scheduled ${localIso(w.at).slice(11, 16)}: ${description}`;
    case 'unschedule':
      return `unscheduled (its block was deleted): ${description}`;
    case 'done':
      return `done: ${description}`;
    case 'reopen':
      return `pending again (its block's mark was taken off): ${description}`;
  }
}

/** Reads the day's section in the note as it is now, and sends what the user changed in it. */
export async function sendBlockEdits(p: PreparedPlan, tw: Taskwarrior): Promise<SentEdits> {
  const record = readRecords(p.dir).days[recordKey(p.day)] ?? null;
  const edits = blockEdits({ day: p.day, lines: sectionOf(p.existing), record, tasks: p.tasks, uuidOf: p.uuidOf });
  const report: string[] = [];
  const problems: string[] = [];
  const name = new Map(p.tasks.map((t) => [t.uuid, t.description]));
  for (const w of edits.writes) {
    const r = await tw.modify(w.uuid, argsOf(w));
    if (r.ok) report.push(said(w, name.get(w.uuid) ?? w.uuid));
    else problems.push(`${said(w, name.get(w.uuid) ?? w.uuid)}: not written (${r.error.message}); the next run tries again`);
  }
  return { edits, report, problems };
}

/** After the note was written: what its section now holds, for the next run to compare with. */
export async function saveBlockRecord(p: PreparedPlan, text: string, sent: SentEdits): Promise<string | null> {
  if (sent.problems.length > 0) return null;
  const all = readRecords(p.dir);
  const key = recordKey(p.day);
  all.days[key] = dayRecord(sectionOf(text), sent.edits.removed, p.uuidOf);
  for (const d of Object.keys(all.days).sort().slice(0, -KEEP_DAYS)) delete all.days[d];
  try {
    await writeAtomic(recordsPath(p.dir), JSON.stringify(all));
    return null;
  } catch (e) {
    return `the schedule's record was not written (${(e as Error).message}): a block deleted now may be placed again`;
  }
}
