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
import type { Inputs } from './stamps.js';
import { parseTwDate, type Taskwarrior, type TwResult, type TwTask } from './taskwarrior.js';
import { storedAll } from './twsnapshot.js';

/**
 * `inputs`: the data files are stamped before they are read, and the next wait date to pass
 * noted. `snapshot`: where to keep the tasks between runs (sync/twsnapshot.ts); none parses the
 * files each time.
 */
export async function allTasks(tw: Taskwarrior, now: Date, inputs?: Inputs, snapshot?: string): Promise<TwResult<TwTask[]>> {
  // The rc file names the data folder (data.location).
  inputs?.file(tw.rcPath());
  const dir = tw.dataDir();
  inputs?.file(join(dir, 'pending.data'));
  if (!existsSync(join(dir, 'pending.data'))) {
    inputs?.cannot('no pending.data: Taskwarrior exported');
    return tw.export();
  }
  inputs?.file(join(dir, 'completed.data'));
  // undo.data too: the snapshot is brought up to date from its tail.
  inputs?.file(join(dir, 'undo.data'));
  const list = storedAll(dir, snapshot ?? null).tasks;
  for (const t of list) {
    const wait = parseTwDate(typeof t.wait === 'string' ? t.wait : undefined);
    if (t.status === 'waiting' && (!wait || wait <= now)) t.status = 'pending';
    // Waiting now, not then: what shows as waiting changes at that moment.
    if (wait && wait > now) inputs?.expires(wait.getTime());
  }
  return { ok: true, value: list };
}
