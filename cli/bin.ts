// The command's entry: Node built-ins only, so a quiet `planager remind` (every minute, from a
// timer) answers before the rest of the CLI is loaded (quiet.ts); everything else loads main.
import { quietRemind } from './quiet.js';

const args = process.argv.slice(2);
if (!quietRemind(args, process.env)) {
  const { main } = await import('./main.js');
  main(args).catch((e: unknown) => {
    process.stderr.write(`planager: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  });
}
