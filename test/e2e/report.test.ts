/**
 * The tracking report in real Chromium (Debian's, headless): rendered at 1280×800 and at a
 * phone's 390×844 (screenshots kept in test-artifacts/), each chart present in the DOM with its
 * data points, no console message (a request the page tried, or a script, would log one: the
 * page forbids both), and nothing in it that points outside the page. Real task for the data.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../cli/report.js';
import { twDate } from '../../sync/index.js';
import { ROOT } from '../helpers/shared.js';
import { REAL_TASK, twSandbox } from '../helpers/tw.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');

function chromium(args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--enable-logging=stderr', '--v=0', '--hide-scrollbars', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: (() => {
      const home = mkdtempSync(join(tmpdir(), 'planager-chromium-'));
      return { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
    })(),
  });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
const consoleLines = (stderr: string) => stderr.split('\n').filter((l) => l.includes(':CONSOLE'));

describe('planager report --html in Chromium', () => {
  it('draws every chart with its data, at desktop and phone sizes, with no console message and no request', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-report-'));
    mkdirSync(join(ws, '.planager'));
    const T = 'bbbbbbbb-2222-4333-8444-555555555555';
    const at = (day: number, h = 9) => twDate(new Date(2026, 10, day, h));
    const tasks = [
      { uuid: T, description: 'Stretch <daily> & "more"', status: 'recurring', entry: at(1, 7), due: at(1, 8), recur: 'daily', mask: '' },
      ...[1, 2, 3, 5, 6, 7, 8, 10].map((d, i) => ({
        uuid: `bbbbbbbb-2222-4333-8444-55555555550${i}`,
        description: 'Stretch <daily> & "more"',
        status: 'completed',
        entry: at(1, 7),
        due: at(d, 8),
        end: at(d, 19),
        recur: 'daily',
        parent: T,
        imask: String(i),
      })),
      ...[3, 4, 9, 12].map((d, i) => ({
        uuid: `cccccccc-2222-4333-8444-55555555550${i}`,
        description: `Shed ${i}`,
        status: 'completed',
        project: 'Home.Shed',
        entry: at(1),
        end: at(d, 11),
      })),
      { uuid: 'dddddddd-2222-4333-8444-555555555555', description: 'Gate', status: 'pending', project: 'Home.Garden', entry: at(2) },
    ];
    execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', 'rc.recurrence=off', 'import', '-'], { env: sb.env, input: JSON.stringify(tasks) });
    mkdirSync(join(ws, 'journal', '2026', '11'), { recursive: true });
    writeFileSync(join(ws, 'journal', '2026', '11', '12.norg'), '- ( ) Shed 3 %@cccccccc%\n- ( ) Sweep\n');
    writeFileSync(join(ws, 'home.norg'), '+goal 8\n* Home\n');
    const file = join(ws, 'report.html');
    sb.resetCalls();
    const r = await reportCommand({ html: file, workspace: ws, since: '2026-11-01', now: new Date(2026, 10, 14, 20).toISOString() }, { tw: sb.tw });
    expect(r.code).toBe(0);
    expect(sb.calls()).toEqual([]);
    const html = readFileSync(file, 'utf8');
    // Hostile text is text.
    expect(html).toContain('Stretch &#60;daily&#62; &#38; &#34;more&#34;');
    expect(html).not.toMatch(/<script|\b(src|href)=|url\(/i);

    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [w, h] of [
      [1280, 800],
      [390, 844],
    ]) {
      const png = join(ARTIFACTS, `report-${w}x${h}.png`);
      const shot = chromium([`--window-size=${w},${h}`, `--screenshot=${png}`, `file://${file}`]);
      expect(existsSync(png) && statSync(png).size > 5000, shot.stderr).toBe(true);
      expect(consoleLines(shot.stderr)).toEqual([]);
    }
    const dom = chromium(['--window-size=1280,800', '--dump-dom', `file://${file}`]);
    expect(consoleLines(dom.stderr)).toEqual([]);
    const d = dom.stdout;
    writeFileSync(join(ARTIFACTS, 'report-dom.html'), d);
    const heat = /<figure data-chart="heatmap">(.*?)<\/figure>/s.exec(d)![1]!;
    expect(heat.match(/data-date="/g)).toHaveLength(14); // the 1st to the 14th
    expect(heat).toContain('data-date="2026-11-03" data-value="2"'); // the habit and a shed task
    expect(heat).toContain('data-date="2026-11-04" data-value="1"');
    expect(d.match(/data-chart="habit"/g)).toHaveLength(1);
    expect(d).toMatch(/data-chart="habit"><figcaption>Stretch &lt;daily&gt; &amp; "more": strength \d+%, streak 0 \(best 4\)/);
    expect(d).toMatch(/class="line" points="[^"]+" data-points="14"/);
    expect(d.match(/data-chart="burnup"/g)).toHaveLength(3); // Home, Home.Garden, Home.Shed
    expect(d).toMatch(/Home\.Shed: 4 of 4 done/);
    // The heading's +goal 8: said in the caption, drawn as a line across the burn-up.
    expect(d).toMatch(
      /<figcaption>Home: \d+ of \d+ done — goal: 8 done<\/figcaption><svg[^>]*><line class="axis"[^>]*><\/line><line class="goal" data-goal="8"/,
    );
    const planned = /<figure data-chart="planned">(.*?)<\/figure>/s.exec(d)![1]!;
    expect(planned).toContain('data-date="2026-11-12" data-planned="2" data-done="1"');
  });

  it('the console check catches what it must: a page that loads or runs something logs it', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'planager-report-bad-')), 'bad.html');
    writeFileSync(
      bad,
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><img src="http://127.0.0.1:9/x.png"><script>console.log(1)</script>`,
    );
    expect(consoleLines(chromium(['--dump-dom', `file://${bad}`]).stderr).length).toBeGreaterThan(0);
  });
});
