/**
 * `planager setup [--yes]`: what Planager needs from the user's Taskwarrior, checked and told.
 *
 * - The UDAs Planager keeps (`norgrecur`, `norgpriority`, sync/taskwarrior.ts PLANAGER_UDAS):
 *   Planager passes them on every call it makes, so it works without them; declaring them in
 *   the taskrc lets `task` itself show and filter them (and keeps `task` from treating them as
 *   orphans). Asked through `task _get` (includes and overrides counted); with `--yes` (or a
 *   "y" at the prompt on a terminal) the missing ones are appended to the taskrc.
 * - The live-refresh hook (sync/hook.ts): installed or not, and whether hooks are on.
 * Exit 0 when the UDAs are declared (or were just written), 1 when they are missing and were
 * not written (run again with --yes), 2 when Taskwarrior cannot be asked.
 */
import { execFile } from 'node:child_process';
import { appendFile, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { promisify } from 'node:util';
import { HOOK_NAME, hooksDir, PLANAGER_UDAS, Taskwarrior } from '../sync/index.js';
import type { CommandResult } from './result.js';

const exec = promisify(execFile);

const LABELS: Record<string, string> = { norgrecur: 'Norg recur', norgpriority: 'Norg priority' };
const WHAT: Record<string, string> = {
  norgrecur: 'the recurrence text of a (+ …) recurring line, kept verbatim',
  norgpriority: 'a note priority other than # A/B/C (those map to H/M/L)',
};

/** The taskrc Taskwarrior 2.6 reads: $TASKRC, else ~/.taskrc, else $XDG_CONFIG_HOME/task/taskrc. */
export function taskrcPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TASKRC) return env.TASKRC;
  const home = env.HOME ?? homedir();
  const classic = join(home, '.taskrc');
  const xdg = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'task', 'taskrc');
  return !existsSync(classic) && existsSync(xdg) ? xdg : classic;
}

export function udaLines(names: string[]): string {
  return names.map((n) => `uda.${n}.type=${PLANAGER_UDAS[n]}\nuda.${n}.label=${LABELS[n] ?? n}\n`).join('');
}

type Ask = { ok: true; value: string } | { ok: false; message: string };

async function taskGet(name: string, env: NodeJS.ProcessEnv): Promise<Ask> {
  try {
    // Hooks stay off for the question, except when the question is whether they are on.
    const r = await exec('task', ['rc.verbose=nothing', ...(name === 'hooks' ? [] : ['rc.hooks=off']), '_get', `rc.${name}`], { env, timeout: 10_000 });
    return { ok: true, value: r.stdout.trim() };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    return { ok: false, message: err.code === 'ENOENT' ? 'task (Taskwarrior) is not on PATH' : `task _get failed: ${(err.stderr ?? err.message).trim()}` };
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function setupCommand(yes: boolean, env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  const out: string[] = [];
  const rc = taskrcPath(env);
  const rcExists = existsSync(rc);
  out.push(`taskrc: ${rc}${rcExists ? '' : ' (does not exist yet)'}`);

  // The UDAs.
  const missing: string[] = [];
  const clash: string[] = [];
  out.push('', 'Planager keeps two user-defined attributes (UDAs) on the tasks it syncs:');
  for (const [name, type] of Object.entries(PLANAGER_UDAS)) {
    let have = '';
    if (rcExists) {
      const r = await taskGet(`uda.${name}.type`, env);
      if (!r.ok) return { code: 2, stderr: `planager setup: ${r.message}\n` };
      have = r.value;
    }
    const state = have === '' ? 'not declared' : have === type ? 'declared' : `declared as ${have}, Planager stores ${type}`;
    if (have === '') missing.push(name);
    else if (have !== type) clash.push(name);
    out.push(`  ${name.padEnd(13)} ${state.padEnd(14)} ${WHAT[name] ?? ''}`);
  }
  let code: 0 | 1 = 0;
  if (missing.length === 0) {
    out.push('Taskwarrior shows them (task info, reports with the columns).');
  } else {
    out.push(
      'Planager works without declaring them (it names them on every call it makes), but `task` itself',
      'only shows and filters them once the taskrc declares them:',
      ...udaLines(missing)
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`),
    );
    const write = yes || (await confirm(`Add these lines to ${rc}? [y/N] `));
    if (write) {
      try {
        const before = rcExists ? await readFile(rc, 'utf8') : '';
        const sep = before === '' || before.endsWith('\n') ? '' : '\n';
        await appendFile(rc, `${sep}\n# Planager's UDAs (written by planager setup)\n${udaLines(missing)}`);
        out.push(`wrote them to ${rc}`);
      } catch (e) {
        return { code: 2, stderr: out.join('\n') + `\nplanager setup: cannot write ${rc}: ${(e as Error).message}\n` };
      }
    } else {
      out.push(`run \`planager setup --yes\` to add them to ${rc}`);
      code = 1;
    }
  }
  for (const name of clash)
    out.push(
      `note: ${name} is declared as another type; Planager passes type=${PLANAGER_UDAS[name]} on its own calls; change the taskrc to ${PLANAGER_UDAS[name]} for \`task\` to agree`,
    );

  // The live-refresh hook.
  const tw = new Taskwarrior({ env });
  const hooks = hooksDir(tw);
  const hook = join(hooks, HOOK_NAME);
  const text = await readFile(hook, 'utf8').catch(() => null);
  out.push('');
  if (text === null) {
    out.push(`live refresh: the hook is not installed (${hook}); \`planager hook install\` makes open Neovims refresh after a \`task\` command`);
  } else if (!text.includes('planager live-refresh hook')) {
    out.push(`live refresh: ${hook} exists but is not Planager's`);
  } else {
    const mode = (await stat(hook)).mode;
    const on = rcExists ? await taskGet('hooks', env) : { ok: true as const, value: '1' };
    const enabled = !on.ok || !/^(0|off|no|false)$/i.test(on.value);
    out.push(
      `live refresh: the hook is installed (${hook})${mode & 0o111 ? '' : ', but not executable: run planager hook install again'}${enabled ? '' : ', but hooks are off in the taskrc (hooks=on to use it)'}`,
    );
  }
  return { code, stdout: out.join('\n') + '\n' };
}
