/**
 * The parse cache of plan and agenda (cli/parsecache.ts) never decides anything: a note whose
 * text changed, a damaged or foreign entry, or a workspace with no state folder all give what a
 * fresh parse gives.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseCache } from '../../../cli/parsecache.js';
import { extractObjects, outlineOf } from '../../../graph/index.js';
import { parse } from '../../../parser/index.js';
import { homeLinesOf } from '../../../plan/index.js';

const A = '* Work\n  - ( ) Cut the release %#1a2b3c4d%\n';
const B = '* Work\n  - (x) Cut the release %#1a2b3c4d%\n  - ( ) Tell everyone\n';
const fresh = (t: string) => outlineOf(extractObjects(parse(t), 'work.norg'));

describe('the parse cache', () => {
  it('gives what a parse gives, after a change, and after damage', () => {
    const ws = mkdtempSync(join(tmpdir(), 'planager-pc-'));
    mkdirSync(join(ws, '.planager'));
    expect(new ParseCache(ws).objects('work.norg', A)).toEqual(fresh(A));
    const dir = join(ws, '.planager', 'parsed');
    expect(readdirSync(dir)).toHaveLength(1);
    // Read back in another command: the same objects.
    expect(new ParseCache(ws).objects('work.norg', A)).toEqual(fresh(A));
    // The text changed: parsed again.
    expect(new ParseCache(ws).objects('work.norg', B)).toEqual(fresh(B));
    // Damaged entries: parsed again, replaced.
    for (const bad of ['{', '{"version":1,"file":"work.norg","hash":"x","objects":{}}', 'null', '[]']) {
      writeFileSync(join(dir, readdirSync(dir)[0]!), bad);
      expect(new ParseCache(ws).objects('work.norg', B)).toEqual(fresh(B));
    }
  });

  it('gives the home lines at once and the outline when asked, each as a parse gives them, whatever part is damaged', () => {
    const ws = mkdtempSync(join(tmpdir(), 'planager-pc-'));
    mkdirSync(join(ws, '.planager'));
    new ParseCache(ws).objects('work.norg', B);
    const dir = join(ws, '.planager', 'parsed');
    const path = join(dir, readdirSync(dir)[0]!);
    const good = readFileSync(path, 'utf8');
    const [header, outline] = [good.slice(0, good.indexOf('\n')), good.slice(good.indexOf('\n') + 1)];
    const hit = new ParseCache(ws).outline('work.norg', B);
    expect(hit.homes).toEqual(homeLinesOf(fresh(B)));
    expect(hit.objects()).toEqual(fresh(B));
    // The outline line damaged: the home lines still read, the outline is parsed from the text (and the entry replaced).
    writeFileSync(path, `${header}\n{"tasks":`);
    const torn = new ParseCache(ws).outline('work.norg', B);
    expect(torn.homes).toEqual(homeLinesOf(fresh(B)));
    expect(torn.objects()).toEqual(fresh(B));
    expect(readFileSync(path, 'utf8')).toBe(good);
    // Home lines that do not hold together: the whole note is parsed again.
    const h = JSON.parse(header) as { homes: { lines: unknown[] } };
    for (const lines of [[['1a2b3c4d', 2, 5]], [['1a2b3c4d', 2, 0.5]], [[7, 2, 0]], 'x']) {
      writeFileSync(path, `${JSON.stringify({ ...h, homes: { ...h.homes, lines } })}\n${outline}`);
      const again = new ParseCache(ws).outline('work.norg', B);
      expect(again.homes).toEqual(homeLinesOf(fresh(B)));
      expect(again.objects()).toEqual(fresh(B));
    }
  });

  it('writes nothing in a folder no sync has set up', () => {
    const ws = mkdtempSync(join(tmpdir(), 'planager-pc-'));
    expect(new ParseCache(ws).objects('work.norg', A)).toEqual(fresh(A));
    expect(readdirSync(ws)).toEqual([]);
  });
});
