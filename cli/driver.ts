/**
 * `planager merge-driver …` in a bundle of its own (dist/driver.js): git starts the driver once
 * per note both sides of a merge changed (thirty notes, thirty starts), and loading the whole
 * CLI was most of each start. bin.ts loads this instead of main.js for that word.
 */
import { mergeDriverCommand } from './mergedriver.js';

export async function main(argv: string[], _handoff?: unknown): Promise<void> {
  // Help is the CLI's, with every command's.
  if (argv.includes('--help') || argv.includes('-h')) return (await import('./main.js')).main(argv);
  const r = await mergeDriverCommand(argv.slice(1));
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
