/**
 * Simulated devices for the multi-device tests: one bare git repository as the notes' remote,
 * and per device a clone, a Taskwarrior database (twSandbox, its own HOME) and, when a taskd
 * is given, a taskrc pointing at it. Git runs with no global or system config (the user's
 * ~/.gitconfig is never read) and through a wrapper on PATH that logs every call, as the
 * `task` wrapper does, so tests can count processes.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskdAccount, TaskdServer } from './taskd.js';
import { twSandbox, type TwSandbox } from './tw.js';
import { planager, type Run } from '../unit/cli/run.js';

export const REAL_GIT = execFileSync('sh', ['-c', 'command -v git']).toString().trim();

const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@localhost',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@localhost',
  GIT_TERMINAL_PROMPT: '0',
};

/** An empty bare repository (branch main) standing for the notes' server. */
/** A week's note whose lines have ids already, and the files a shared workspace is seeded with. */
export const NOTE = `* Week
  Plans for the week.
  - ( ) Write the report %#aaaa1111%
  - ( |# B) Call Anna %#bbbb2222%
  - ( ) Buy milk %#cccc3333%

  Last line.
`;
export const SEED = { 'week.norg': NOTE, '.gitattributes': '*.norg merge=planager\n' };

export function bareRemote(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'planager-remote-')), 'notes.git');
  execFileSync(REAL_GIT, ['init', '-q', '--bare', '-b', 'main', dir], { env: { ...process.env, ...GIT_ENV } });
  return dir;
}

export interface Device {
  name: string;
  sb: TwSandbox;
  ws: string;
  env: NodeJS.ProcessEnv;
  planager(...args: string[]): Promise<Run>;
  git(...args: string[]): string;
  read(file: string): string;
  write(file: string, text: string): void;
  /** git calls the wrapper saw since the last reset. */
  gitCalls(): string[];
  resetCalls(): void;
}

/**
 * A device with a clone of `remote`. The first device of a remote (`seed` given) writes the
 * notes, commits and pushes them with an upstream; the others clone what is there.
 */
export function device(
  name: string,
  remote: string,
  opts: { seed?: Record<string, string>; taskd?: { server: TaskdServer; account: TaskdAccount } } = {},
): Device {
  const sb = twSandbox();
  const bin = join(sb.dir, 'bin');
  const log = join(sb.dir, 'git-calls.log');
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\nexec "${REAL_GIT}" "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  const env: NodeJS.ProcessEnv = { ...sb.env, ...GIT_ENV };
  if (opts.taskd) opts.taskd.server.attach(sb, opts.taskd.account, name);
  const ws = join(sb.dir, 'notes');
  const git = (...args: string[]): string =>
    execFileSync(REAL_GIT, args, { cwd: existsSync(ws) ? ws : sb.dir, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  git('clone', '-q', remote, ws);
  if (opts.seed) {
    git('checkout', '-q', '-b', 'main');
    for (const [f, t] of Object.entries(opts.seed)) writeFileSync(join(ws, f), t);
    git('add', '.');
    git('commit', '-q', '-m', 'notes');
    git('push', '-q', '-u', 'origin', 'main');
  }
  return {
    name,
    sb,
    ws,
    env,
    planager: (...args) => planager(args, { cwd: ws, env }),
    git,
    read: (f) => readFileSync(join(ws, f), 'utf8'),
    write: (f, t) => writeFileSync(join(ws, f), t),
    gitCalls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    resetCalls: () => {
      writeFileSync(log, '');
      sb.resetCalls();
    },
  };
}
