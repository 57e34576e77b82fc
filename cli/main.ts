/**
 * The `planager` command. Each subcommand is a function returning a CommandResult, so tests
 * call them directly and the binary only prints and exits.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CommandResult } from './result.js';
import { planningRun } from './planningrun.js';
import type { Handoff } from './remotequiet.js';

// Each command's code is imported when it runs, from one of two bundles (scripts/build.mjs):
// plan and agenda loaded the sync engine, git and the report with them, twice the code to
// compile and run at start (≈20 ms at every run). Plan and agenda's own (dist/planning.cjs)
// is loaded by cli/planningrun.ts, which cli/bin.ts runs without this router.
const commands = () => import('./commands.js');

export const USAGE = `planager — keep norg notes and Taskwarrior in step

Usage:
  planager sync [--workspace DIR] [--dry-run] [--json] [--force] [--inbox FILE] [--backup state|workspace|off]
                                             two-way sync of every *.norg under DIR with Taskwarrior
  planager sync --remote [--workspace DIR] [--force]
                                             several devices: commit the notes, git fetch and merge the
                                             upstream, task sync (when the taskrc has taskd.server),
                                             sync, commit, task sync, git push; one line per step
  planager remote setup [--yes]              write .gitattributes (*.norg merge=planager) and this
                                             repository's git config for the notes' merge driver
  planager pull FILE / planager push FILE    one file, one direction
  planager tasks [FILE…] [--workspace DIR] [--json]
                                             list the tasks written in norg files (no FILE: every note of the workspace)
  planager history ID [--workspace DIR] [--json]
                                             every version of a task the log holds, newest first
  planager restore ID [--version N] [--workspace DIR]
                                             bring a version back (it syncs like any change)
  planager restore --backup COMMIT [FILE] [--backup workspace] [--workspace DIR]
                                             bring notes back from a git backup
  planager backups [--workspace DIR] [--backup workspace] [--json]
                                             list the git backups (--backup workspace: those in
                                             the workspace's own repository)
  planager plan daily|weekly|monthly|review [--date YYYY-MM-DD] [--workspace DIR] [--json]
                [--week-start DAY] [--templates DIR] [--path PATTERN]
                                             open (create when missing) the plan note of the period,
                                             refresh its generated sections, print its path
  planager schedule [--date YYYY-MM-DD] [--workspace DIR] [--json] [--explain] [--ics FILE]
                    [--templates DIR] [--path PATTERN]
                                             lay the day's tasks out in time blocks (the daily plan's
                                             |planager schedule section), around fixed events, breaks
                                             and pinned blocks; --explain says why each is where it is
  planager agenda [--week] [--date YYYY-MM-DD] [--workspace DIR] [--json]
                                             open tasks by date, overdue first (notes and Taskwarrior)
  planager capture TEXT… [--project P] [--inbox FILE] [--workspace DIR]
                                             add a task line under the project's heading (created
                                             when missing) or to the inbox note (inbox.norg); the
                                             next sync creates the task
  planager stats [--since YYYY-MM-DD] [--now ISO-TIME] [--workspace DIR] [--json]
                                             habits (streaks, rates, strength), projects (done of
                                             total, forecast) and days (done, planned, due met)
  planager report --html FILE [--since YYYY-MM-DD] [--now ISO-TIME] [--workspace DIR]
                                             the tracking report: one self-contained page
  planager remind [--now ISO-TIME] [--ntfy URL] [--desktop] [--neovim] [--lead 15m] [--workspace DIR] [--install-timer] [--watch]
                                             send the reminders due since the last run (schedule
                                             blocks' starts and ends, due dates): run it every minute
                                             (--watch: keep running, a run each minute)
  planager setup [--yes]                     check the taskrc for Planager's UDAs (norgrecur, norgpriority)
                                             and the live-refresh hook; --yes declares the UDAs
  planager hook install|uninstall            live refresh: an on-exit hook that tells open Neovims
  planager merge-driver BASE OURS THEIRS PATH
                                             git's merge driver for notes (%O %A %B %P): tasks merged
                                             per field, text per line, never conflict markers
  planager help, -h, --help                  this text
  planager --version, -V                     the version

The workspace is found as git finds its repository: --workspace DIR, else the nearest folder
upward holding .planager, else $PLANAGER_WORKSPACE, else the current folder. A workspace named by
--workspace or $PLANAGER_WORKSPACE must exist (it is never created). State, the activity log and
backups live in DIR/.planager. TASKRC and TASKDATA are respected.

Exit codes: 0 success, 1 stopped to ask (sync: use --force; setup: use --yes), 2 error.
`;

/** The version in package.json (one folder above both cli/bin.ts and dist/cli.cjs). */
export function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * `restore --backup COMMIT` names a commit; `--backup state|workspace` (as for sync) names where
 * the backups are, so `restore --backup COMMIT FILE --backup workspace` works.
 */
function restoreArgs(args: string[]): string[] {
  return args.map((a, i) => (a === '--backup' && !['state', 'workspace', 'off'].includes(args[i + 1] ?? '') ? '--backup-commit' : a));
}

/** The planning commands' words (plan, agenda, stats, report, schedule, capture). */
async function planning(cmd: string, rest: string[]): Promise<CommandResult> {
  switch (cmd) {
    case 'plan':
    case 'agenda':
      return await planningRun(cmd, rest);
    case 'stats': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { since: { type: 'string' }, now: { type: 'string' }, workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' } },
      });
      if (positionals.length > 0) return { code: 2, stderr: `planager stats: unexpected "${positionals[0]}"\n` };
      return await (await commands()).statsCommand(values);
    }
    case 'report': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { html: { type: 'string' }, since: { type: 'string' }, now: { type: 'string' }, workspace: { type: 'string', short: 'w' } },
      });
      if (positionals.length > 0) return { code: 2, stderr: `planager report: unexpected "${positionals[0]}"\n` };
      return await (await commands()).reportCommand(values);
    }
    case 'schedule': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          date: { type: 'string', short: 'd' },
          workspace: { type: 'string', short: 'w' },
          json: { type: 'boolean' },
          explain: { type: 'boolean' },
          ics: { type: 'string' },
          path: { type: 'string' },
          templates: { type: 'string' },
        },
      });
      if (positionals.length > 0) return { code: 2, stderr: `planager schedule: unexpected "${positionals[0]}" (--date for another day)\n` };
      return await (await commands()).scheduleCommand(values);
    }
    case 'capture': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { project: { type: 'string', short: 'p' }, inbox: { type: 'string' }, workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' } },
      });
      return await (await commands()).captureCommand(positionals, values);
    }
    default:
      throw new Error(`planning: not a planning command: ${cmd}`);
  }
}

/** `handoff`: what the quiet `sync --remote` already ran (bin.ts, remotequiet.ts). */
export async function run(argv: string[], handoff?: Handoff): Promise<CommandResult> {
  const [cmd, ...rest] = argv;
  // `planager CMD --help` is help too (before parsing, so a command's flags need not be right).
  if (rest.includes('--help') || rest.includes('-h')) return { code: 0, stdout: USAGE };
  try {
    switch (cmd) {
      case '--version':
      case '-V':
      case 'version':
        return { code: 0, stdout: `planager ${version()}\n` };
      case 'tasks': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { json: { type: 'boolean', default: false }, workspace: { type: 'string', short: 'w' } },
        });
        return await (await commands()).tasksCommand(positionals, values.json ?? false, values.workspace);
      }

      case 'plan':
      case 'agenda':
      case 'stats':
      case 'report':
      case 'schedule':
      case 'capture':
        return await planning(cmd, rest);
      case 'remind':
        return await (await commands()).remindCli(rest);
      case 'merge-driver':
        return await (await commands()).mergeDriverCommand(rest);
      case 'sync':
      case 'pull':
      case 'push':
      case 'history':
      case 'restore':
      case 'backups': {
        const { values, positionals } = parseArgs({
          args: cmd === 'restore' ? restoreArgs(rest) : rest,
          allowPositionals: true,
          options: {
            workspace: { type: 'string', short: 'w' },
            json: { type: 'boolean' },
            'dry-run': { type: 'boolean' },
            force: { type: 'boolean' },
            inbox: { type: 'string' },
            backup: { type: 'string' },
            'backup-commit': { type: 'string' },
            'state-dir': { type: 'string' },
            version: { type: 'string' },
            remote: { type: 'boolean' },
          },
        });
        if (cmd === 'sync' && values.remote) return await (await commands()).remoteSyncCommand(values, handoff);
        const { backupsCommand, fileCommand, historyCommand, restoreCommand, syncCommand } = await commands();
        if (cmd === 'sync') return await syncCommand(values);
        if (cmd === 'pull' || cmd === 'push') return await fileCommand(cmd, positionals, values);
        if (cmd === 'history') return await historyCommand(positionals[0], values);
        if (cmd === 'restore') return await restoreCommand(positionals[0], positionals[1], values);
        return await backupsCommand(values);
      }
      case 'setup': {
        const { values } = parseArgs({ args: rest, allowPositionals: false, options: { yes: { type: 'boolean', short: 'y', default: false } } });
        return await (await commands()).setupCommand(values.yes ?? false);
      }
      case 'remote': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { yes: { type: 'boolean', short: 'y' }, workspace: { type: 'string', short: 'w' } },
        });
        if (positionals[0] !== 'setup' || positionals.length > 1) return { code: 2, stderr: 'planager remote: setup [--yes] (then planager sync --remote)\n' };
        return await (await commands()).remoteSetupCommand(values);
      }
      case 'hook': {
        const { installHook, Taskwarrior, uninstallHook } = await commands();
        const tw = new Taskwarrior();
        if (rest[0] === 'install') {
          const r = await installHook(tw);
          return r.ok
            ? { code: 0, stdout: `installed ${r.path}\nopen Neovims now refresh tracked buffers when Taskwarrior changes\n` }
            : { code: 2, stderr: `planager hook: ${r.message}\n` };
        }
        if (rest[0] === 'uninstall') {
          const r = await uninstallHook(tw);
          return r.ok
            ? { code: 0, stdout: r.removed ? `removed ${r.path}\n` : `no hook at ${r.path}\n` }
            : { code: 2, stderr: `planager hook: ${r.message}\n` };
        }
        return { code: 2, stderr: 'planager hook: install or uninstall\n' };
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return { code: cmd === undefined ? 2 : 0, stdout: USAGE };
      default:
        return { code: 2, stderr: `planager: unknown command "${cmd}"\n\n${USAGE}` };
    }
  } catch (e) {
    // parseArgs throws on unknown flags: that is the user's mistake, not a crash.
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      return { code: 2, stderr: `planager ${cmd}: ${e.message}\n` };
    }
    throw e;
  }
}

export async function main(argv: string[], handoff?: Handoff): Promise<void> {
  const r = await run(argv, handoff);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
