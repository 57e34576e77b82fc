/** What a command gives back: the shell prints it and exits with `code` (0 ok, 1 stopped to ask, 2 error). */
export interface CommandResult {
  code: 0 | 1 | 2;
  stdout?: string;
  stderr?: string;
}
