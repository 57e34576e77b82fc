/** The tracked files of a workspace: every `*.norg` under it, outside hidden folders. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ID_LENGTH, SHARED_ID_LENGTH } from './ids.js';
import type { Inputs } from './stamps.js';

/**
 * How long new ids are: a workspace whose notes git merges with Planager's driver
 * (`.gitattributes` naming `merge=planager`, written by `planager remote setup` and committed,
 * so every device's clone says the same) is shared between devices, and its new ids are
 * long enough that devices creating tasks offline do not pick the same one (ids.ts).
 */
export function idLengthOf(workspace: string): number {
  let text: string;
  try {
    text = readFileSync(join(workspace, '.gitattributes'), 'utf8');
  } catch {
    return ID_LENGTH;
  }
  return /^\s*\S*norg\b.*\bmerge=planager\b/m.test(text) ? SHARED_ID_LENGTH : ID_LENGTH;
}

/** `inputs`: every folder looked into is stamped (a note added or removed moves its folder's mtime). */
export async function listNorgFiles(root: string, exclude: string[] = [], inputs?: Inputs): Promise<string[]> {
  return walkNorgFiles(root, exclude, inputs);
}

/** listNorgFiles for a caller that cannot wait (the quiet record of `sync --remote`). */
export function walkNorgFiles(root: string, exclude: string[] = [], inputs?: Inputs): string[] {
  const out: string[] = [];
  // Synchronous: one readdir per folder, cheaper than a thread-pool round trip each.
  const walk = (dir: string): void => {
    inputs?.file(dir);
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
        else inputs?.file(abs);
      } else if (e.name.endsWith('.norg')) {
        // A link's target may appear or go without its folder changing: stamped through it.
        if (e.isSymbolicLink()) inputs?.file(abs);
        // A linked note is tracked as a note (its target is what a sync writes: fsutil.ts).
        if (e.isFile() || (e.isSymbolicLink() && statSync(abs, { throwIfNoEntry: false })?.isFile())) out.push(relative(root, abs).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return out.sort();
}

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
