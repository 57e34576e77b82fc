/**
 * rplugin/codecache.ts runs bundles through vm.Script, which by default has no loader for an
 * import() inside them: the host's lock wait once rejected with "A dynamic import callback was
 * not specified", and only when a plan met a sync's half-made lock (scripts/build.mjs now also
 * refuses such a bundle).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCommonJs } from '../../../rplugin/codecache.js';

const dirs: string[] = [];
afterEach(() => {
  delete process.env.PLANAGER_CACHE;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const lender = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

describe('a bundle loaded through the code cache', () => {
  it.runIf(lender)('may import() a module, compiled and again from its cache', async () => {
    const d = mkdtempSync(join(tmpdir(), 'planager-cc-'));
    dirs.push(d);
    process.env.PLANAGER_CACHE = join(d, 'cache');
    const file = join(d, 'b.cjs');
    writeFileSync(file, "exports.sep = () => import('node:path').then((m) => m.sep);");
    for (let i = 0; i < 2; i++) {
      const m = loadCommonJs(file, { saveAfterMs: 0 }) as { sep: () => Promise<string> };
      await expect(m.sep()).resolves.toBe('/');
      await new Promise((r) => setTimeout(r, 20)); // the cache is saved in idle time
    }
    expect(readdirSync(join(d, 'cache')).filter((n) => n.endsWith('.cache'))).toHaveLength(1);
  });
});
