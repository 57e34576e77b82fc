/** Every command but plan and agenda (cli/planning.ts), a bundle of its own (dist/commands.js) that cli/main.ts imports when one runs. */
export { backupsCommand, fileCommand, historyCommand, restoreCommand, syncCommand } from './sync.js';
export { tasksCommand } from './tasks.js';
export { setupCommand } from './setup.js';
export { captureCommand } from './capture.js';
export { statsCommand } from './stats.js';
export { reportCommand } from './report.js';
export { remindCli } from './remind.js';
export { scheduleCommand } from './schedule.js';
export { mergeDriverCommand } from './mergedriver.js';
export { remoteSyncCommand } from './remote.js';
export { remoteSetupCommand } from './remotesetup.js';
export { installHook, uninstallHook } from '../sync/hook.js';
export { Taskwarrior } from '../sync/taskwarrior.js';
