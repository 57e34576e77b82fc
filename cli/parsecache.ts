/**
 * Parsed notes kept on disk for the next command (`.planager/parsed/`, one file per note, named
 * by a hash of its path): a `planager plan` or `agenda` from the shell re-parses only the notes
 * whose text changed since the last command. At 10,000 tasks parsing every note in a fresh
 * process (the parser not compiled yet) was most of a plan's time. What is kept is the note's
 * outline (graph/outline.ts), not its full objects: those were 9 MB of JSON at 10,000 tasks,
 * and reading them back cost more than the GC. Each entry holds the text's hash; one that does
 * not match, or that cannot be read, is parsed again and replaced, so the cache can be deleted
 * at any time and never decides anything.
 *
 * An entry is two lines: a header (version, path, hash, and the note's home lines, plan/tasks.ts
 * `homeLinesOf`) and the outline. A plan reads the headers of every note and parses the outline
 * only of a note it needs whole (its own sections need none of the project notes but for the
 * projects section): the 10,000 task objects of the outlines, and collecting them, were a fifth
 * of a plan from the shell.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractObjects, outlineOf, type NoteOutline } from '../graph/index.js';
import { parse } from '../parser/index.js';
import { homeLinesOf, type HomeLines } from '../plan/index.js';
import { hashText } from '../sync/workspace.js';

// 3: a header line of home lines before the outline; 4: the headings of generated plan sections
// are no projects (graph/objects.ts). Both were 3 on their branches for a while.
const VERSION = 4;

/**
 * Where plan and agenda keep every Taskwarrior task between runs (sync/twsnapshot.ts), beside the
 * outlines; null outside a workspace a sync has set up (a read-only command creates no state).
 */
export function tasksSnapshot(workspace: string): string | null {
  const state = join(workspace, '.planager');
  return existsSync(state) ? join(state, 'parsed', 'tasks.json') : null;
}

/** A note's outline from the cache: its home lines at once, the rest parsed when first asked for. */
export interface CachedOutline {
  homes: HomeLines;
  objects(): NoteOutline;
}

export class ParseCache {
  private readonly dir: string | null;

  constructor(workspace: string) {
    const state = join(workspace, '.planager');
    // Only in a workspace a sync has set up: a read-only command never creates the state folder.
    this.dir = existsSync(state) ? join(state, 'parsed') : null;
  }

  objects(file: string, text: string): NoteOutline {
    return this.outline(file, text).objects();
  }

  outline(file: string, text: string): CachedOutline {
    const hash = hashText(text);
    const path = this.dir ? join(this.dir, `${createHash('sha1').update(file).digest('hex').slice(0, 20)}.json`) : null;
    const hit = path ? read(path, file, hash) : null;
    if (hit) {
      let objects: NoteOutline | null = null;
      // The outline line is written with its header (one file, renamed into place): one that
      // does not read back is parsed from the text, as a missing entry is.
      return { homes: hit.homes, objects: () => (objects ??= outlineFrom(hit.rest) ?? this.parsed(file, text, hash, path)) };
    }
    const objects = this.parsed(file, text, hash, path);
    return { homes: homeLinesOf(objects), objects: () => objects };
  }

  private parsed(file: string, text: string, hash: string, path: string | null): NoteOutline {
    const objects = outlineOf(extractObjects(parse(text), file));
    if (path) write(this.dir!, path, `${JSON.stringify({ version: VERSION, file, hash, homes: homeLinesOf(objects) })}\n${JSON.stringify(objects)}`);
    return objects;
  }
}

function read(path: string, file: string, hash: string): { homes: HomeLines; rest: Buffer } | null {
  try {
    // Bytes: only the header is decoded (the outline, four fifths of the file, when asked for).
    const b = readFileSync(path);
    const nl = b.indexOf(10);
    if (nl < 0) return null;
    const v = JSON.parse(b.toString('utf8', 0, nl)) as { version?: number; file?: string; hash?: string; homes?: HomeLines };
    if (v.version !== VERSION || v.file !== file || v.hash !== hash || !v.homes || v.homes.file !== file) return null;
    if (!wellFormed(v.homes)) return null;
    return { homes: v.homes, rest: b.subarray(nl + 1) };
  } catch {
    return null;
  }
}

/** Home lines a plan can read without a check of its own (a damaged entry is parsed again). */
function wellFormed(h: HomeLines): boolean {
  if (!Array.isArray(h.lines) || !Array.isArray(h.headings)) return false;
  for (const x of h.headings) if (!Array.isArray(x) || !Array.isArray(x[0]) || (x[1] !== null && typeof x[1] !== 'number')) return false;
  const n = h.headings.length;
  for (const x of h.lines)
    if (!Array.isArray(x) || typeof x[0] !== 'string' || typeof x[1] !== 'number' || !Number.isInteger(x[2]) || x[2] < 0 || x[2] >= n) return false;
  return true;
}

function outlineFrom(bytes: Buffer): NoteOutline | null {
  try {
    const o = JSON.parse(bytes.toString('utf8')) as NoteOutline | null;
    return o && Array.isArray(o.tasks) && Array.isArray(o.projects) ? o : null;
  } catch {
    return null;
  }
}

function write(dir: string, path: string, data: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch {
    // a cache: a write that fails (read-only folder, full disk) costs the next parse, nothing else
  }
}
