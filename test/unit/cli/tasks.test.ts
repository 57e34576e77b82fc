import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { run } from '../../../cli/index.js';
import { ROOT } from '../../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'planager-cli-'));
const a = join(dir, 'a.norg');
const b = join(dir, 'b.norg');
writeFileSync(a, '* Work\n** Ship\n   - (!|# A|< Fri 27th Nov) Release *v1* %#deadbeef%\n     notes\n   -- (x) tests\n');
writeFileSync(b, '- ( ) only one\n@code\n- ( ) not a task\n@end\n');

describe('planager tasks', () => {
  it('prints a JSON array for one file', async () => {
    const r = await run(['tasks', a, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout!)).toEqual([
      {
        line: 3,
        level: 1,
        status: 'urgent',
        description: 'Release *v1* notes',
        priority: 'A',
        due: 'Fri 27th Nov',
        start: null,
        parent: null,
        project: ['Work', 'Ship'],
      },
      { line: 5, level: 2, status: 'done', description: 'tests', priority: null, due: null, start: null, parent: 3, project: ['Work', 'Ship'] },
    ]);
  });

  it('prints an object keyed by path for several files', async () => {
    const r = await run(['tasks', a, b, '--json']);
    const out = JSON.parse(r.stdout!);
    expect(Object.keys(out)).toEqual([a, b]);
    expect(out[b]).toHaveLength(1);
  });

  it('prints a readable table without --json', async () => {
    const r = await run(['tasks', a]);
    expect(r.stdout).toMatch(/^line\s+status\s+pri\s+due\s+project\s+description$/m);
    expect(r.stdout).toContain('(!)');
    expect(r.stdout).toContain('Work / Ship');
  });

  it('a missing file, a directory and invalid UTF-8 are clear errors with exit code 2', async () => {
    const bad = join(dir, 'bad.norg');
    writeFileSync(bad, Buffer.from([0x2d, 0x20, 0xff]));
    for (const [file, msg] of [
      [join(dir, 'nope.norg'), 'no such file'],
      [dir, 'is a directory'],
      [bad, 'not valid UTF-8'],
    ]) {
      const r = await run(['tasks', file, '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stdout ?? '').toBe('');
    }
  });

  it('unknown flags and commands are errors, not crashes', async () => {
    expect((await run(['tasks', a, '--jsn'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('the real binary exits 2 on error and prints JSON on success', async () => {
    const exec = promisify(execFile);
    const bin = ['--import', 'tsx', join(ROOT, 'cli', 'bin.ts')];
    const ok = await exec(process.execPath, [...bin, 'tasks', b, '--json'], { cwd: ROOT });
    expect(JSON.parse(ok.stdout)).toHaveLength(1);
    await expect(exec(process.execPath, [...bin, 'tasks', join(dir, 'missing.norg')], { cwd: ROOT })).rejects.toMatchObject({ code: 2 });
  });
});
