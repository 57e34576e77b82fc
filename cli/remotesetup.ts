/**
 * `planager remote setup [--yes]`: what a notes repository needs so git merges notes with
 * Planager's merge driver (cli/mergedriver.ts) instead of writing conflict markers into them.
 *
 * - `.gitattributes` in the workspace: `*.norg merge=planager` (committed by `sync --remote`
 *   with the notes, so every clone has it);
 * - the repository's own config (`.git/config`, never the global one; git does not copy it to
 *   clones, so each device runs this once): `merge.planager.name` and `merge.planager.driver`,
 *   the command git runs, with the absolute paths of this Node and this CLI (so it works
 *   whatever PATH git runs with).
 * Without --yes it says what it would write and exits 1 (the CLI's "stopped to ask"); with it,
 * writes what is missing and exits 0; 2 when the workspace is not in a git repository.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { findGit } from '../sync/gitrefs.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

const exec = promisify(execFile);

export const ATTRIBUTE = '*.norg merge=planager';

/** The driver command for this installation: git runs it through sh, so the paths are quoted. */
export function driverCommand(cli = process.argv[1], node = process.execPath): string {
  const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  return `${q(node)} ${q(cli)} merge-driver %O %A %B %P`;
}

export function hasAttribute(workspace: string): boolean {
  const p = join(workspace, '.gitattributes');
  return (
    existsSync(p) &&
    readFileSync(p, 'utf8')
      .split('\n')
      .some((l) => l.trim().replace(/\s+/g, ' ') === ATTRIBUTE)
  );
}

/** `merge.planager.driver` as the repository's config file has it (read, no git process). */
export function configuredDriver(commonDir: string): string | null {
  let text = '';
  try {
    text = readFileSync(join(commonDir, 'config'), 'utf8');
  } catch {
    return null;
  }
  let inSection = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inSection = /^\[\s*merge\s+"planager"\s*\]$/.test(line);
    else if (inSection) {
      const m = /^driver\s*=\s*(.*)$/.exec(line);
      if (m) return m[1];
    }
  }
  return null;
}

export async function remoteSetupCommand(flags: { workspace?: string; yes?: boolean }): Promise<CommandResult> {
  const f = findWorkspace(flags.workspace);
  if (!f.ok) return { code: 2, stderr: `planager remote setup: ${f.message}\n` };
  const ws = f.dir;
  const g = findGit(ws);
  if (!g) return { code: 2, stderr: `planager remote setup: ${ws} is not in a git repository; make one first (git init, git remote add origin URL)\n` };
  const want = driverCommand();
  const out = [`notes repository: ${g.root}${relative(g.root, ws) ? ` (workspace ${relative(g.root, ws)})` : ''}`, ''];
  const todo: (() => Promise<void>)[] = [];
  const attr = hasAttribute(ws);
  out.push(
    `${attr ? 'ok  ' : 'add '} ${join(ws, '.gitattributes')}: ${ATTRIBUTE}`,
    '      tells git to merge notes with the merge driver named "planager" (committed with the notes: every clone gets it)',
  );
  if (!attr)
    todo.push(async () => {
      const p = join(ws, '.gitattributes');
      const before = existsSync(p) ? readFileSync(p, 'utf8') : '';
      await appendFile(
        p,
        `${before === '' || before.endsWith('\n') ? '' : '\n'}# norg notes merged per task by Planager (planager remote setup)\n${ATTRIBUTE}\n`,
      );
    });
  const have = configuredDriver(g.commonDir);
  const driverOk = have !== null && have.replace(/^"|"$/g, '') === want;
  out.push(
    `${driverOk ? 'ok  ' : have ? 'fix ' : 'add '} git config merge.planager.driver ${JSON.stringify(want)}`,
    '      the command git runs for such a merge: tasks merged field by field (the newer change wins, the other kept in',
    "      the history), the text between them line by line, never conflict markers (in this repository's config only;",
    '      run planager remote setup on each device)',
  );
  if (!driverOk)
    todo.push(async () => {
      for (const [k, v] of [
        ['merge.planager.name', 'Planager: norg notes merged per task'],
        ['merge.planager.driver', want],
      ])
        await exec('git', ['-C', g.root, 'config', '--local', k, v]);
    });
  if (todo.length === 0) return { code: 0, stdout: `${out.join('\n')}\n\nall set: planager sync --remote merges notes with the driver\n` };
  if (!flags.yes) return { code: 1, stdout: `${out.join('\n')}\n\nrun \`planager remote setup --yes\` to write what is missing\n` };
  try {
    for (const t of todo) await t();
  } catch (e) {
    return { code: 2, stderr: `${out.join('\n')}\nplanager remote setup: ${(e as Error).message}\n` };
  }
  return { code: 0, stdout: `${out.join('\n')}\n\nwritten: git now merges notes with the driver\n` };
}
