/**
 * The activity log: append-only JSON lines, one per value a sync overwrote, with the whole
 * version it belonged to. Nothing a sync overwrites is lost: `planager history` reads this.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Fields } from './mapping.js';

export interface LogEntry {
  time: string;
  uuid: string;
  id: string;
  /** Which side's version was overwritten. */
  side: 'note' | 'taskwarrior';
  action: 'overwrite' | 'conflict' | 'delete' | 'restore';
  /** Field → the value that was lost and the one that replaced it. */
  fields: Partial<Record<keyof Fields, { lost: unknown; kept: unknown }>>;
  /** The whole version the lost values belonged to. */
  version: Fields;
  file?: string;
  note?: string;
}

export async function appendLog(path: string, entries: LogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, entries.map((e) => JSON.stringify(e)).join('\n') + '\n', 'utf8');
}

export async function readLog(path: string): Promise<LogEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as LogEntry);
    } catch {
      // A line cut by a crash mid-append: skip it, keep the rest.
    }
  }
  return out;
}
