/**
 * The tests must never touch the user's Taskwarrior or Neovim config: every `task` they run
 * has its own TASKRC/TASKDATA, every Neovim its own config. This fails the run if one of
 * these appeared while it ran (a `task` run without the sandbox creates ~/.taskrc and
 * ~/.task/ on its own), and says which.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const WATCHED = ['.taskrc', '.task', join('.config', 'task'), join('.local', 'share', 'task'), join('.config', 'nvim', 'init.lua')];

export default function setup(): () => void {
  const home = homedir();
  const before = new Set(WATCHED.filter((p) => existsSync(join(home, p))));
  return () => {
    const appeared = WATCHED.filter((p) => !before.has(p) && existsSync(join(home, p)));
    if (appeared.length === 0) return;
    // An error thrown here is printed but leaves the exit code at 0: set it.
    console.error(`home guard: the tests created ${appeared.map((p) => join(home, p)).join(', ')}: some \`task\` or Neovim ran outside its sandbox`);
    process.exitCode = 1;
  };
}
