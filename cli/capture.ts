/**
 * `planager capture TEXT [--project P] [--inbox FILE]`: a new task line under the project's
 * heading (created when missing) or in the inbox note. Only the note is written; the next sync
 * creates the task in Taskwarrior.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { decodeUtf8 } from '../parser/index.js';
import { capture, captureTarget, isError, type Captured } from '../plan/index.js';
import { acquireLock, writeAtomic } from '../sync/index.js';
import { readNotes } from './notes.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

const fail = (message: string): CommandResult => ({ code: 2, stderr: `planager capture: ${message}\n` });

export interface CaptureFlags {
  project?: string;
  inbox?: string;
  workspace?: string;
  json?: boolean;
}

/** The inbox note (workspace-relative) and the project a capture names, or what is wrong with them. */
export function captureOptions(dir: string, flags: CaptureFlags): { inbox: string; project: string | null } | string {
  // --inbox FILE is a path from the current folder, as for sync; by default the workspace's inbox.norg.
  const inbox = flags.inbox === undefined ? 'inbox.norg' : relative(dir, resolve(flags.inbox)).split('\\').join('/');
  if (inbox === '' || inbox.startsWith('..') || isAbsolute(inbox)) return `--inbox ${flags.inbox} is outside the workspace ${dir}`;
  if (!inbox.endsWith('.norg')) return `--inbox names a .norg file (got ${flags.inbox})`;
  if (flags.project !== undefined && !/^[^.\s][^\s]*$/.test(flags.project)) return `--project "${flags.project}" is not a project name (dot-joined, no spaces)`;
  return { inbox, project: flags.project ?? null };
}

export async function readDisk(abs: string): Promise<string | null | { error: string }> {
  if (!existsSync(abs)) return null;
  const d = decodeUtf8(await readFile(abs));
  return d.ok ? d.text : { error: `${abs} is not valid UTF-8; it was not changed` };
}

/**
 * The capture as an edit of its target note, not written yet: the CLI writes the file, the
 * Neovim host edits the buffer when the note is open (`read` gives the buffer's text then).
 */
export async function prepareCapture(
  dir: string,
  words: string[],
  o: { inbox: string; project: string | null },
  read: (abs: string) => Promise<string | null | { error: string }> = readDisk,
): Promise<{ ok: true; abs: string; before: string | null; captured: Captured; warnings: string[] } | { ok: false; message: string }> {
  const warnings: string[] = [];
  const notes = await readNotes(dir, warnings);
  const target = captureTarget(
    notes.map((n) => n.objects),
    o.project,
    o.inbox,
  );
  const abs = join(dir, target.file);
  const text = await read(abs);
  if (text !== null && typeof text === 'object') return { ok: false, message: `${target.file} is not valid UTF-8; it was not changed` };
  const c = capture(target, text, words.join(' '));
  if (isError(c)) return { ok: false, message: c.message };
  return { ok: true, abs, before: text, captured: c, warnings };
}

/** `added to FILE:LINE under A › B`. */
export function captureSummary(c: Captured): string {
  const under = c.headingPath.length > 0 ? ` under ${c.headingPath.join(' › ')}` : '';
  return `added to ${c.file}:${c.line}${under}${c.created ? ' (new note)' : ''}`;
}

export async function captureCommand(words: string[], flags: CaptureFlags): Promise<CommandResult> {
  const w = findWorkspace(flags.workspace);
  if (!w.ok) return fail(w.message);
  const dir = w.dir;
  const o = captureOptions(dir, flags);
  if (typeof o === 'string') return fail(o);
  const locked = await acquireLock(join(dir, '.planager'));
  if (!locked.ok) return fail(locked.message);
  try {
    const p = await prepareCapture(dir, words, o);
    if (!p.ok) return fail(p.message);
    const c = p.captured;
    mkdirSync(dirname(p.abs), { recursive: true });
    await writeAtomic(p.abs, c.text);
    if (flags.json) return { code: 0, stdout: JSON.stringify({ file: p.abs, line: c.line, headingPath: c.headingPath, created: c.created }, null, 2) + '\n' };
    return {
      code: 0,
      stdout: `${captureSummary(c)}\nthe note only: the next sync (planager sync, or :w in Neovim) creates the task in Taskwarrior\n`,
    };
  } finally {
    await locked.lock.release();
  }
}
