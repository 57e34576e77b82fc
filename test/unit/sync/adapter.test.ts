import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyByStamp, parseExport, Taskwarrior } from '../../../sync/taskwarrior.js';
import { twSandbox } from '../../helpers/tw.js';

describe('the Taskwarrior adapter', () => {
  // `task import` prints a line per task whatever rc.verbose says. Piped, that output stops
  // `task` once 64 KB wait unread, and nothing reads while Node works (the sync stages its
  // files during a large import): the import then waited for Node instead of running beside it.
  it("an import's output never holds task while Node is busy", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planager-adapter-'));
    const marker = join(dir, 'finished');
    const bin = join(dir, 'task');
    // Like `task import -`: read the input, print a lot, then finish.
    writeFileSync(bin, `#!/bin/sh\ncat >/dev/null\nhead -c 1048576 /dev/zero | tr '\\\\0' x\ntouch '${marker}'\n`);
    chmodSync(bin, 0o755);
    const tw = new Taskwarrior({ bin, env: { PATH: process.env.PATH, HOME: dir }, timeoutMs: 10_000 });
    const pending = tw.startImport();
    const result = pending.send([{ uuid: '00000000-0000-4000-8000-000000000001', description: 'x', status: 'pending', entry: '20260101T000000Z' }]);
    await pending.written();
    // Busy, as the sync is while it stages files: no event loop turns here.
    const end = Date.now() + 5_000;
    while (!existsSync(marker) && Date.now() < end);
    expect(existsSync(marker)).toBe(true);
    expect((await result).ok).toBe(true);
  });
});

describe("an export's JSON", () => {
  // 2.6 stores and exports a vertical tab raw; before, one such task made every full sync fail.
  it('reads a task whose description holds a raw control character (real task)', async () => {
    const sb = twSandbox();
    sb.task('add', 'bad\vtab\u0001end');
    sb.task('add', 'plain');
    const e = await sb.tw.export();
    expect(e.ok && e.value.map((t) => t.description).sort()).toEqual(['bad\vtab\u0001end', 'plain']);
  });

  it('is parsed as it is when it is JSON, and a non-JSON text still fails', () => {
    expect(parseExport('[\n{"a":"x\\ty"}\n]')).toEqual([{ a: 'x\ty' }]);
    expect(parseExport('[{"a":"\u000b"}]')).toEqual([{ a: '\v' }]);
    expect(() => parseExport('[{"a":')).toThrow();
  });
});

describe('emptyByStamp', () => {
  const stamp = (pending: string, completed: string, tc = '-', undo = '-') =>
    `undo.data:${undo}|pending.data:${pending}|completed.data:${completed}|taskchampion.sqlite3:${tc}`;
  it('is true only when 2.6 holds no task file with content, has no undo log and there is no 3.x database', () => {
    expect(emptyByStamp(stamp('-', '-'))).toBe(true);
    expect(emptyByStamp(stamp('0:17.2', '0:17.2', '-', '0:17.2'))).toBe(true);
    expect(emptyByStamp(stamp('0:17.2', '-'))).toBe(true);
    expect(emptyByStamp(stamp('312:17.2', '-'))).toBe(false);
    expect(emptyByStamp(stamp('-', '90:17.2'))).toBe(false);
    expect(emptyByStamp(stamp('-', '-', '4096:17.2'))).toBe(false);
    // Both files empty for a moment while a `task` rewrites them: the undo log says it has tasks.
    expect(emptyByStamp(stamp('0:17.2', '0:17.2', '-', '120:1.5'))).toBe(false);
    expect(emptyByStamp('')).toBe(false);
  });
});
