import { main } from './main.js';

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`planager: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
});
