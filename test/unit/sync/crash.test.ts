import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sync } from '../../../sync/index.js';
import { ROOT } from '../../helpers/shared.js';
import { twSandbox } from '../../helpers/tw.js';

describe('crash safety', () => {
  it('a sync killed after Taskwarrior imported, before the notes were written, is finished by the next one', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-crash-'));
    writeFileSync(join(ws, 'a.norg'), '* H\n  - ( ) one\n  - ( ) two\n');
    expect((await sync({ workspace: ws, tw: sb.tw })).code).toBe(0);
    // Both sides change: the note ticks `one`, Taskwarrior gets a new task for the note.
    writeFileSync(join(ws, 'a.norg'), readFileSync(join(ws, 'a.norg'), 'utf8').replace('( ) one', '(x) one'));
    sb.task('add', 'three', 'project:H');
    // The import really happens, then `task` hangs and the sync's process is killed.
    sb.sabotage('import', 'hang-after');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'sync-child.ts'), ws], {
      cwd: ROOT,
      env: sb.env,
      stdio: 'ignore',
      detached: true,
    });
    const journal = join(ws, '.planager', 'journal.json');
    const deadline = Date.now() + 15_000;
    while (!sb.exportAll().some((t) => t.description === 'one' && t.status === 'completed')) {
      if (Date.now() > deadline) throw new Error('the import never happened');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(existsSync(journal)).toBe(true);
    process.kill(-child.pid!, 'SIGKILL');
    // The import is done; its wrapper only sleeps (hang-after): end it as `task` would have
    // ended (a replay waits for a killed sync's import that is still running).
    process.kill(-Number(readFileSync(join(ws, '.planager', 'importing.pid'), 'utf8')), 'SIGKILL');
    sb.sabotage('import', null);
    // The note did not get `three` yet: the sync died before writing it.
    expect(readFileSync(join(ws, 'a.norg'), 'utf8')).not.toContain('three');

    const r = await sync({ workspace: ws, tw: sb.tw });
    expect(r.code).toBe(0);
    expect(r.warnings.join('\n')).toMatch(/interrupted/);
    const text = readFileSync(join(ws, 'a.norg'), 'utf8');
    expect(text.match(/three/g)).toHaveLength(1);
    expect(text).toContain('(x) one');
    expect(sb.exportAll().filter((t) => t.description === 'three')).toHaveLength(1);
    expect(existsSync(journal)).toBe(false);
    expect((await sync({ workspace: ws, tw: sb.tw })).changed).toBe(false);
  });
});
