/**
 * The harness's kinds of run of round 4 (issue 13): an undo.data replayed as outside edits (a
 * drawn one and the committed fixture), an activity log played back, a world of over 10,000
 * tasks; and the dashboard showing each run's kind. One run of each: the harness's CI budget
 * is five minutes in all (test/unit/harness took 24 s before these).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromTw } from '../../../sync/mapping.js';
import { expectedVersions } from '../../../sync/undo.js';
import { bigTasks } from '../../harness/big.js';
import { BIG } from '../../harness/history.js';
import { harness, kindOfRun, type Summary } from '../../harness/main.js';
import { FIXTURE_EXPORT, FIXTURE_LOG, FIXTURE_UNDO } from '../../harness/make-fixture.js';
import { applyTransaction, parseIssuesOf, parseUndo, rename, streamOf } from '../../harness/replay.js';
import { World } from '../../harness/world.js';
import type { TwTask } from '../../../sync/index.js';

const chromium = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium']).toString().trim() || null;
  } catch {
    return null;
  }
})();

describe('the harness: real undo.data replayed (round 4)', () => {
  it("the product's reader parses a real Taskwarrior 2.6 undo.data to what that Taskwarrior exported", () => {
    const raw = readFileSync(FIXTURE_UNDO, 'utf8');
    const tx = parseUndo(raw);
    expect(tx).toHaveLength(34);
    expect(parseIssuesOf(tx, JSON.parse(readFileSync(FIXTURE_EXPORT, 'utf8')) as TwTask[])).toEqual([]);
    // What undo.data escapes comes back as it was typed.
    const descriptions = tx.map((x) => x.new.description);
    expect(descriptions).toContain('say "hi" s1');
    expect(descriptions).toContain('box [b] s2');
    expect(descriptions).toContain('fish & chips s3');
    expect(descriptions).toContain('café s4');
  });

  it('applying every transaction to a fresh Taskwarrior reproduces the stream’s own end (no sync between)', async () => {
    const w = new World();
    try {
      const s = streamOf({ file: FIXTURE_UNDO });
      // The same file, read twice, names its tasks alike (shrinking and the trace rely on it).
      expect(rename(parseUndo(s.raw), 'x')[0].new.uuid).toBe(rename(parseUndo(s.raw), 'x')[0].new.uuid);
      w.r4.stream = s;
      const notes = s.transactions.map((x) => applyTransaction(w, x));
      expect(w.issues, notes.join('\n')).toEqual([]);
      const want = expectedVersions(s.transactions);
      const have = new Map(w.sb.exportAll().map((t) => [t.uuid, t]));
      for (const [u, t] of want) {
        const h = have.get(w.r4.alias.get(u) ?? u);
        expect(h, `${t.description} (${t.status})`).toBeDefined();
        const pick = (x: TwTask) => {
          const { depends: _, ...f } = fromTw(x);
          return {
            ...f,
            annotations: (x.annotations as { description: string }[] | undefined)?.map((a) => a.description),
            uda: x.harnessuda,
            orphan: x.harnessorphan,
            wait: x.wait,
            until: x.until,
          };
        };
        expect(pick(h!), t.description).toEqual(pick(t));
      }
      // Every task the stream made is in the model, as Taskwarrior's.
      expect(w.tasks.filter((t) => t.origin === 'taskwarrior').length).toBeGreaterThanOrEqual(want.size - 1);
    } finally {
      w.cleanup();
    }
  }, 60_000);
});

describe('the harness: kinds of run (round 4)', () => {
  it('kinds by run index: 7, 8, 9 of every ten are undo-replay, log-replay, big; run 0 is normal', () => {
    expect([0, 1, 7, 8, 9, 17].map((i) => kindOfRun(i))).toEqual(['normal', 'normal', 'undo-replay', 'log-replay', 'big', 'undo-replay']);
    expect(kindOfRun(9, ['normal'])).toBe('normal');
    expect(kindOfRun(3, ['big'])).toBe('big');
    expect([0, 1, 2].map((i) => kindOfRun(i, ['undo-replay', 'log-replay', 'big']))).toEqual(['undo-replay', 'log-replay', 'big']);
  });

  it('a big world holds over 10,000 tasks whose note ids are distinct', () => {
    const all = bigTasks({ ...BIG, seed: 5 });
    expect(all.length).toBeGreaterThan(10_000);
    expect(new Set(all.map((b) => b.tw.uuid.slice(0, 8))).size).toBe(all.length);
    expect(all.filter((b) => b.line).length).toBe(BIG.inNotes);
    expect(bigTasks({ ...BIG, seed: 5 })[777].tw).toEqual(all[777].tw);
  });

  it('an undo-replay, a log-replay, a big run and the two fixtures replayed hold; the dashboard shows each kind', async () => {
    const out = mkdtempSync(join(tmpdir(), 'planager-harness-modes-'));
    const lines: string[] = [];
    const t0 = Date.now();
    const s = await harness({
      runs: 3,
      seed: 4100,
      out,
      maxSteps: 20,
      faults: ['none'],
      shrinkMs: 20_000,
      kinds: ['undo-replay', 'log-replay', 'big'],
      log: (l) => lines.push(l),
    });
    const fixture = await harness({
      runs: 1,
      seed: 4200,
      out: join(out, 'fixture'),
      maxSteps: 15,
      faults: ['none'],
      shrinkMs: 20_000,
      kinds: ['undo-replay'],
      undoFile: FIXTURE_UNDO,
      log: (l) => lines.push(l),
    });
    // An earlier run's activity.jsonl (the fixture) played back in a fresh world.
    const earlier = await harness({
      runs: 1,
      seed: 4300,
      out: join(out, 'log'),
      maxSteps: 15,
      faults: ['none'],
      shrinkMs: 20_000,
      kinds: ['log-replay'],
      logFile: FIXTURE_LOG,
      log: (l) => lines.push(l),
    });
    expect(s.failed + fixture.failed + earlier.failed, lines.join('\n')).toBe(0);
    expect(
      earlier.results[0].trace.some((l) => /played back .*26 entries of .*activity\.jsonl/.test(l)),
      earlier.results[0].trace.join('\n'),
    ).toBe(true);
    expect(s.results.map((r) => r.kind)).toEqual(['undo-replay', 'log-replay', 'big']);
    const [undo, log, big] = s.results;
    expect(
      undo.trace.some((l) => /undoApply: \d+ transactions/.test(l)),
      undo.trace.join('\n'),
    ).toBe(true);
    expect(
      fixture.results[0].trace.some((l) => /undoApply: \d+ transactions \(\d+\/34\)/.test(l)),
      fixture.results[0].trace.join('\n'),
    ).toBe(true);
    expect(
      log.trace.some((l) => /played back [1-9]\d* log entries/.test(l)),
      log.trace.join('\n'),
    ).toBe(true);
    expect(big.trace[0]).toMatch(/^setup: big world: 10500 tasks imported, 2000 on note lines/);
    // Affordable: a big run (import, first sync, history, checks) well under a minute.
    expect(big.durationMs).toBeLessThan(60_000);
    expect(Date.now() - t0).toBeLessThan(180_000);

    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(json.results.map((r) => r.kind)).toEqual(['undo-replay', 'log-replay', 'big']);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<th>kind</th>');
    expect(html).toContain('<span id="kind-big" data-n="1" data-failed="0">');
    if (!chromium) return;
    const dom = execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${join(out, 'index.html')}`], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    }).toString();
    expect([...dom.matchAll(/<td class="kind">([a-z-]+)<\/td>/g)].map((m) => m[1])).toEqual(['undo-replay', 'log-replay', 'big']);
    for (const k of ['undo-replay', 'log-replay', 'big'])
      expect(dom).toContain(`<tr class="run pass" data-run="${['undo-replay', 'log-replay', 'big'].indexOf(k)}" data-kind="${k}"`);
    expect(dom).toContain('<span id="kind-normal" data-n="0" data-failed="0">');
    expect(dom).toContain('<option value="kind-big">big</option>');
  }, 240_000);
});
