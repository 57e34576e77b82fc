/**
 * A throwaway Taskwarrior for tests: its own HOME, TASKRC and TASKDATA in a temp folder (the
 * user's ~/.task and ~/.taskrc are never touched), and a wrapper `task` first on PATH that
 * logs every call (to count processes) and can be told to fail, crash or hang on a command.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Taskwarrior, type TwTask } from '../../sync/index.js';

export const REAL_TASK = execFileSync('sh', ['-c', 'command -v task']).toString().trim();

export interface TwSandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  tw: Taskwarrior;
  /** Calls the wrapper saw (one line of arguments each). */
  calls(): string[];
  resetCalls(): void;
  /** Make the next calls of `command` fail (exit 2), crash (SIGSEGV) or hang. */
  sabotage(command: 'import' | 'export', how: 'fail' | 'crash' | 'hang' | 'hang-after' | 'slow' | null): void;
  /** Run the real task (outside Planager), as a user would. */
  task(...args: string[]): string;
  exportAll(): TwTask[];
}

export function twSandbox(): TwSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'planager-tw-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'data'));
  const log = join(dir, 'calls.log');
  const control = join(dir, 'sabotage');
  writeFileSync(join(dir, 'taskrc'), `data.location=${join(dir, 'data')}\nconfirmation=off\n`);
  writeFileSync(
    join(bin, 'task'),
    `#!/bin/sh
# test wrapper: log, then maybe misbehave, then run the real task
# one write per call: two calls at once (an export beside a standby import) must not
# interleave their halves into one line
line=$(printf '%s' "$*" | tr '\\n' ' ')
printf '%s\\n' "$line" >> "${log}"
if [ -f "${control}" ]; then
  read cmd how < "${control}"
  for a in "$@"; do
    if [ "$a" = "$cmd" ]; then
      case "$how" in
        fail) echo "sabotaged" >&2; exit 2 ;;
        crash) kill -SEGV $$ ;;
        hang) sleep 30 ;;
        hang-after) "${REAL_TASK}" "$@"; : > "${dir}/hung-after"; sleep 30; exit 0 ;;
        slow) sleep 1.5 ;;
      esac
    fi
  done
fi
exec "${REAL_TASK}" "$@"
`,
  );
  chmodSync(join(bin, 'task'), 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    TASKRC: join(dir, 'taskrc'),
    TASKDATA: join(dir, 'data'),
    TZ: process.env.TZ ?? 'UTC',
    LANG: 'C.UTF-8',
  };
  const tw = new Taskwarrior({ env, timeoutMs: 5_000 });
  return {
    dir,
    env,
    tw,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    resetCalls: () => writeFileSync(log, ''),
    sabotage: (cmd, how) => (how ? writeFileSync(control, `${cmd} ${how}\n`) : writeFileSync(control, 'none none\n')),
    task: (...args) => execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString(),
    // rc.gc=off: a plain export with garbage collection rewrites the data files (a write).
    exportAll: () =>
      JSON.parse(
        execFileSync(
          REAL_TASK,
          ['rc.verbose=nothing', 'rc.json.array=on', 'rc.gc=off', 'rc.uda.norgrecur.type=string', 'rc.uda.norgpriority.type=string', 'export'],
          { env },
        ).toString(),
      ),
  };
}
