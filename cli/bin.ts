// The command's entry: Node built-ins only, so a quiet `planager remind` (every minute, from a
// timer) and a `sync --remote` with nothing changed answer before the rest of the CLI is loaded
// (quiet.ts, remotequiet.ts); the merge driver loads its own bundle (driver.ts); everything else
// loads main, with what the quiet run already ran, but plan and agenda, which load their own code
// without it (planningrun.ts). Built as CommonJS (dist/cli.cjs): Node starts a CommonJS entry
// ≈10 ms sooner than an ES module one, a third of a quiet run's own cost; so no top-level await
// here, and main and the driver (ES modules) come in through import().
import { quietRemind } from './quiet.js';
import { quietRemote } from './remotequiet.js';
import { planningMain } from './planningrun.js';
import { replayPlanning } from './replay.js';

async function start(args: string[]): Promise<void> {
  const done = quietRemind(args, process.env) || replayPlanning(args, process.env) || (await quietRemote(args, process.env));
  if (done === true) return;
  if (await planningMain(args)) return;
  const { main } = args[0] === 'merge-driver' ? await import('./driver.js') : await import('./main.js');
  await main(args, done || undefined);
}

start(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`planager: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
});
