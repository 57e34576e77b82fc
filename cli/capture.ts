/**
 * `planager capture TEXT [--project P] [--inbox FILE]`: a new task line under the project's
 * heading (created when missing) or in the inbox note. Only the note is written; the next sync
 * creates the task in Taskwarrior.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { decodeUtf8 } from '../parser/index.js';
import { capture, captureTarget, isError } from '../plan/index.js';
import { acquireLock, writeAtomic } from '../sync/index.js';
import { readNotes } from './notes.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager capture: ${message}\n` });

export async function captureCommand(words: string[], flags: { project?: string; inbox?: string; workspace?: string; json?: boolean }): Promise<CommandResult> {
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const dir = w.dir;
  // --inbox FILE is a path from the current folder, as for sync; by default the workspace's inbox.norg.
  const inbox = flags.inbox === undefined ? 'inbox.norg' : relative(dir, resolve(flags.inbox)).split('\\').join('/');
  if (inbox === '' || inbox.startsWith('..') || isAbsolute(inbox)) return fail(`--inbox ${flags.inbox} is outside the workspace ${dir}`);
  if (!inbox.endsWith('.norg')) return fail(`--inbox names a .norg file (got ${flags.inbox})`);
  if (flags.project !== undefined && !/^[^.\s][^\s]*$/.test(flags.project))
    return fail(`--project "${flags.project}" is not a project name (dot-joined, no spaces)`);
  const warnings: string[] = [];
  const locked = await acquireLock(join(dir, '.planager'));
  if (!locked.ok) return fail(locked.message);
  try {
    const notes = await readNotes(dir, warnings);
    const target = captureTarget(
      notes.map((n) => n.objects),
      flags.project ?? null,
      inbox,
    );
    const abs = join(dir, target.file);
    let text: string | null = null;
    if (existsSync(abs)) {
      const d = decodeUtf8(await readFile(abs));
      if (!d.ok) return fail(`${target.file} is not valid UTF-8; it was not changed`);
      text = d.text;
    }
    const c = capture(target, text, words.join(' '));
    if (isError(c)) return fail(c.message);
    mkdirSync(dirname(abs), { recursive: true });
    await writeAtomic(abs, c.text);
    const under = c.headingPath.length > 0 ? ` under ${c.headingPath.join(' › ')}` : '';
    if (flags.json) return { code: 0, stdout: JSON.stringify({ file: abs, line: c.line, headingPath: c.headingPath, created: c.created }, null, 2) + '\n' };
    return {
      code: 0,
      stdout: `added to ${target.file}:${c.line}${under}${c.created ? ' (new note)' : ''}\nthe note only: the next sync (planager sync, or :w in Neovim) creates the task in Taskwarrior\n`,
    };
  } finally {
    await locked.lock.release();
  }
}
