/**
 * Issue 14: what a sync tells the user on the command line (the built CLI as a child process,
 * real task 2.6 in a throwaway sandbox): purged tasks, tasks no note claims, the inbox.
 */
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
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
    expect(sb.exportAll().map((t) => t.description).sort()).toEqual(['Buy milk', 'Write the report']);
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
  it.fails('is reported by the first sync after the purge (deleted, synced, then purged)', async () => {
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
