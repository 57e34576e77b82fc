/**
 * `planager schedule [--date D] [--workspace DIR] [--json] [--explain] [--path P] [--templates DIR]`: refresh the day's plan
 * note (as `planager plan daily`, creating it when missing), regenerate its `|planager
 * schedule` section and print the schedule. Reads the notes and Taskwarrior once, writes the
 * one note under the workspace lock, and only when a byte changed.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clock, isError, isoDay, schedule, showSpan, type PlanError, type Scheduled } from '../plan/index.js';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { blocksOf } from '../plan/remind/index.js';
import { scheduleIcs } from '../plan/remind/ics.js';
import { acquireLock, recordPlanMirrors, Taskwarrior, writeAtomic } from '../sync/index.js';
import { saveBlockRecord, sendBlockEdits } from './blockedits.js';
import { preparePlan, readText, type Deps, type PreparedPlan } from './plan.js';
import type { CommandResult } from './result.js';

export interface ScheduleFlags {
  date?: string;
  workspace?: string;
  json?: boolean;
  explain?: boolean;
  /** As for `planager plan daily`: where the daily note is, and its template. */
  path?: string;
  templates?: string;
  /** Also write the day's blocks as an iCalendar file (plan/remind/ics.ts). */
  ics?: string;
}

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager schedule: ${message}\n` });

export interface Done {
  text: string;
  scheduled: Scheduled;
  warnings: string[];
  changed: boolean;
}

/** The plan refreshed, then its schedule regenerated, over one text of the note. */
export function computeSchedule(p: PreparedPlan, text: string | null, removed: ReadonlySet<string> = new Set()): Done | PlanError {
  const plan = p.compute(text);
  if (isError(plan)) return plan;
  const s = schedule({ file: plan.path, text: plan.text, day: p.day, tasks: p.tasks, removed });
  if (isError(s)) return s;
  return { text: s.text, scheduled: s, warnings: [...plan.warnings, ...s.warnings], changed: text === null || s.text !== text };
}

export async function writeSchedule(p: PreparedPlan, first: Done, removed: ReadonlySet<string> = new Set()): Promise<Done | { message: string }> {
  if (!first.changed) return first;
  const locked = await acquireLock(join(p.dir, '.planager'));
  if (!locked.ok) return { message: locked.message };
  try {
    // The note may have been written meanwhile (a sync, an editor): schedule what is there now.
    const now = readText(p.abs);
    if (now !== null && typeof now === 'object') return { message: now.error };
    const r = now === p.existing ? first : computeSchedule(p, now, removed);
    if (isError(r)) return r;
    if (r.changed) {
      mkdirSync(dirname(p.abs), { recursive: true });
      await writeAtomic(p.abs, r.text);
      // The plan's mirrors were refreshed too: the sync must know what they show (sync/planstate.ts).
      await recordPlanMirrors(p.dir, p.rel, r.text, p.uuidOf, p.unsent);
    }
    return r;
  } finally {
    await locked.lock.release();
  }
}

export function scheduleJson(date: string, s: Scheduled): string {
  const out = {
    date,
    blocks: s.placement.blocks.map((b) => ({
      start: clock(b.start),
      end: clock(b.end),
      uuid: b.uuid,
      description: b.description,
      pinned: b.pinned,
      fixed: b.fixed,
    })),
    unplaced: s.placement.unplaced.map((u) => ({ uuid: u.uuid, description: u.description, reason: u.reason })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

export function scheduleTable(s: Scheduled): string {
  const lines = s.placement.blocks.map((b) => `${showSpan(b)}  ${b.description}${b.fixed ? '  (fixed)' : b.pinned ? '  (pinned)' : ''}`);
  if (lines.length === 0) lines.push('(no blocks)');
  if (s.placement.unplaced.length > 0) lines.push(`not placed: ${s.placement.unplaced.length} (--explain says why)`);
  return lines.join('\n') + '\n';
}

export async function scheduleCommand(flags: ScheduleFlags, deps: Deps = {}): Promise<CommandResult> {
  const tw = deps.tw ?? new Taskwarrior();
  const prepare = () => preparePlan('daily', { date: flags.date, workspace: flags.workspace, path: flags.path, templates: flags.templates }, { ...deps, tw });
  let p = await prepare();
  if (!p.ok) return fail(p.message);
  // What the user changed in the section goes to Taskwarrior first; the plan is then read again.
  const sent = await sendBlockEdits(p, tw);
  if (sent.report.length > 0) {
    p = await prepare();
    if (!p.ok) return fail(p.message);
  }
  const removed = new Set(sent.edits.removed);
  const first = computeSchedule(p, p.existing, removed);
  if (isError(first)) return fail(first.message);
  const r = await writeSchedule(p, first, removed);
  if (!('text' in r)) return fail(r.message);
  const unsaved = await saveBlockRecord(p, r.text, sent);
  const warnings =
    [...p.warnings, ...r.warnings, ...sent.problems, ...(unsaved ? [unsaved] : [])].map((x) => `planager schedule: ${x}\n`).join('') || undefined;
  const code = sent.problems.length > 0 ? 2 : 0;
  const tasks = sent.report.map((l) => `taskwarrior: ${l}\n`).join('');
  const date = isoDay(p.day);
  if (flags.ics) {
    const lines = r.text.split(/\r?\n/);
    const at = lines.findIndex((l) => /^\s*\|planager schedule\b/.test(l));
    const end = lines.findIndex((l, i) => i > at && /^\s*\|end\s*$/.test(l));
    const blocks = at < 0 ? [] : blocksOf(lines.slice(at + 1, end < 0 ? undefined : end), p.day);
    const uid = (text: string) => `${date}-${createHash('sha1').update(text).digest('hex').slice(0, 12)}@planager`;
    try {
      await writeAtomic(
        resolve(flags.ics),
        scheduleIcs(
          blocks.map((b) => ({ ...b, uid: uid(b.text) })),
          new Date(),
        ),
      );
    } catch (e) {
      return fail(`cannot write ${flags.ics}: ${(e as Error).message}`);
    }
  }
  if (flags.json) return { code, stdout: scheduleJson(date, r.scheduled), stderr: tasks + (warnings ?? '') || undefined };
  if (flags.explain) return { code, stdout: `${p.abs}\n${r.scheduled.explanation}${tasks}`, stderr: warnings };
  return { code, stdout: `${p.abs}\n${scheduleTable(r.scheduled)}${tasks}`, stderr: warnings };
}
