/**
 * Issue 14, "The command line": the built `planager` run as a child process (exit codes and
 * output are the process's), with a throwaway Taskwarrior and temp folders.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/shared.js';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';
import { assertBuilt, planager } from './run.js';

let sb: TwSandbox;
let ws: string;
const run = (args: string[], cwd = ws, env: NodeJS.ProcessEnv = sb.env) => planager(args, { cwd, env });

beforeAll(assertBuilt);
beforeEach(() => {
  sb = twSandbox();
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'planager-cl-ws-')));
  writeFileSync(join(ws, 'week.norg'), '* Week\n  - ( ) Write the report\n  - ( ) Call Anna\n');
});

describe('--version, -h, --help', () => {
  it('print and exit 0; help lists every command and --workspace', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const v = await run([flag]);
      expect(v).toEqual({ code: 0, stdout: `planager ${pkg.version}\n`, stderr: '' });
    }
    for (const args of [['-h'], ['--help'], ['help'], ['sync', '--help'], ['history', '-h']]) {
      const h = await run(args);
      expect(h.code, args.join(' ')).toBe(0);
      expect(h.stderr).toBe('');
      for (const cmd of ['tasks', 'sync', 'pull', 'push', 'history', 'restore', 'backups', 'setup', 'hook', '--version'])
        expect(h.stdout).toContain(`planager ${cmd}`);
      for (const cmd of ['tasks', 'history', 'restore ID', 'backups']) expect(h.stdout).toMatch(new RegExp(`planager ${cmd}[^\\n]*--workspace DIR`));
    }
    // No command at all is a usage error, still with the text.
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage:');
  });

  it('an unknown flag is exit 2 with a message, no stack trace', async () => {
    const r = await run(['sync', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^planager sync: Unknown option '--nope'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a workspace that does not exist', () => {
  it('is exit 2 with a clear message for every command, and nothing is created', async () => {
    const missing = join(ws, 'no', 'such');
    for (const args of [
      ['sync'],
      ['sync', '--dry-run'],
      ['history', 'abcd'],
      ['restore', 'abcd'],
      ['backups'],
      ['tasks'],
      ['tasks', 'week.norg'],
      ['pull', 'week.norg'],
      ['push', 'week.norg'],
    ]) {
      const r = await run([...args, '--workspace', missing]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`workspace ${missing} (from --workspace) does not exist`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(ws, 'no'))).toBe(false);
  });

  it('from $PLANAGER_WORKSPACE too; a file in its place is "not a folder"', async () => {
    const missing = join(ws, 'gone');
    const r = await run(['sync'], ws, { ...sb.env, PLANAGER_WORKSPACE: missing });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`workspace ${missing} (from $PLANAGER_WORKSPACE) does not exist`);
    expect(existsSync(missing)).toBe(false);
    const f = await run(['sync', '--workspace', join(ws, 'week.norg')]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('is not a folder');
  });
});

describe('workspace discovery, as git finds its repository', () => {
  it('from a subfolder every command uses the nearest folder upward holding .planager', async () => {
    expect((await run(['sync'])).code).toBe(0); // makes ws/.planager
    const sub = join(ws, 'projects', 'deep');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(ws, 'projects', 'garden.norg'), '- ( ) Plant tulips\n');
    const r = await run(['sync', '--json'], sub);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).taskwarrior.created).toHaveLength(1);
    expect(existsSync(join(sub, '.planager'))).toBe(false);
    expect(existsSync(join(ws, 'projects', '.planager'))).toBe(false);
    expect(
      sb
        .exportAll()
        .map((t) => t.description)
        .sort(),
    ).toEqual(['Call Anna', 'Plant tulips', 'Write the report']);

    const id = /Plant tulips %#([0-9a-f]+)%/.exec(readFileSync(join(ws, 'projects', 'garden.norg'), 'utf8'))![1];
    const h = await run(['history', id, '--json'], sub);
    expect(h.code).toBe(0);
    expect(JSON.parse(h.stdout).versions[0].fields.description).toBe('Plant tulips');
    const b = await run(['backups', '--json'], sub);
    expect(JSON.parse(b.stdout)).toHaveLength(2);
    const t = await run(['tasks', '--json'], sub);
    expect(Object.keys(JSON.parse(t.stdout)).sort()).toEqual(['projects/garden.norg', 'week.norg']);
    writeFileSync(join(ws, 'projects', 'garden.norg'), readFileSync(join(ws, 'projects', 'garden.norg'), 'utf8').replace('Plant tulips', 'Plant roses'));
    expect((await run(['sync'], sub)).code).toBe(0);
    const rs = await run(['restore', id], sub);
    expect(rs.code).toBe(0);
    expect(readFileSync(join(ws, 'projects', 'garden.norg'), 'utf8')).toContain('Plant tulips');
    expect(existsSync(join(sub, '.planager'))).toBe(false);
  });

  it('pull/push use the workspace of the file; the nearest .planager wins over an outer one', async () => {
    await run(['sync']);
    const inner = join(ws, 'inner');
    mkdirSync(join(inner, '.planager'), { recursive: true });
    writeFileSync(join(inner, 'x.norg'), '- ( ) Inner task\n');
    const r = await run(['push', 'x.norg', '--json'], inner);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).taskwarrior.created).toHaveLength(1);
    expect(existsSync(join(inner, '.planager', 'catalog.json'))).toBe(true);
  });

  it('no .planager upward: $PLANAGER_WORKSPACE, else the current folder', async () => {
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'planager-cl-cwd-')));
    const r = await run(['sync', '--json'], elsewhere, { ...sb.env, PLANAGER_WORKSPACE: ws });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).taskwarrior.created).toHaveLength(2);
    expect(existsSync(join(ws, '.planager'))).toBe(true);
    expect(existsSync(join(elsewhere, '.planager'))).toBe(false);
    // The current folder, when nothing else names one.
    writeFileSync(join(elsewhere, 'a.norg'), '- ( ) Here\n');
    const c = await run(['sync', '--json'], elsewhere);
    expect(JSON.parse(c.stdout).taskwarrior.created).toHaveLength(1);
    expect(existsSync(join(elsewhere, '.planager'))).toBe(true);
  });

  it('tasks, history, restore and backups accept --workspace', async () => {
    await run(['sync']);
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'planager-cl-cwd-')));
    const id = /Call Anna %#([0-9a-f]+)%/.exec(readFileSync(join(ws, 'week.norg'), 'utf8'))![1];
    const t = await run(['tasks', '--workspace', ws], elsewhere);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/Call Anna/);
    expect((await run(['history', id, '--workspace', ws], elsewhere)).stdout).toContain(`task ${id}`);
    expect(JSON.parse((await run(['backups', '--workspace', ws, '--json'], elsewhere)).stdout)).toHaveLength(1);
    const rs = await run(['restore', id, '--workspace', ws], elsewhere); // one version only: nothing older
    expect(rs.code).toBe(2);
    expect(rs.stderr).toMatch(/^planager restore: /);
    expect(existsSync(join(elsewhere, '.planager'))).toBe(false);
  });
});

describe("plan and agenda's code cache", () => {
  it('is written by the first run, used by the next, and a corrupt one is ignored and replaced', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'planager-cl-cache-'));
    const env = { ...sb.env, PLANAGER_CACHE: cache };
    expect((await run(['sync'], ws, env)).code).toBe(0);
    const plan = () => run(['plan', 'daily', '--date', '2026-12-04', '--json', '--workspace', ws], ws, env);
    const caches = () => readdirSync(cache).filter((n) => n.startsWith('planning-') && n.endsWith('.cache'));
    const first = await plan();
    expect(first.code).toBe(0);
    expect(caches()).toHaveLength(1);
    const file = join(cache, caches()[0]!);
    const written = statSync(file).mtimeMs;
    // The replay record answers a run with nothing changed before any code loads: set it aside.
    const again = async () => {
      rmSync(join(ws, '.planager', 'replay.json'), { force: true });
      return plan();
    };
    const second = await again();
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).created).toBe(false);
    expect(statSync(file).mtimeMs).toBe(written);
    writeFileSync(file, Buffer.concat([readFileSync(file).subarray(0, 16), Buffer.from('damaged payload')]));
    expect((await again()).stdout).toBe(second.stdout);
    expect(readFileSync(file).length).toBeGreaterThan(1000);
  });
});
