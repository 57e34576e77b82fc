/**
 * The parse cache of plan and agenda (cli/parsecache.ts) never decides anything: a note whose
 * text changed, a damaged or foreign entry, or a workspace with no state folder all give what a
 * fresh parse gives.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseCache } from '../../../cli/parsecache.js';
import { extractObjects, outlineOf } from '../../../graph/index.js';
import { parse } from '../../../parser/index.js';

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

  it('writes nothing in a folder no sync has set up', () => {
    const ws = mkdtempSync(join(tmpdir(), 'planager-pc-'));
    expect(new ParseCache(ws).objects('work.norg', A)).toEqual(fresh(A));
    expect(readdirSync(ws)).toEqual([]);
  });
});
