/**
 * Messages for the running Neovims (the reminders' editor channel): a small file per message in
 * the per-user runtime folder beside the live-refresh registry, then the same signal the hook
 * sends (SIGUSR2) to every registered host. Each host shows the messages it has not shown yet
 * (it remembers their names) and that are less than ten minutes old; files older than a day go.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registryDir } from './hook.js';

const FRESH = 10 * 60_000;

export function messagesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(registryDir(env), '..', 'messages');
}

/** Leave a message for the open Neovims and signal them; how many hosts were signalled. */
export async function messageEditors(text: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dir = messagesDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const name = `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.txt`;
  // Written aside and renamed: a host signalled by someone else meanwhile (a task hook) would
  // otherwise read the file empty, take it as shown, and never show it (the remind e2e's hang).
  await writeFile(join(dir, `tmp-${name}`), text);
  await rename(join(dir, `tmp-${name}`), join(dir, name));
  let n = 0;
  for (const f of await readdir(registryDir(env)).catch(() => [] as string[])) {
    const pid = Number(f);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 'SIGUSR2');
      n++;
    } catch {
      await rm(join(registryDir(env), f), { force: true });
    }
  }
  return n;
}

/** The messages this host has not shown yet (fresh ones only); old files are removed. */
export async function unreadMessages(seen: Set<string>, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const dir = messagesDir(env);
  const out: string[] = [];
  const now = Date.now();
  for (const f of (await readdir(dir).catch(() => [] as string[])).sort()) {
    const at = Number(f.split('-')[0]);
    if (!Number.isFinite(at)) continue;
    if (now - at > 24 * 3600_000) await rm(join(dir, f), { force: true });
    if (seen.has(f) || now - at > FRESH) continue;
    const text = await readFile(join(dir, f), 'utf8').catch(() => null);
    if (!text) continue;
    seen.add(f);
    out.push(text);
  }
  return out;
}
