/** The tracked files of a workspace: every `*.norg` under it, outside hidden folders. */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export async function listNorgFiles(root: string, exclude: string[] = []): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.name.startsWith('.') || e.name === 'node_modules' || exclude.includes(abs)) continue;
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile() && e.name.endsWith('.norg')) out.push(relative(root, abs).split(sep).join('/'));
    }
  };
  await walk(root);
  return out.sort();
}

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
