import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** shared/ sits beside the checkout (CI clones main with shared/ next to it). */
export function sharedDir(): string {
  for (const c of [process.env.PLANAGER_SHARED, join(ROOT, '..', 'shared'), join(ROOT, 'shared')]) {
    if (c && existsSync(join(c, 'norg'))) return c;
  }
  throw new Error('shared/ (with norg/) not found beside the repository; set PLANAGER_SHARED');
}
