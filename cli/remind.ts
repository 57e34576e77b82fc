/**
 * `planager remind [--now ISO-TIME] [--ntfy URL] [--desktop] [--lead 15m] [--workspace DIR] [--watch]`:
 * sends the reminders that fell due since the last run (plan/remind): the starts and ends of
 * the day's schedule blocks, and due dates a lead time ahead. Made to run every minute (cron, a
 * systemd user timer): each reminder goes out once, a run after the machine slept sends what
 * it missed (up to a day late), and one a channel failed to deliver is sent again next run.
 *
 * Channels: the output (always), ntfy (one HTTP POST per reminder to the topic URL, with
 * `$PLANAGER_NTFY_TOKEN` as a bearer token when set), the desktop (`notify-send`, run without
 * a shell). The record (`.planager/reminders.json`) is written atomically under the workspace
 * lock, so two runs at once never send one twice. Reads Taskwarrior's data files: no `task`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { addDays, dayOf, isoDay, pathOf, periodOf, type Day } from '../plan/index.js';
import { blocksOf, dueReminders, type DueTask, type Reminder, type ScheduledBlock } from '../plan/remind/index.js';
import { parseDuration } from '../plan/schedule/index.js';
import { acquireLock, allTasks, messageEditors, parseTwDate, Taskwarrior, writeAtomic } from '../sync/index.js';
import { localDay, quietKey, stampOf, type Quiet } from './quiet.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

const run = promisify(execFile);

export interface RemindFlags {
  'install-timer'?: boolean;
  now?: string;
  ntfy?: string;
  desktop?: boolean;
  /** Show each reminder in the running Neovims (vim.notify, through the live-refresh signal). */
  neovim?: boolean;
  lead?: string;
  workspace?: string;
}

interface Record_ {
  version: 1;
  /** Reminders up to this moment were looked at (and sent, or failed and are looked at again). */
  last: string | null;
  sent: Record<string, string>;
  /** How long the next runs have provably nothing to send (quiet.ts). */
  quiet?: Quiet;
}

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager remind: ${message}\n` });

function readRecord(path: string): Record_ {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as Record_;
    if (r.version === 1 && typeof r.sent === 'object' && r.sent !== null) return r;
  } catch {
    // none yet, or damaged: start afresh (at worst a reminder of the last minutes goes again)
  }
  return { version: 1, last: null, sent: {} };
}

/** The schedule section's lines of a day's plan note ([] when there is none). */
function scheduleLines(dir: string, day: Day): string[] {
  const path = join(dir, pathOf(periodOf('daily', day)));
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const at = lines.findIndex((l) => /^\s*\|planager schedule\b/.test(l));
  if (at < 0) return [];
  const end = lines.findIndex((l, i) => i > at && /^\s*\|end\s*$/.test(l));
  return lines.slice(at + 1, end < 0 ? undefined : end);
}

/** Every file a run reads, stamped (quiet.ts): Taskwarrior's data and rc files, the days' plan notes. */
function quietFiles(dir: string, days: Day[], tw: Taskwarrior, env: NodeJS.ProcessEnv): [string, string | null][] {
  const data = tw.dataDir();
  const paths = [
    ...['pending.data', 'completed.data', 'undo.data', 'taskchampion.sqlite3'].map((f) => join(data, f)),
    env.TASKRC || join(env.HOME || homedir(), '.taskrc'),
    ...days.map((d) => join(dir, pathOf(periodOf('daily', d)))),
  ];
  return paths.map((p) => [p, stampOf(p)]);
}

/** The quiet record after a run that sent everything: nothing is due before the next reminder. */
function quietUntil(
  key: string,
  i: { blocks: ScheduledBlock[]; tasks: DueTask[]; lead: number; now: Date; sent: Record<string, string> },
  files: [string, string | null][],
): Quiet {
  const day = new Date(i.now.getTime() + 24 * 3600_000);
  const next = dueReminders({ blocks: i.blocks, tasks: i.tasks, lead: i.lead, from: i.now, to: day, sent: new Set(Object.keys(i.sent)) })[0];
  return { key, day: localDay(i.now), until: (next?.at ?? day).toISOString(), files };
}

export type Sender = (r: Reminder) => Promise<string | null>;

/** The channels asked for; each resolves to null when delivered, else what went wrong. */
function channels(flags: RemindFlags, env: NodeJS.ProcessEnv): Sender[] {
  const out: Sender[] = [];
  if (flags.ntfy) {
    const url = flags.ntfy;
    out.push(async (r) => {
      try {
        const headers: Record<string, string> = { Title: r.title.replace(/[^\x20-\x7e]/g, '?'), Tags: r.kind === 'due' ? 'alarm_clock' : 'calendar' };
        if (env.PLANAGER_NTFY_TOKEN) headers.Authorization = `Bearer ${env.PLANAGER_NTFY_TOKEN}`;
        const res = await fetch(url, { method: 'POST', body: r.body, headers, signal: AbortSignal.timeout(10_000) });
        return res.ok ? null : `ntfy answered ${res.status}`;
      } catch (e) {
        return `ntfy unreachable (${(e as Error).message})`;
      }
    });
  }
  if (flags.neovim) {
    out.push(async (r) => {
      try {
        // No Neovim open is no failure: the reminder reached every editor there is.
        await messageEditors(`${r.title}\n${r.body}`, env);
        return null;
      } catch (e) {
        return `the message for Neovim could not be written (${(e as Error).message})`;
      }
    });
  }
  if (flags.desktop) {
    out.push(async (r) => {
      try {
        await run('notify-send', ['--app-name=Planager', r.title, r.body], { env, timeout: 10_000 });
        return null;
      } catch (e) {
        return `notify-send failed (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed: Debian package libnotify-bin' : (e as Error).message})`;
      }
    });
  }
  return out;
}

/**
 * `--install-timer`: a systemd user service and timer that run this command every minute, in
 * `$XDG_CONFIG_HOME/systemd/user` (else `~/.config/systemd/user`). Written, never enabled: the
 * output says how.
 */
export async function installTimer(flags: RemindFlags, env: NodeJS.ProcessEnv, dir: string): Promise<CommandResult> {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  const units = join(base, 'systemd', 'user');
  const args = [
    process.argv[1] ?? 'planager',
    'remind',
    '--workspace',
    dir,
    ...(flags.ntfy ? ['--ntfy', flags.ntfy] : []),
    ...(flags.desktop ? ['--desktop'] : []),
    ...(flags.neovim ? ['--neovim'] : []),
    ...(flags.lead ? ['--lead', flags.lead] : []),
  ];
  const quote = (a: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, '\\$1')}"`);
  const service = `[Unit]\nDescription=Planager reminders for ${dir}\n\n[Service]\nType=oneshot\nExecStart=${[process.execPath, ...args].map(quote).join(' ')}\n`;
  const timer =
    '[Unit]\nDescription=Planager reminders, every minute\n\n[Timer]\nOnCalendar=*-*-* *:*:00\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n';
  try {
    mkdirSync(units, { recursive: true });
    await writeAtomic(join(units, 'planager-remind.service'), service);
    await writeAtomic(join(units, 'planager-remind.timer'), timer);
  } catch (e) {
    return fail(`cannot write the units in ${units}: ${(e as Error).message}`);
  }
  return {
    code: 0,
    stdout: `wrote ${join(units, 'planager-remind.service')}\nwrote ${join(units, 'planager-remind.timer')}\nenable them with:\n  systemctl --user daemon-reload\n  systemctl --user enable --now planager-remind.timer\n`,
  };
}

/** `planager remind …` from its words (main.ts, and bin.ts's fast path for it). */
export async function remindCli(args: string[]): Promise<CommandResult> {
  let parsed: ReturnType<typeof parseRemindArgs>;
  try {
    parsed = parseRemindArgs(args);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (parsed.positionals.length > 0) return fail(`unexpected "${parsed.positionals[0]}"`);
  const { watch, ...flags } = parsed.values;
  if (watch) {
    if (flags.now !== undefined || flags['install-timer']) return fail('--watch runs on the clock: it takes no --now and no --install-timer');
    return watchReminders(flags);
  }
  return remindCommand(flags, { quietKey: quietKey(args, process.env) });
}

/**
 * `--watch`: a run at every minute's start until SIGINT or SIGTERM, each run's lines printed as
 * they come (for a terminal or a service of its own instead of a timer). A failed channel is
 * reported and retried at the next minute, as with a timer. `PLANAGER_REMIND_EVERY_MS` shortens
 * the minute (tests).
 */
async function watchReminders(flags: RemindFlags): Promise<CommandResult> {
  // What a retry cannot mend is refused at once, not printed every minute.
  if (flags.lead !== undefined && parseDuration(flags.lead) === null) return fail(`--lead: "${flags.lead}" is not a duration (e.g. 15m, 1h)`);
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const every = Number(process.env.PLANAGER_REMIND_EVERY_MS) || 60_000;
  let stop: () => void = () => {};
  const stopped = new Promise<'stop'>((r) => (stop = () => r('stop')));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (;;) {
    const r = await remindCommand({ ...flags, workspace: w.dir });
    if (r.stdout) process.stdout.write(r.stdout);
    if (r.stderr) process.stderr.write(r.stderr);
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<'tick'>((r) => (timer = setTimeout(() => r('tick'), every - (Date.now() % every))));
    const why = await Promise.race([tick, stopped]);
    clearTimeout(timer);
    if (why === 'stop') return { code: 0 };
  }
}

function parseRemindArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      now: { type: 'string' },
      ntfy: { type: 'string' },
      desktop: { type: 'boolean' },
      neovim: { type: 'boolean' },
      lead: { type: 'string' },
      workspace: { type: 'string', short: 'w' },
      'install-timer': { type: 'boolean' },
      watch: { type: 'boolean' },
    },
  });
}

export async function remindCommand(
  flags: RemindFlags,
  /** `quietKey`: the command line's (quiet.ts); without it no quiet record is kept. */
  deps: { tw?: Taskwarrior; env?: NodeJS.ProcessEnv; quietKey?: string } = {},
): Promise<CommandResult> {
  if (flags['install-timer']) {
    const w = findWorkspace(flags.workspace);
    if (!w.ok) return fail(w.message);
    return installTimer(flags, deps.env ?? process.env, w.dir);
  }
  const now = flags.now === undefined ? new Date() : new Date(flags.now);
  if (Number.isNaN(now.getTime())) return fail(`--now: "${flags.now}" is not a time`);
  const lead = flags.lead === undefined ? 15 : parseDuration(flags.lead);
  if (lead === null) return fail(`--lead: "${flags.lead}" is not a duration (e.g. 15m, 1h)`);
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const state = join(w.dir, '.planager');
  // Its own lock, not the sync's: a reminder never waits behind a sync (nor holds one up).
  const locked = await acquireLock(join(state, 'remind'));
  if (!locked.ok) return fail(locked.message);
  try {
    const recordPath = join(state, 'reminders.json');
    const record = readRecord(recordPath);
    // A first run looks back a few minutes only: it is not a backlog of everything past.
    const from = record.last ? new Date(record.last) : new Date(now.getTime() - 5 * 60_000);
    const today = dayOf(now);
    const days = isoDay(dayOf(from)) === isoDay(today) ? [today] : [addDays(today, -1), today];
    // A block marked done reminds of nothing more.
    const blocks = days.flatMap((d) => blocksOf(scheduleLines(w.dir, d), d)).filter((b) => !b.done);
    const tw = deps.tw ?? new Taskwarrior();
    // Stamped before reading: a write during the read changes the stamp, and the next run reads again.
    const stamps = quietFiles(w.dir, days, tw, deps.env ?? process.env);
    const read = await allTasks(tw, now);
    if (!read.ok) return fail(`reading Taskwarrior failed: ${read.error.message}`);
    const tasks: DueTask[] = read.value
      .filter((t) => t.status === 'pending' || t.status === 'waiting')
      .map((t) => ({ uuid: t.uuid, description: t.description, due: parseTwDate(t.due) }))
      .filter((t): t is DueTask => t.due !== null);
    const due = dueReminders({ blocks, tasks, lead: lead * 60_000, from, to: now, sent: new Set(Object.keys(record.sent)) });
    const send = channels(flags, deps.env ?? process.env);
    const lines: string[] = [];
    const problems: string[] = [];
    let retryFrom: Date | null = null;
    for (const r of due) {
      const errors = (await Promise.all(send.map((s) => s(r)))).filter((e): e is string => e !== null);
      lines.push(`${r.at.toISOString()} ${r.title}${errors.length ? '  (not delivered: sent again next run)' : ''}`);
      if (errors.length === 0) record.sent[r.key] = now.toISOString();
      else {
        problems.push(...errors.map((e) => `${r.title}: ${e}`));
        if (!retryFrom || r.at < retryFrom) retryFrom = r.at;
      }
    }
    // What failed is looked at again: the window starts just before the first of them.
    record.last = (retryFrom ? new Date(retryFrom.getTime() - 1) : now).toISOString();
    const week = now.getTime() - 7 * 24 * 3600_000;
    for (const [k, at] of Object.entries(record.sent)) if (new Date(at).getTime() < week) delete record.sent[k];
    record.quiet =
      deps.quietKey && problems.length === 0 && existsSync(join(tw.dataDir(), 'pending.data'))
        ? quietUntil(deps.quietKey, { blocks, tasks, lead: lead * 60_000, now, sent: record.sent }, stamps)
        : undefined;
    await writeAtomic(recordPath, JSON.stringify(record));
    const stderr = problems.map((p) => `planager remind: ${p}\n`).join('') || undefined;
    return { code: problems.length > 0 ? 2 : 0, stdout: lines.length ? `${lines.join('\n')}\n` : '', stderr };
  } finally {
    await locked.lock.release();
  }
}
