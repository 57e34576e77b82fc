/**
 * What a git repository's files say about its branch and upstream, read without a `git`
 * process: `sync --remote` with nothing changed may start one `git fetch` and nothing else
 * (issue 18), so "is there anything to merge or push" is answered from .git itself.
 *
 * Only the plain layouts git writes are read (HEAD naming a branch, loose refs, packed-refs,
 * a worktree's `gitdir:` file with its `commondir`); anything else answers null, and the
 * caller asks git instead.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface GitDirs {
  /** The work tree's root (the folder holding `.git`). */
  root: string;
  /** This work tree's git folder (HEAD lives here). */
  gitDir: string;
  /** The repository's shared folder (refs, packed-refs, config). */
  commonDir: string;
}

function read(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/** The repository holding `dir` (from it upward), or null when there is none. */
export function findGit(dir: string): GitDirs | null {
  let d = resolve(dir);
  for (;;) {
    const dotgit = join(d, '.git');
    const st = statSync(dotgit, { throwIfNoEntry: false });
    if (st?.isDirectory()) return { root: d, gitDir: dotgit, commonDir: dotgit };
    if (st?.isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(read(dotgit) ?? '');
      if (!m) return null;
      const gitDir = isAbsolute(m[1].trim()) ? m[1].trim() : resolve(d, m[1].trim());
      const common = read(join(gitDir, 'commondir'))?.trim();
      return { root: d, gitDir, commonDir: common ? resolve(gitDir, common) : gitDir };
    }
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/** The commit a ref names (`refs/heads/main`), or null. */
export function readRef(g: GitDirs, ref: string): string | null {
  const loose = read(join(g.commonDir, ref))?.trim();
  if (loose && /^[0-9a-f]{40,64}$/.test(loose)) return loose;
  for (const line of (read(join(g.commonDir, 'packed-refs')) ?? '').split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  }
  return null;
}

/** The branch HEAD is on (`main`), or null (detached, or unreadable). */
export function currentBranch(g: GitDirs): string | null {
  const m = /^ref: refs\/heads\/(.+)$/.exec(read(join(g.gitDir, 'HEAD'))?.trim() ?? '');
  return m ? m[1] : null;
}

/** `branch.NAME.remote` and `.merge` from the repository's config: the upstream of a branch. */
export function upstreamOf(g: GitDirs, branch: string): { remote: string; ref: string; tracking: string } | null {
  const text = read(join(g.commonDir, 'config')) ?? '';
  let inBranch = false;
  let remote: string | null = null;
  let merge: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const sec = /^\[\s*branch\s+"(.*)"\s*\]$/.exec(line);
    if (line.startsWith('[')) {
      inBranch = sec !== null && sec[1] === branch;
      continue;
    }
    if (!inBranch) continue;
    const kv = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (kv?.[1].toLowerCase() === 'remote') remote = kv[2].trim();
    if (kv?.[1].toLowerCase() === 'merge') merge = kv[2].trim();
  }
  if (!remote || !merge || remote === '.') return null;
  const name = merge.replace(/^refs\/heads\//, '');
  return { remote, ref: merge, tracking: `refs/remotes/${remote}/${name}` };
}
