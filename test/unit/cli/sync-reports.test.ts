/**
 * Issue 14: what a sync tells the user on the command line (the built CLI as a child process,
 * real task 2.6 in a throwaway sandbox): purged tasks, tasks no note claims, the inbox.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';
import { assertBuilt, planager } from './run.js';

let sb: TwSandbox;
let ws: string;
const run = (...args: string[]) => planager(args, { cwd: ws, env: sb.env });
const uuidOf = (description: string) => sb.exportAll().find((t) => t.description === description)!.uuid;

beforeAll(assertBuilt);
beforeEach(() => {
  sb = twSandbox();
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'planager-rep-ws-')));
  writeFileSync(join(ws, 'week.norg'), '* Week\n  - ( ) Write the report\n  - ( ) Call Anna\n  - ( ) Buy milk\n');
});

describe('a task purged in Taskwarrior', () => {
  it('is reported by the first sync after the purge (deleted and purged between two syncs)', async () => {
    expect((await run('sync')).code).toBe(0);
    const u = uuidOf('Call Anna');
    sb.task(u, 'delete');
    sb.task(u, 'purge');
    const r = await run('sync');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`warning: week.norg:3: task ${u.slice(0, 8)} is gone from Taskwarrior \\(purged\\?\\)`));
    // The line is kept and the task not re-created.
    expect(readFileSync(join(ws, 'week.norg'), 'utf8')).toContain('Call Anna');
    expect(
      sb
        .exportAll()
        .map((t) => t.description)
        .sort(),
    ).toEqual(['Buy milk', 'Write the report']);
    // As JSON too.
    sb.task(uuidOf('Buy milk'), 'delete');
    sb.task(uuidOf('Buy milk'), 'purge');
    const j = JSON.parse((await run('sync', '--json')).stdout);
    expect(j.warnings.join('\n')).toMatch(/gone from Taskwarrior \(purged\?\)/);
  });

  // Fails today: the engine reads the change from undo.data and a purge writes none; it only
  // falls back to an export when completed.data shrinks, but a deleted task not yet collected
  // sits in pending.data. Fix needed in sync/twread.ts: /work/notes/cli-needs-engine.md §1.
  // When this starts passing, turn it into a plain `it`.
  it('is reported by the first sync after the purge (deleted, synced, then purged)', async () => {
    await run('sync');
    const u = uuidOf('Call Anna');
    sb.task(u, 'delete');
    await run('sync'); // the line becomes (_)
    expect(readFileSync(join(ws, 'week.norg'), 'utf8')).toContain('(_) Call Anna');
    sb.task(u, 'purge');
    const r = await run('sync');
    expect(r.stdout + r.stderr).toMatch(/gone from Taskwarrior \(purged\?\)/);
  });
});

describe('tasks that no note claims', () => {
  it('a sync says how many and how to bring them in; --inbox later picks up those that existed before', async () => {
    sb.task('add', 'Old loose task');
    sb.task('add', 'Prune the roses', 'project:Garden');
    const first = await run('sync');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'warning: 2 pending Taskwarrior task(s) belong to no note (no heading holds their project); `planager sync --inbox inbox.norg` collects them in one note',
    );
    // Told once, not on every sync; a new one is told again.
    expect((await run('sync')).stdout).not.toMatch(/belong to no note/);
    sb.task('add', 'Newer loose task');
    expect((await run('sync')).stdout).toContain('warning: 1 pending Taskwarrior task(s) belong to no note');
    // As JSON, among the warnings.
    sb.task('add', 'Fourth');
    expect(JSON.parse((await run('sync', '--json')).stdout).warnings.join('\n')).toMatch(/^1 pending Taskwarrior task\(s\) belong to no note/m);

    // Turning the inbox on later: every one that existed before comes in, once.
    const r = await run('sync', '--inbox', 'inbox.norg');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('edited inbox.norg (4 changes)');
    const inbox = readFileSync(join(ws, 'inbox.norg'), 'utf8');
    for (const d of ['Old loose task', 'Prune the roses', 'Newer loose task', 'Fourth']) expect(inbox).toMatch(new RegExp(`- \\( \\) ${d} %#[0-9a-f]+%`));
    expect((await run('sync', '--inbox', 'inbox.norg')).stdout).toMatch(/nothing to do/);
    expect(readFileSync(join(ws, 'inbox.norg'), 'utf8')).toBe(inbox);
    // Nothing was lost or duplicated on the Taskwarrior side.
    const all = sb.exportAll();
    expect(all).toHaveLength(7);
    expect(all.find((t) => t.description === 'Prune the roses')!.project).toBe('Garden');
  });

  it('--inbox FILE is a path from the current folder, inside the workspace', async () => {
    await run('sync'); // makes .planager
    sb.task('add', 'Loose one');
    const sub = join(ws, 'lists');
    mkdirSync(sub);
    const r = await planager(['sync', '--inbox', 'inbox.norg'], { cwd: sub, env: sb.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('edited lists/inbox.norg (1 change)');
    expect(readFileSync(join(sub, 'inbox.norg'), 'utf8')).toMatch(/- \( \) Loose one %#/);
    expect(existsSync(join(ws, 'inbox.norg'))).toBe(false);
    const out = await run('sync', '--inbox', join(tmpdir(), 'elsewhere.norg'));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^planager sync: --inbox .* is outside the workspace/);
    const notNorg = await run('sync', '--inbox', 'inbox.txt');
    expect(notNorg.code).toBe(2);
    expect(notNorg.stderr).toContain('--inbox names a .norg file');
  });
});
