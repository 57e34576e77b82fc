/**
 * `planager plan` and `planager agenda`: their words parsed, their code loaded, the run
 * recorded for a replay (cli/replay.ts). Node built-ins only (and replay.ts, codecache.ts), so
 * that cli/bin.ts runs them without loading the router (dist/main.js): that is an ES module,
 * and the first import() of one in a process starts Node's ES module loader, and importing
 * `node:fs` as one loads Node's streams (its facade reads fs.ReadStream): ≈10 ms of a plan.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCommonJs } from '../rplugin/codecache.js';
import { PLANNING_FLAGS, recorded } from './replay.js';
import type { CommandResult } from './result.js';

// Loaded through V8's code cache when built (dist/planning.cjs beside this bundle; from the
// sources, the module): compiling it was ≈20 ms of a plan.
const planningCommands = async (): Promise<typeof import('./planning.js')> => {
  const cjs = join(dirname(fileURLToPath(import.meta.url)), 'planning.cjs');
  if (!existsSync(cjs)) return import('./planning.js');
  return loadCommonJs(cjs, { saveAfterMs: 'exit' }) as typeof import('./planning.js');
};

/** `planager plan|agenda REST…` (cli/main.ts routes here too); a flag parseArgs rejects is the user's mistake, exit code 2. */
export async function planningRun(cmd: 'plan' | 'agenda', rest: string[]): Promise<CommandResult> {
  try {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: PLANNING_FLAGS });
    if (cmd === 'agenda') {
      if (positionals.length > 0) return { code: 2, stderr: `planager agenda: unexpected "${positionals[0]}" (--week for the week)\n` };
      const { agendaCommand } = await planningCommands();
      return await recorded([cmd, ...rest], (deps) => agendaCommand(values, deps));
    }
    if (positionals.length > 1) return { code: 2, stderr: `planager plan: one kind only (got ${positionals.join(' ')})\n` };
    const { planCommand } = await planningCommands();
    return await recorded([cmd, ...rest], (deps) => planCommand(positionals[0], values, deps));
  } catch (e) {
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))
      return { code: 2, stderr: `planager ${cmd}: ${e.message}\n` };
    throw e;
  }
}

/** cli/bin.ts: a plan or agenda run here (not `--help`, which the router answers); false for any other words. */
export async function planningMain(args: string[]): Promise<boolean> {
  const [cmd, ...rest] = args;
  if ((cmd !== 'plan' && cmd !== 'agenda') || rest.includes('--help') || rest.includes('-h')) return false;
  const r = await planningRun(cmd, rest);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.code;
  return true;
}
