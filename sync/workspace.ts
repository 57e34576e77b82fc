/** The tracked files of a workspace: every `*.norg` under it, outside hidden folders. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';

export async function listNorgFiles(root: string, exclude: string[] = []): Promise<string[]> {
  const out: string[] = [];
  // Synchronous: one readdir per folder, cheaper than a thread-pool round trip each.
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.name.startsWith('.') || e.name === 'node_modules' || exclude.includes(abs)) continue;
      // A folder with its own `.planager` is another workspace (found upward like git's
      // repositories): its notes are its own, never this one's.
      if (e.isDirectory()) {
        if (!existsSync(join(abs, '.planager'))) walk(abs);
      } else if (e.name.endsWith('.norg') && (e.isFile() || (e.isSymbolicLink() && statSync(abs, { throwIfNoEntry: false })?.isFile())))
        // A linked note is tracked as a note (its target is what a sync writes: fsutil.ts).
        out.push(relative(root, abs).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
