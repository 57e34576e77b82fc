/**
 * A fixture for the plan, agenda and capture tests: a workspace synced with a throwaway
 * Taskwarrior, planned on Friday 2026-12-04. Times are at noon so that the day is the same in
 * any zone the tests may run in.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sync } from '../../../sync/index.js';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';

export const DAY = '2026-12-04';
/** The moment the plans are made: that Friday at 08:00. */
export const NOW = new Date(2026, 11, 4, 8, 0, 0);

export const WORK = `* Release
  - ( |< Wed 2nd Dec 2026 12:00) Pay the invoice
  - ( |# A|< Fri 4th Dec 2026 12:00) Cut the release
  - ( |> Fri 4th Dec 2026 12:00) Write the changelog
  - (-) Review the pull request
  - (=) Wait for legal
  - ( |< Sat 5th Dec 2026 12:00) Announce it
  - (x) Freeze the features

* Stalled
  - (x) Old thing
  - (=) Blocked thing
`;

export interface Fixture {
  sb: TwSandbox;
  ws: string;
  uuid(description: string): string;
  read(path: string): string;
}

export async function fixture(): Promise<Fixture> {
  const sb = twSandbox();
  const ws = mkdtempSync(join(tmpdir(), 'planager-plan-ws-'));
  writeFileSync(join(ws, 'work.norg'), WORK);
  sb.task('add', 'Call the bank', 'due:2026-12-03T12:00:00');
  sb.task('add', 'Expect the parcel', 'wait:2027-01-01');
  sb.task('add', 'Phone the plumber');
  const plumber = sb.exportAll().find((t) => t.description === 'Phone the plumber')!.uuid;
  // Yesterday's plan: a mirror and a task of its own, both still open (carried over today).
  mkdirSync(join(ws, 'journal', '2026', '12'), { recursive: true });
  writeFileSync(
    join(ws, 'journal', '2026', '12', '03.norg'),
    `* Carried over\n|planager carried\n- ( ) Phone the plumber %@${plumber.slice(0, 8)}%\n|end\n\n- ( ) Buy stamps\n`,
  );
  const r = await sync({ workspace: ws, tw: sb.tw });
  if (!r.ok) throw new Error(`fixture sync failed: ${r.error?.message}`);
  const uuid = (d: string) => {
    const t = sb.exportAll().find((x) => x.description === d);
    if (!t) throw new Error(`no task "${d}"`);
    return t.uuid;
  };
  return { sb, ws, uuid, read: (p) => readFileSync(join(ws, p), 'utf8') };
}
