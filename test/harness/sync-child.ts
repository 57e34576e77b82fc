// One full sync in its own process, for the kill fault: prints `start` just before the sync
// begins, so the harness can time its SIGKILL from there (tsx start-up is not counted).
import { sync, Taskwarrior } from '../../sync/index.js';

const [workspace] = process.argv.slice(2);
process.stdout.write('start\n');
const r = await sync({ workspace, tw: new Taskwarrior({ timeoutMs: 60_000 }), bulkMin: 1_000_000 });
process.stdout.write(JSON.stringify({ code: r.code, error: r.error?.code }) + '\n');
