/**
 * `npm run bench`: every benchmark, each reported as a ratio against a baseline measured in the
 * same run on this machine. Exits non-zero only on an error, never on a missed target (the
 * table says MISSED); timing is not a test.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchGraph } from './graph.js';
import { benchParser } from './parser.js';
import { benchSync } from './sync.js';
import { benchBigNote } from './bignote.js';
import { benchColdStart, benchNewNote, benchNvim, benchPlanOpen } from './nvim.js';
import { report } from './measure.js';
import { benchPlan } from './plan.js';
import { benchReport } from './report.js';
import { benchSchedule } from './schedule.js';
import { benchRemote } from './remote.js';

function shared(): string | null {
  for (const c of [process.env.PLANAGER_SHARED, resolve('test', 'fixtures')]) if (c && existsSync(join(c, 'norg'))) return c;
  return null;
}

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

console.log(`# Planager benchmarks — node ${process.version}, ${new Date().toISOString()}`);
if (want('parser')) benchParser(shared());
if (want('graph')) benchGraph();
if (want('sync')) await benchSync();
if (want('sync') || want('bignote')) await benchBigNote();
if (want('plan')) report('Planning sessions', await benchPlan());
if (want('report')) report('Tracking', await benchReport());
if (want('schedule')) report("The day's schedule", benchSchedule());
if (want('remote')) report('Several devices: sync --remote (real git, task and taskd on 127.0.0.1)', await benchRemote());
if (want('nvim')) await benchNvim();
if (want('nvim') || only.includes('nvim-plan')) report('Neovim: a plan note', await benchPlanOpen());
// Parts of the Neovim benchmark on their own (`npm run bench -- nvim-new nvim-cold`).
if (only.includes('nvim-new')) report('Neovim: a new note', await benchNewNote());
if (only.includes('nvim-cold')) report('Neovim: host cold start', await benchColdStart());
process.exit(0);
