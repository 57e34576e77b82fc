import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The folder holding `norg/` (conformance cases and the licensed corpus): the copy in the
 * repository (test/fixtures, with each source's license in norg/corpus/SOURCES.tsv and
 * norg/conformance/LICENSE-*), so a clone's tests need nothing beside it; PLANAGER_SHARED
 * points elsewhere to test against another copy.
 */
export function sharedDir(): string {
  for (const c of [process.env.PLANAGER_SHARED, join(ROOT, 'test', 'fixtures')]) {
    if (c && existsSync(join(c, 'norg'))) return c;
  }
  throw new Error('test/fixtures/norg not found (or PLANAGER_SHARED has no norg/)');
}
