import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/shared.js';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';

const exec = promisify(execFile);
let sb: TwSandbox;
let ws: string;

async function planager(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'bin.ts'), ...args], { cwd: ROOT, env: { ...sb.env, NODE_PATH: '' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeEach(() => {
  sb = twSandbox();
  ws = mkdtempSync(join(tmpdir(), 'planager-cli-ws-'));
  writeFileSync(join(ws, 'week.norg'), '* Week\n  - ( ) Write the report\n  - ( ) Call Anna\n');
});

describe('planager sync / history / restore / backups', () => {
  it('syncs, reports as JSON, and a dry run writes nothing', async () => {
    const dry = await planager('sync', '--workspace', ws, '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, changed: true, taskwarrior: { created: [expect.any(String), expect.any(String)] } });
    expect(readFileSync(join(ws, 'week.norg'), 'utf8')).not.toContain('%#');
    expect(sb.exportAll()).toHaveLength(0);

    const r = await planager('sync', '--workspace', ws, '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.taskwarrior.created).toHaveLength(2);
    expect(rep.conflicts).toEqual([]);
    expect(sb.exportAll()).toHaveLength(2);
    const again = await planager('sync', '--workspace', ws);
    expect(again.stdout).toMatch(/nothing to do \(0 task processes\)/);
  });

  it('history lists every version newest first; restore brings one back into note and Taskwarrior', async () => {
    await planager('sync', '--workspace', ws);
    const id = /Write the report %#([0-9a-f]+)%/.exec(readFileSync(join(ws, 'week.norg'), 'utf8'))![1];
    const uuid = sb.exportAll().find((t) => t.description === 'Write the report')!.uuid;
    sb.task(uuid, 'modify', 'Write the annual report');
    await planager('sync', '--workspace', ws);
    sb.task(uuid, 'modify', 'Write the final report');
    await planager('sync', '--workspace', ws);
    expect(readFileSync(join(ws, 'week.norg'), 'utf8')).toContain('Write the final report');

    const h = await planager('history', id, '--workspace', ws, '--json');
    expect(h.code).toBe(0);
    const versions = JSON.parse(h.stdout).versions.map((v: { n: number; fields: { description: string } }) => [v.n, v.fields.description]);
    expect(versions).toEqual([
      [0, 'Write the final report'],
      [1, 'Write the annual report'],
      [2, 'Write the report'],
    ]);
    const r = await planager('restore', id, '--version', '2', '--workspace', ws);
    expect(r.code).toBe(0);
    expect(readFileSync(join(ws, 'week.norg'), 'utf8')).toContain(`- ( ) Write the report %#${id}%`);
    expect(sb.exportAll().find((t) => t.uuid === uuid)!.description).toBe('Write the report');
    // The overwritten version is itself in the history now.
    const h2 = JSON.parse((await planager('history', id, '--workspace', ws, '--json')).stdout);
    expect(h2.versions.map((v: { fields: { description: string } }) => v.fields.description)).toContain('Write the final report');
  });

  it('backups: one git commit per changing sync, listed, and notes restored from one', async () => {
    await planager('sync', '--workspace', ws);
    const first = readFileSync(join(ws, 'week.norg'), 'utf8');
    writeFileSync(join(ws, 'week.norg'), first.replace('( ) Call Anna', '(x) Call Anna'));
    await planager('sync', '--workspace', ws);
    await planager('sync', '--workspace', ws); // no change, no commit
    const list = await planager('backups', '--workspace', ws, '--json');
    const commits = JSON.parse(list.stdout);
    expect(commits).toHaveLength(2);
    const snapshot = JSON.parse(readFileSync(join(ws, '.planager', 'backup', 'taskwarrior.json'), 'utf8'));
    expect(snapshot).toHaveLength(2);
    writeFileSync(join(ws, 'week.norg'), 'oops, deleted everything\n');
    const r = await planager('restore', '--backup', commits[1].commit, 'week.norg', '--workspace', ws);
    expect(r.code).toBe(0);
    expect(readFileSync(join(ws, 'week.norg'), 'utf8')).toBe(first);
  });

  it('errors are clear with exit code 2; the bulk guard exits 1', async () => {
    expect((await planager('history', 'ffff', '--workspace', ws)).code).toBe(2);
    expect((await planager('sync', '--workspace', ws, '--backup', 'nope')).stderr).toMatch(/--backup takes/);
    await planager('sync', '--workspace', ws);
    writeFileSync(join(ws, 'week.norg'), '- ( ) one\n- ( ) two\n- ( ) three\n');
    await planager('sync', '--workspace', ws);
    writeFileSync(join(ws, 'week.norg'), '');
    const r = await planager('sync', '--workspace', ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--force/);
  });
});
