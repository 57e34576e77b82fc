/**
 * Taskwarrior's own sync server (taskd 1.1) on 127.0.0.1 for tests, through scripts/taskd.sh.
 *
 * `.ci/run` starts one server for the whole run and exports PLANAGER_TEST_TASKD=DIR; a test file
 * then only adds a user of its own (so files running at once never share tasks). Without the
 * variable (a plain `npx vitest run` on a machine with taskd) the file starts a server of its
 * own in a temp folder and stops it after. Without the `taskd` binary, tests skip (TASKD_SKIP
 * says why): the rest of the suite needs no server.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './shared.js';
import type { TwSandbox } from './tw.js';

const SCRIPT = join(ROOT, 'scripts', 'taskd.sh');

function onPath(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAVE_TASKD = onPath('taskd') && (onPath('certtool') || onPath('gnutls-certtool'));
/** Why taskd tests are skipped (empty when they run). */
export const TASKD_SKIP = HAVE_TASKD ? '' : 'taskd or certtool is not installed (apt-get install taskd gnutls-bin)';

export interface TaskdAccount {
  user: string;
  key: string;
}

export interface TaskdServer {
  dir: string;
  port: number;
  /** Started by this process (stop() stops it) rather than by .ci/run. */
  own: boolean;
  /** A fresh user of the server's org: the person whose devices a test simulates. */
  account(name?: string): TaskdAccount;
  /** Points a sandbox's taskrc at the server as device `device` of `account`. */
  attach(sb: TwSandbox, account: TaskdAccount, device: string): void;
  stop(): void;
}

function sh(...args: string[]): string {
  return execFileSync('bash', [SCRIPT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
}

let seq = 0;

export function taskdServer(): TaskdServer {
  const shared = process.env.PLANAGER_TEST_TASKD;
  const dir = shared || mkdtempSync(join(tmpdir(), 'planager-taskd-'));
  // `start` on the shared folder only checks it is running (and starts it again if it died).
  sh('start', dir);
  const port = Number(readFileSync(join(dir, 'port'), 'utf8').trim());
  return {
    dir,
    port,
    own: !shared,
    account(name = 'u') {
      const user = `${name}${process.pid}x${++seq}x${Date.now().toString(36)}`;
      return { user, key: sh('user', dir, user) };
    },
    attach(sb, account, device) {
      const rc = sh('device', dir, account.user, account.key, `${account.user}-${device}`);
      appendFileSync(sb.env.TASKRC!, `include ${rc}\n`);
    },
    stop() {
      if (!shared) sh('stop', dir);
    },
  };
}
