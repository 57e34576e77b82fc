// The loopback taskd the multi-device tests use (test/helpers/taskd.ts): two devices of one
// user see each other's tasks through `task sync`, and a second user sees none of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_TASKD, TASKD_SKIP, taskdServer, type TaskdServer } from '../../helpers/taskd.js';
import { twSandbox } from '../../helpers/tw.js';

describe.skipIf(!HAVE_TASKD)(`taskd on loopback${TASKD_SKIP ? ` (skipped: ${TASKD_SKIP})` : ''}`, () => {
  let server: TaskdServer;
  beforeAll(() => {
    server = taskdServer();
  }, 60_000);
  afterAll(() => server?.stop());

  it('carries a task from one device to another of the same user, and not to another user', () => {
    const alice = server.account('alice');
    const laptop = twSandbox();
    const phone = twSandbox();
    server.attach(laptop, alice, 'laptop');
    server.attach(phone, alice, 'phone');
    laptop.task('add', 'Call Anna');
    // Taskwarrior 2.6: the first device uploads everything with `sync init`.
    laptop.task('sync', 'init');
    phone.task('sync');
    expect(phone.exportAll().map((t) => t.description)).toEqual(['Call Anna']);

    const bob = twSandbox();
    server.attach(bob, server.account('bob'), 'desk');
    bob.task('sync');
    expect(bob.exportAll()).toEqual([]);
  });
});
