/**
 * What `planager plan` and `planager agenda` run, a bundle of its own (dist/planning.js): the
 * command's router (cli/main.ts) imports it for those two only, so a plan from the shell loads
 * no sync engine, git or report code (half of the CLI's code; ≈20 ms at every run).
 */
export { planCommand } from './plan.js';
export { agendaCommand } from './agenda.js';
