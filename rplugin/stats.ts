/**
 * `:Planager stats`: the figures `planager stats` prints (cli/stats.ts), for the workspace of the
 * current note (else the first one), over the session's Taskwarrior. Part of the engine bundle.
 */
import { resolve } from 'node:path';
import { reportCommand } from '../cli/report.js';
import { statsCommand } from '../cli/stats.js';
import type { Editor } from './planning.js';

export async function statsView(e: Editor, o: { path?: string }): Promise<{ ok: true; workspace: string; lines: string[] } | { ok: false; message: string }> {
  const at = o.path ? e.session.locate(o.path) : null;
  const workspace = at?.workspace ?? resolve(e.session.config.workspaces[0] ?? '.');
  const r = await statsCommand({ workspace }, { tw: e.session.tw });
  if (r.code !== 0) return { ok: false, message: (r.stderr ?? 'stats failed').trim() };
  return { ok: true, workspace, lines: (r.stdout ?? '').replace(/\n$/, '').split('\n') };
}

/** The HTML report of the same workspace, written to `file` (Lua opens it in the browser). */
export async function reportFile(e: Editor, o: { path?: string; file: string }): Promise<{ ok: true; file: string } | { ok: false; message: string }> {
  const at = o.path ? e.session.locate(o.path) : null;
  const workspace = at?.workspace ?? resolve(e.session.config.workspaces[0] ?? '.');
  const r = await reportCommand({ html: o.file, workspace }, { tw: e.session.tw });
  if (r.code !== 0) return { ok: false, message: (r.stderr ?? 'report failed').trim() };
  return { ok: true, file: (r.stdout ?? o.file).trim() };
}
