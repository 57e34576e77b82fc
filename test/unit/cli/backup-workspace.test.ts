/**
 * Issue 14: `planager sync --backup workspace` with real git in a temp repository: it works on
 * the first sync, leaves `git status` clean, and never commits or unstages what the user staged.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';
import { assertBuilt, planager } from './run.js';

let sb: TwSandbox;
let ws: string;
const run = (...args: string[]) => planager(args, { cwd: ws, env: sb.env });
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=User', '-c', 'user.email=user@example.org', '-c', 'commit.gpgsign=false', ...args], {
    cwd: ws,
    env: sb.env,
  }).toString();

beforeAll(assertBuilt);
beforeEach(() => {
  sb = twSandbox();
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'planager-git-ws-')));
  git('init', '-q');
  writeFileSync(join(ws, 'README.txt'), 'my notes\n');
  git('add', 'README.txt');
  git('commit', '-q', '-m', 'the user’s first commit');
  writeFileSync(join(ws, 'week.norg'), '* Week\n  - ( ) Write the report\n  - ( ) Call Anna\n');
});

describe('--backup workspace', () => {
  it('works on the first sync and leaves the repository clean', async () => {
    const r = await run('sync', '--backup', 'workspace');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/warning/);
    const commit = /backup: ([0-9a-f]{40})/.exec(r.stdout)![1];
    expect(git('rev-parse', 'HEAD').trim()).toBe(commit);
    expect(git('show', '--name-only', '--format=', commit).trim().split('\n').sort()).toEqual([
      '.planager/activity.jsonl',
      '.planager/taskwarrior.json',
      'week.norg',
    ]);
    expect(git('status', '--porcelain')).toBe('');
    // The snapshot is the Taskwarrior side.
    expect(
      JSON.parse(git('show', `${commit}:.planager/taskwarrior.json`))
        .map((t: { description: string }) => t.description)
        .sort(),
    ).toEqual(['Call Anna', 'Write the report']);
    // Documented in the state folder itself.
    expect(readFileSync(join(ws, '.planager', '.gitignore'), 'utf8')).toMatch(/^# written by planager/);

    // Later syncs: one commit each that changes something, still clean; listed and restorable.
    writeFileSync(join(ws, 'week.norg'), readFileSync(join(ws, 'week.norg'), 'utf8').replace('( ) Call Anna', '(x) Call Anna'));
    const second = await run('sync', '--backup', 'workspace');
    expect(second.stdout).toMatch(/backup: [0-9a-f]{40}/);
    expect(git('status', '--porcelain')).toBe('');
    const list = JSON.parse((await run('backups', '--backup', 'workspace', '--json')).stdout);
    expect(list).toHaveLength(2);
    writeFileSync(join(ws, 'week.norg'), 'oops\n');
    const rs = await run('restore', '--backup', list[1].commit, 'week.norg', '--backup', 'workspace');
    expect(rs.code).toBe(0);
    expect(readFileSync(join(ws, 'week.norg'), 'utf8')).toContain('( ) Call Anna');
  });

  it('never commits or unstages what the user staged, nor their other changes', async () => {
    await run('sync', '--backup', 'workspace');
    writeFileSync(join(ws, 'staged.txt'), 'staged by the user\n');
    git('add', 'staged.txt');
    writeFileSync(join(ws, 'README.txt'), 'my notes, edited but not staged\n');
    writeFileSync(join(ws, 'week.norg'), readFileSync(join(ws, 'week.norg'), 'utf8') + '  - ( ) Buy milk\n');
    const r = await run('sync', '--backup', 'workspace');
    expect(r.code).toBe(0);
    const commit = /backup: ([0-9a-f]{40})/.exec(r.stdout)![1];
    expect(git('show', '--name-only', '--format=', commit)).not.toMatch(/staged\.txt|README\.txt/);
    expect(git('diff', '--cached', '--name-only').trim()).toBe('staged.txt');
    expect(git('diff', '--name-only').trim()).toBe('README.txt');
    expect(git('status', '--porcelain').trimEnd().split('\n').sort()).toEqual([' M README.txt', 'A  staged.txt']);
  });

  it('outside a git repository: a warning, the sync itself done', async () => {
    const plain = realpathSync(mkdtempSync(join(tmpdir(), 'planager-nogit-')));
    writeFileSync(join(plain, 'a.norg'), '- ( ) Here\n');
    const r = await planager(['sync', '--backup', 'workspace'], { cwd: plain, env: { ...sb.env, GIT_CEILING_DIRECTORIES: tmpdir() } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning: .* is not a git repository/);
    expect(sb.exportAll()).toHaveLength(1);
    expect(existsSync(join(plain, '.git'))).toBe(false);
  });
});
