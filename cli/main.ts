/**
 * The `planager` command. Each subcommand is a function returning a CommandResult, so tests
 * call them directly and the binary only prints and exits.
 */
import { parseArgs } from 'node:util';
import type { CommandResult } from './result.js';
import { tasksCommand } from './tasks.js';

export const USAGE = `planager — keep norg notes and Taskwarrior in step

Usage:
  planager tasks FILE… [--json]     list the tasks written in norg files
  planager help                     this text

Exit codes: 0 success, 1 stopped to ask (use --force), 2 error.
`;

export async function run(argv: string[]): Promise<CommandResult> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'tasks': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
        return await tasksCommand(positionals, values.json ?? false);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return { code: cmd === undefined ? 2 : 0, stdout: USAGE };
      default:
        return { code: 2, stderr: `planager: unknown command "${cmd}"\n\n${USAGE}` };
    }
  } catch (e) {
    // parseArgs throws on unknown flags: that is the user's mistake, not a crash.
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      return { code: 2, stderr: `planager ${cmd}: ${e.message}\n` };
    }
    throw e;
  }
}

export async function main(argv: string[]): Promise<void> {
  const r = await run(argv);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
