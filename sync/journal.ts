/**
 * The journal: the plan of a sync that writes both sides, on disk while it writes. A sync
 * killed between Taskwarrior's import and the notes' rename is finished by the next one, which
 * replays the journal first. Import is by uuid with whole tasks, so a replay duplicates nothing.
 */
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from './fsutil.js';
import { appendLog, type LogEntry } from './log.js';
import type { Store } from './store.js';
import type { Taskwarrior, TwTask } from './taskwarrior.js';
import { hashText } from './workspace.js';

export interface Journal {
  imports: TwTask[];
  notes: { file: string; beforeHash: string; after: string }[];
  log: LogEntry[];
}

/** The journal's text from import lines already serialised for `task` (each one once). */
export function journalText(importLines: string[], notes: Journal['notes'], log: LogEntry[]): string {
  return `{"imports":[${importLines.join(',')}],"notes":${JSON.stringify(notes)},"log":${JSON.stringify(log)}}`;
}

export async function writeJournal(store: Store, text: string): Promise<void> {
  await writeAtomic(store.journalPath(), text, true);
}

export async function dropJournal(store: Store): Promise<void> {
  await unlink(store.journalPath()).catch(() => {});
}

/** Finish an interrupted sync; null when there was none. A garbled journal is named and dropped. */
export async function replayJournal(workspace: string, store: Store, tw: Taskwarrior): Promise<{ ok: boolean; message: string } | null> {
  let text: string;
  try {
    text = await readFile(store.journalPath(), 'utf8');
  } catch {
    return null;
  }
  let j: Journal;
  try {
    j = JSON.parse(text) as Journal;
    if (!Array.isArray(j.imports) || !Array.isArray(j.notes)) throw new Error('shape');
  } catch {
    // Half written (a crash while writing it, before anything else was): nothing was applied.
    await dropJournal(store);
    return { ok: true, message: `${store.journalPath()} could not be read and was dropped; nothing it described had been written` };
  }
  const imp = await tw.import(j.imports);
  if (!imp.ok) return { ok: false, message: `an interrupted sync could not be finished: ${imp.error.message}` };
  for (const n of j.notes) {
    const abs = join(workspace, n.file);
    const now = await readFile(abs, 'utf8').catch(() => '');
    // Only if the note is still what the interrupted sync read; otherwise the normal sync
    // that follows merges the user's newer text.
    if (hashText(now) === n.beforeHash) await writeAtomic(abs, n.after, true);
  }
  await appendLog(store.logPath(), j.log ?? []);
  // Taskwarrior and the notes hold the journaled values now; forget the stamp and these notes'
  // fingerprints so the next sync compares them (equal values: nothing to do, nothing lost).
  const index = await store.index();
  index.stamp = null;
  for (const n of j.notes) delete index.notes[n.file];
  await store.saveIndex(index);
  await dropJournal(store);
  return { ok: true, message: 'finished a sync that had been interrupted' };
}
