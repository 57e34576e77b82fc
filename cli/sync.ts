/** `planager sync|pull|push|history|restore|backups`: the sync core from the shell. */
import { isAbsolute, relative, resolve } from 'node:path';
import {
  backup,
  history,
  listBackups,
  restore,
  restoreBackup,
  stateDirOf,
  sync,
  Taskwarrior,
  type BackupMode,
  type SyncOptions,
  type SyncReport,
} from '../sync/index.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';
import { prepareWorkspaceBackup } from './gitbackup.js';

export interface CommonFlags {
  workspace?: string;
  json?: boolean;
  'dry-run'?: boolean;
  force?: boolean;
  inbox?: string;
  backup?: string;
  'state-dir'?: string;
}

/** The workspace of a command (see workspace.ts), or the exit-2 result that says why there is none. */
function workspaceOf(flags: CommonFlags, verb: string, file?: string): { dir: string } | { fail: CommandResult } {
  const f = findWorkspace(flags.workspace, { file });
  return f.ok ? { dir: f.dir } : { fail: { code: 2, stderr: `planager ${verb}: ${f.message}\n` } };
}

function backupMode(flags: CommonFlags): BackupMode | 'off' | { error: string } {
  const b = flags.backup ?? 'state';
  if (b === 'state' || b === 'workspace' || b === 'off') return b;
  return { error: `--backup takes state, workspace or off (got "${b}")` };
}

export function publicReport(r: SyncReport): object {
  const { noteChanges: _n, ...rest } = r;
  return rest;
}

function human(r: SyncReport, verb: string): string {
  const lines: string[] = [];
  const tw = r.taskwarrior;
  if (r.error) lines.push(`${verb} ${r.code === 1 ? 'stopped' : 'failed'}: ${r.error.message}`);
  if (!r.changed && r.ok) lines.push(`${verb}: nothing to do (${r.processes} task process${r.processes === 1 ? '' : 'es'})`);
  for (const n of r.notes) lines.push(`${r.dryRun ? 'would edit' : 'edited'} ${n.file} (${n.edits} change${n.edits === 1 ? '' : 's'})`);
  if (tw.created.length + tw.updated.length + tw.deleted.length > 0)
    lines.push(`taskwarrior: ${tw.created.length} created, ${tw.updated.length} updated, ${tw.deleted.length} deleted${r.dryRun ? ' (dry run)' : ''}`);
  for (const c of r.conflicts)
    lines.push(
      `conflict on ${c.id || c.uuid} ${c.field}: kept the ${c.winner === 'note' ? 'note' : 'Taskwarrior'} value; the other is in the history (planager history ${c.id || c.uuid})`,
    );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}

async function runSync(flags: CommonFlags, extra: Partial<SyncOptions>, verb: string, onReport?: (r: SyncReport) => void): Promise<CommandResult> {
  const mode = backupMode(flags);
  if (typeof mode === 'object') return { code: 2, stderr: `planager ${verb}: ${mode.error}\n` };
  let workspace = extra.workspace;
  if (workspace === undefined) {
    const w = workspaceOf(flags, verb);
    if ('fail' in w) return w.fail;
    workspace = w.dir;
  }
  // --inbox FILE is a path like any other (from the current folder); the engine wants it
  // relative to the workspace, which differs when run from a subfolder.
  let inbox: string | null = null;
  if (flags.inbox !== undefined) {
    inbox = relative(workspace, resolve(flags.inbox)).split('\\').join('/');
    if (inbox === '' || inbox.startsWith('..') || isAbsolute(inbox))
      return { code: 2, stderr: `planager ${verb}: --inbox ${flags.inbox} is outside the workspace ${workspace}\n` };
    if (!inbox.endsWith('.norg')) return { code: 2, stderr: `planager ${verb}: --inbox names a .norg file (got ${flags.inbox})\n` };
  }
  const opts: SyncOptions = {
    workspace,
    tw: new Taskwarrior(),
    dryRun: flags['dry-run'],
    force: flags.force,
    inbox,
    stateDir: flags['state-dir'] ? resolve(flags['state-dir']) : undefined,
    ...extra,
  };
  const r = await sync(opts);
  onReport?.(r);
  let backupNote = '';
  if (r.ok && r.changed && !r.dryRun && mode !== 'off') {
    const ready = mode === 'workspace' ? await prepareWorkspaceBackup(workspace, stateDirOf(opts)) : null;
    const b = ready
      ? { ok: false, message: ready, commit: undefined }
      : await backup(
          workspace,
          stateDirOf(opts),
          mode,
          `planager ${verb}: ${r.notes.length} note(s), ${r.taskwarrior.created.length + r.taskwarrior.updated.length + r.taskwarrior.deleted.length} task(s)`,
        );
    if (!b.ok) r.warnings.push(b.message ?? 'backup failed');
    else if (b.commit) backupNote = `backup: ${b.commit}\n`;
  }
  if (flags.json) return { code: r.code, stdout: JSON.stringify(publicReport(r), null, 2) + '\n' };
  const text = human(r, verb) + backupNote;
  return r.ok ? { code: 0, stdout: text } : { code: r.code, stderr: text };
}

export function syncCommand(flags: CommonFlags, onReport?: (r: SyncReport) => void): Promise<CommandResult> {
  return runSync(flags, {}, 'sync', onReport);
}

export async function fileCommand(verb: 'pull' | 'push', files: string[], flags: CommonFlags): Promise<CommandResult> {
  if (files.length === 0) return { code: 2, stderr: `planager ${verb}: name a .norg file\n` };
  const w = workspaceOf(flags, verb, files[0]);
  if ('fail' in w) return w.fail;
  const workspace = w.dir;
  const rel = files.map((f) => relative(workspace, resolve(f)).split('\\').join('/'));
  if (rel.some((f) => f.startsWith('..') || isAbsolute(f)))
    return { code: 2, stderr: `planager ${verb}: ${files.join(', ')} is outside the workspace ${workspace}\n` };
  return runSync(flags, { workspace, files: rel, direction: verb }, verb);
}

export async function historyCommand(id: string | undefined, flags: CommonFlags): Promise<CommandResult> {
  if (!id) return { code: 2, stderr: 'planager history: name a task id\n' };
  const w = workspaceOf(flags, 'history');
  if ('fail' in w) return w.fail;
  const workspace = w.dir;
  const h = await history({ workspace, stateDir: flags['state-dir'] }, id);
  if (!h.ok) return { code: 2, stderr: `planager history: ${h.message}\n` };
  if (flags.json) return { code: 0, stdout: JSON.stringify(h, null, 2) + '\n' };
  const lines = [`task ${h.id} (${h.uuid})`];
  for (const v of h.versions) {
    const f = v.fields;
    const what =
      v.n === 0
        ? 'current'
        : `${v.time} — ${v.action} of the ${v.source === 'note' ? 'note' : 'Taskwarrior'} version${v.changed.length ? ` (${v.changed.join(', ')})` : ''}`;
    lines.push(
      `  ${v.n}. ${what}`,
      `     ${f.status} ${f.priority ? '# ' + f.priority + ' ' : ''}${f.description}${f.due ? ' < ' + f.due : ''}${f.project ? ' [' + f.project + ']' : ''}`,
    );
  }
  if (h.versions.length > 1) lines.push(`restore one with: planager restore ${h.id} --version N`);
  return { code: 0, stdout: lines.join('\n') + '\n' };
}

export async function restoreCommand(
  id: string | undefined,
  extra: string | undefined,
  flags: CommonFlags & { version?: string; 'backup-commit'?: string },
): Promise<CommandResult> {
  const w = workspaceOf(flags, 'restore');
  if ('fail' in w) return w.fail;
  const workspace = w.dir;
  const stateDir = flags['state-dir'] ? resolve(flags['state-dir']) : stateDirOf({ workspace });
  if (flags['backup-commit']) {
    const mode = backupMode(flags);
    const r = await restoreBackup(workspace, stateDir, mode === 'workspace' ? 'workspace' : 'state', flags['backup-commit'], id);
    if (!r.ok) return { code: 2, stderr: `planager restore: ${r.message}\n` };
    return { code: 0, stdout: `restored ${r.files.join(', ')} from ${flags['backup-commit']}; run planager sync to send it to Taskwarrior\n` };
  }
  if (!id) return { code: 2, stderr: 'planager restore: name a task id (or --backup COMMIT [FILE])\n' };
  if (extra) return { code: 2, stderr: `planager restore: unexpected "${extra}"\n` };
  const n = flags.version === undefined ? 1 : Number(flags.version);
  if (!Number.isInteger(n) || n < 1) return { code: 2, stderr: 'planager restore: --version takes a number from planager history (1 or more)\n' };
  const r = await restore({ workspace, tw: new Taskwarrior(), stateDir: flags['state-dir'] }, id, n);
  if ('message' in r && !('notes' in r)) return { code: 2, stderr: `planager restore: ${r.message}\n` };
  const rep = r as SyncReport;
  if (flags.json) return { code: rep.code, stdout: JSON.stringify(publicReport(rep), null, 2) + '\n' };
  return rep.ok ? { code: 0, stdout: `restored version ${n} of ${id}\n` + human(rep, 'sync') } : { code: rep.code, stderr: human(rep, 'restore') };
}

export async function backupsCommand(flags: CommonFlags): Promise<CommandResult> {
  const w = workspaceOf(flags, 'backups');
  if ('fail' in w) return w.fail;
  const workspace = w.dir;
  const mode = backupMode(flags);
  const list = await listBackups(
    workspace,
    flags['state-dir'] ? resolve(flags['state-dir']) : stateDirOf({ workspace }),
    mode === 'workspace' ? 'workspace' : 'state',
  );
  if (flags.json) return { code: 0, stdout: JSON.stringify(list, null, 2) + '\n' };
  if (list.length === 0) return { code: 0, stdout: 'no backups yet (one is made after every sync that changes something)\n' };
  return { code: 0, stdout: list.map((b) => `${b.commit.slice(0, 10)}  ${b.date}  ${b.message}`).join('\n') + '\n' };
}
