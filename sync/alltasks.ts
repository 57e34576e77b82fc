/**
 * Every task Taskwarrior holds, for the commands that show all of them (plan, agenda): read
 * from Taskwarrior 2.6's data files when they are there, which starts no process (a `task
 * export` of 10,000 tasks is most of a plan's time), else one `task export`. The files are
 * what an export shows but for two things done here: a task whose wait date has passed reads
 * as pending (Taskwarrior's next command would un-wait it), and a line a writer is half-way
 * through is left out (a later refresh shows it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseTwDate, type Taskwarrior, type TwResult, type TwTask } from './taskwarrior.js';
import { allStored } from './undo.js';

export async function allTasks(tw: Taskwarrior, now: Date): Promise<TwResult<TwTask[]>> {
  const dir = tw.dataDir();
  if (!existsSync(join(dir, 'pending.data'))) return tw.export();
  const list = allStored(dir, true);
  for (const t of list) {
    const wait = parseTwDate(typeof t.wait === 'string' ? t.wait : undefined);
    if (t.status === 'waiting' && (!wait || wait <= now)) t.status = 'pending';
  }
  return { ok: true, value: list };
}
