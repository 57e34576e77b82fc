/**
 * `planager remind` (issue 16) at fixed clock times: each reminder goes out once; one a channel
 * failed to deliver (ntfy answering 500) goes again at the next run; a run after the machine
 * slept sends what fell due meanwhile; no `task` process. ntfy is an HTTP server on 127.0.0.1
 * that records what it receives. Real task for the due dates.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindCli, remindCommand } from '../../../cli/remind.js';
import { blocksOf, dueReminders } from '../../../plan/remind/index.js';
import { twSandbox } from '../../helpers/tw.js';

let server: Server;
let url = '';
const got: { title: string; body: string; auth: string | undefined }[] = [];
let failNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
        return;
      }
      got.push({ title: String(req.headers.title), body, auth: req.headers.authorization });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address() as { port: number };
  url = `http://127.0.0.1:${a.port}/planager`;
});
afterAll(() => server.close());

describe('planager remind', () => {
  it('sends each reminder once, again after a failure, and what fell due while the machine slept', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-remind-'));
    mkdirSync(join(ws, '.planager'));
    mkdirSync(join(ws, 'journal', '2026', '12'), { recursive: true });
    writeFileSync(
      join(ws, 'journal', '2026', '12', '04.norg'),
      '* Schedule\n|planager schedule 09:00-17:00\n- 09:00-10:30 Cut the release {:../../../work:* Release}[work: Release] %block 1a2b3c4d 09:00-10:30%\n- 14:00-15:00 Dentist %fixed%\n|end\n',
    );
    sb.task('add', 'Pay the invoice', 'due:2026-12-04T12:00:00');
    const at = (h: number, m = 0) => new Date(2026, 11, 4, h, m).toISOString();
    const remind = (now: string) => remindCommand({ workspace: ws, now, ntfy: url }, { tw: sb.tw, env: { PLANAGER_NTFY_TOKEN: 'secret' } });
    sb.resetCalls();
    expect((await remind(at(8, 58))).stdout).toBe('');
    const r1 = await remind(at(9, 0));
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(/Now: Cut the release/);
    expect(got.map((g) => g.title)).toEqual(['Now: Cut the release']);
    expect(got[0]!.auth).toBe('Bearer secret');
    // The next minute: nothing again.
    expect((await remind(at(9, 1))).stdout).toBe('');
    // ntfy fails at the end of the block: reported, sent at the next run.
    failNext = 1;
    const r2 = await remind(at(10, 30));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/ntfy answered 500/);
    const r3 = await remind(at(10, 31));
    expect(r3.code).toBe(0);
    expect(got.map((g) => g.title)).toEqual(['Now: Cut the release', 'Done? Cut the release']);
    // The machine sleeps from 10:31 to 15:10: the due reminder (11:45), the dentist's start and end.
    const r4 = await remind(at(15, 10));
    expect(got.slice(2).map((g) => g.title)).toEqual(['Due 12:00: Pay the invoice', 'Now: Dentist', 'Done? Dentist']);
    expect((r4.stdout ?? '').trim().split('\n')).toHaveLength(3);
    expect((await remind(at(15, 11))).stdout).toBe('');
    expect(sb.calls()).toEqual([]);
  });

  it('--install-timer writes a service and a timer in the config folder given, and enables nothing', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'planager-remind-t-'));
    mkdirSync(join(ws, '.planager'));
    const config = mkdtempSync(join(tmpdir(), 'planager-xdg-'));
    const r = await remindCommand({ workspace: ws, 'install-timer': true, ntfy: 'https://ntfy.example/my topic' }, { env: { XDG_CONFIG_HOME: config } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/systemctl --user enable --now planager-remind\.timer/);
    const service = readFileSync(join(config, 'systemd', 'user', 'planager-remind.service'), 'utf8');
    expect(service).toMatch(/^ExecStart=.* remind --workspace .* --ntfy "https:\/\/ntfy\.example\/my topic"$/m);
    expect(readFileSync(join(config, 'systemd', 'user', 'planager-remind.timer'), 'utf8')).toMatch(/OnCalendar=\*-\*-\* \*:\*:00/);
  });

  it('the command line takes --install-timer and rejects an unknown word', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'planager-remind-c-'));
    mkdirSync(join(ws, '.planager'));
    const config = mkdtempSync(join(tmpdir(), 'planager-xdg-'));
    const old = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = config;
    try {
      const ok = await remindCli(['--install-timer', '--workspace', ws, '--desktop']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(readFileSync(join(config, 'systemd', 'user', 'planager-remind.service'), 'utf8')).toMatch(/ --desktop$/m);
    } finally {
      if (old === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = old;
    }
    expect((await remindCli(['--bogus'])).code).toBe(2);
    expect((await remindCli(['stray'])).code).toBe(2);
  });

  it('reads block lines and keeps the window', () => {
    const blocks = blocksOf(['- 09:00-10:30 Cut it {:w:* R}[w: R] %block 1a2b3c4d 09:00-10:30%', '- nonsense', '- 11:00-10:00 Backwards'], {
      y: 2026,
      m: 12,
      d: 4,
    });
    expect(blocks).toEqual([{ start: new Date(2026, 11, 4, 9), end: new Date(2026, 11, 4, 10, 30), text: 'Cut it' }]);
    const window = { blocks, tasks: [], lead: 0, from: new Date(2026, 11, 4, 9, 10), to: new Date(2026, 11, 4, 11) };
    // A start the last run sent is not sent again; one it did not know of (the block written
    // since) still holds while the block runs; an end holds at its moment only.
    const started = dueReminders({ ...window, sent: new Set() });
    expect(started.map((x) => x.kind)).toEqual(['start', 'end']);
    expect(dueReminders({ ...window, sent: new Set([started[0]!.key]) }).map((x) => x.kind)).toEqual(['end']);
    expect(dueReminders({ ...window, from: new Date(2026, 11, 4, 10, 30), sent: new Set() })).toEqual([]);
  });
});
