/**
 * Live refresh: a POSIX sh on-exit hook in the user's Taskwarrior that signals every running
 * Planager host (SIGUSR2) after a command that may have changed tasks. A Node hook would cost
 * ~80 ms on every `task` call; this one costs ~1.5 ms and skips read-only commands.
 *
 * Hosts register by pid in a per-user runtime folder; the hook removes entries whose process
 * is gone. A host ignores the echo of its own writes: its pull finds the database stamp it
 * recorded after the write and starts no process.
 */
import { chmod, mkdir, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Taskwarrior } from './taskwarrior.js';

export const HOOK_NAME = 'on-exit.planager';
const MARK = '# planager live-refresh hook';

export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_RUNTIME_DIR || tmpdir(), `planager-${userInfo().uid}`, 'hosts');
}

export function hooksDir(tw: Taskwarrior): string {
  const rc = tw.env.TASKRC ? tw.env.TASKRC : join(tw.env.HOME ?? homedir(), '.taskrc');
  try {
    const m = /^\s*hooks\.location\s*=\s*(.+?)\s*$/m.exec(readFileSync(rc, 'utf8'));
    if (m) return resolve(m[1].replace(/^~\//, (tw.env.HOME ?? homedir()) + '/'));
  } catch {
    // no rc file
  }
  return join(tw.dataDir(), 'hooks');
}

export function hookScript(registry: string): string {
  return `#!/bin/sh
${MARK} (installed by \`planager hook install\`; remove with \`planager hook uninstall\`)
# Tells running Planager hosts that Taskwarrior may have changed. Never fails a command.
cat >/dev/null 2>&1
for a in "$@"; do
  case "$a" in
    command:export|command:list|command:next|command:info|command:count|command:ids|command:uuids|command:show|command:calc|command:_*|command:help|command:version|command:diagnostics|command:reports|command:projects|command:tags|command:summary|command:stats|command:burndown*|command:history*|command:ghistory*|command:calendar) exit 0 ;;
  esac
done
dir='${registry.replace(/'/g, `'\\''`)}'
[ -d "$dir" ] || exit 0
for f in "$dir"/*; do
  [ -e "$f" ] || continue
  kill -USR2 "\${f##*/}" 2>/dev/null || rm -f "$f"
done
exit 0
`;
}

export async function installHook(tw: Taskwarrior, env: NodeJS.ProcessEnv = process.env): Promise<{ ok: true; path: string } | { ok: false; message: string }> {
  const dir = hooksDir(tw);
  const path = join(dir, HOOK_NAME);
  try {
    const existing = await readFile(path, 'utf8').catch(() => null);
    if (existing !== null && !existing.includes(MARK)) return { ok: false, message: `${path} exists and is not Planager's; not overwritten` };
    await mkdir(dir, { recursive: true });
    await writeFile(path, hookScript(registryDir(env)), { mode: 0o755 });
    await chmod(path, 0o755);
    return { ok: true, path };
  } catch (e) {
    return { ok: false, message: `cannot install ${path}: ${(e as Error).message}` };
  }
}

export async function uninstallHook(tw: Taskwarrior): Promise<{ ok: true; path: string; removed: boolean } | { ok: false; message: string }> {
  const path = join(hooksDir(tw), HOOK_NAME);
  const existing = await readFile(path, 'utf8').catch(() => null);
  if (existing === null) return { ok: true, path, removed: false };
  if (!existing.includes(MARK)) return { ok: false, message: `${path} is not Planager's; left alone` };
  await unlink(path);
  return { ok: true, path, removed: true };
}

/** Register this process for signals; returns the unregister function. */
export async function registerHost(onSignal: () => void, env: NodeJS.ProcessEnv = process.env): Promise<() => Promise<void>> {
  const dir = registryDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, String(process.pid));
  await writeFile(file, '');
  process.on('SIGUSR2', onSignal);
  return async () => {
    process.off('SIGUSR2', onSignal);
    await rm(file, { force: true });
  };
}

export async function registeredHosts(env: NodeJS.ProcessEnv = process.env): Promise<number[]> {
  return (await readdir(registryDir(env)).catch(() => [] as string[])).map(Number).filter((n) => n > 0);
}
