/**
 * Harness seeds 1001389 and 1000259 (big, fault task-loop): an outside `task annotate` of a task
 * the sync did not touch, made while the sync's `task import` of another task ran, vanished until
 * the next sync. Taskwarrior 2.6 rewrites the whole pending.data from the copy it loaded at its
 * start, and locks only while it loads and while it writes: the annotate committed in between
 * was lost from pending.data (undo.data kept it). The commit's check after the import looked only
 * at the tasks it imported, so the loss waited for the next sync's read (stored ≠ undo.data:
 * export, `repairLost`).
 *
 * The window is held open deterministically: an on-modify hook (the import runs hooks; it calls
 * them after it loaded the data and before it writes) sleeps while a flag file exists, and the
 * annotate runs once the import is inside that sleep, with the flag gone (its own hook passes).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_TASK } from '../../../helpers/tw.js';
import { settle, setup, sleep, type Env } from './util.js';

/** An on-modify hook that holds `task` for 1.5 s while `hold` exists, and says so in `held`. */
function holdingHook(env: Env): { hold: string; held: string } {
  const hooks = join(env.sb.env.TASKDATA!, 'hooks');
  mkdirSync(hooks, { recursive: true });
  const hold = join(env.sb.dir, 'hold');
  const held = join(env.sb.dir, 'held');
  const hook = join(hooks, 'on-modify.hold');
  writeFileSync(hook, `#!/bin/sh\nread a\nread b\nif [ -f "${hold}" ]; then : > "${held}"; sleep 1.5; fi\nprintf '%s\\n' "$b"\n`);
  chmodSync(hook, 0o755);
  return { hold, held };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} never happened`);
    await sleep(5);
  }
}

const annotations = (env: Env, uuid: string) => (env.byUuid(uuid)?.annotations ?? []).map((a) => a.description);

describe('seed 1001389: an outside write to another task while the sync imports', () => {
  it('an annotate of a task the sync does not import, committed inside the import: kept by this sync', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n  - ( ) bread\n' });
    expect((await env.run()).code).toBe(0);
    const bread = env.tw('bread').uuid;
    const { hold, held } = holdingHook(env);
    // A note change the sync sends: one import, of apple only.
    env.edit('a.norg', /- \( \) apple/, '- ( |# A) apple');
    writeFileSync(hold, '');
    const running = env.run();
    await until('the import', () => existsSync(held));
    rmSync(hold);
    execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', bread, 'annotate', 'outside'], { env: env.sb.env, stdio: 'ignore' });
    expect(annotations(env, bread)).toEqual(['outside']);
    const r = await running;
    expect(r.code, r.error?.message).toBe(0);
    expect(r.taskwarrior.updated).toEqual([env.tw('apple').uuid]);
    expect(env.tw('apple').priority).toBe('H');
    // Right after this sync, not only after the next one.
    expect(annotations(env, bread)).toEqual(['outside']);
    await settle(env, ['apple', 'bread']);
    expect(annotations(env, bread)).toEqual(['outside']);
  });

  it('an annotate of the task the sync imports, committed inside the import: kept (seed 300513, the same window)', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n  - ( ) bread\n' });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple').uuid;
    const { hold, held } = holdingHook(env);
    env.edit('a.norg', /- \( \) apple/, '- ( |# A) apple');
    writeFileSync(hold, '');
    const running = env.run();
    await until('the import', () => existsSync(held));
    rmSync(hold);
    execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', apple, 'annotate', 'outside'], { env: env.sb.env, stdio: 'ignore' });
    const r = await running;
    expect(r.code, r.error?.message).toBe(0);
    expect(env.byUuid(apple)?.priority).toBe('H');
    expect(annotations(env, apple)).toEqual(['outside']);
    await settle(env, ['apple', 'bread']);
    expect(annotations(env, apple)).toEqual(['outside']);
  });
});
