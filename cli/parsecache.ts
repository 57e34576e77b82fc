/**
 * Parsed notes kept on disk for the next command (`.planager/parsed/`, one file per note, named
 * by a hash of its path): a `planager plan` or `agenda` from the shell re-parses only the notes
 * whose text changed since the last command. At 10,000 tasks parsing every note in a fresh
 * process (the parser not compiled yet) was most of a plan's time. What is kept is the note's
 * outline (graph/outline.ts), not its full objects: those were 9 MB of JSON at 10,000 tasks,
 * and reading them back cost more than the GC. Each entry holds the text's hash; one that does
 * not match, or that cannot be read, is parsed again and replaced, so the cache can be deleted
 * at any time and never decides anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractObjects, outlineOf, type NoteOutline } from '../graph/index.js';
import { parse } from '../parser/index.js';
import { hashText } from '../sync/workspace.js';

// 3: the headings of generated plan sections are no projects (graph/objects.ts).
const VERSION = 3;

/**
 * Where plan and agenda keep every Taskwarrior task between runs (sync/twsnapshot.ts), beside the
 * outlines; null outside a workspace a sync has set up (a read-only command creates no state).
 */
export function tasksSnapshot(workspace: string): string | null {
  const state = join(workspace, '.planager');
  return existsSync(state) ? join(state, 'parsed', 'tasks.json') : null;
}

export class ParseCache {
  private readonly dir: string | null;

  constructor(workspace: string) {
    const state = join(workspace, '.planager');
    // Only in a workspace a sync has set up: a read-only command never creates the state folder.
    this.dir = existsSync(state) ? join(state, 'parsed') : null;
  }

  objects(file: string, text: string): NoteOutline {
    const hash = hashText(text);
    const path = this.dir ? join(this.dir, `${createHash('sha1').update(file).digest('hex').slice(0, 20)}.json`) : null;
    if (path) {
      const hit = read(path, file, hash);
      if (hit) return hit;
    }
    const objects = outlineOf(extractObjects(parse(text), file));
    if (path) write(this.dir!, path, JSON.stringify({ version: VERSION, file, hash, objects }));
    return objects;
  }
}

function read(path: string, file: string, hash: string): NoteOutline | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as { version?: number; file?: string; hash?: string; objects?: NoteOutline };
    if (v.version !== VERSION || v.file !== file || v.hash !== hash || !v.objects || !Array.isArray(v.objects.tasks) || !Array.isArray(v.objects.projects))
      return null;
    return v.objects;
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
