export { run, main, USAGE } from './main.js';
export type { CommandResult } from './result.js';
