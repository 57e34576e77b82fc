// Runs one sync in its own process, so that a test can kill it part-way.
import { sync, Taskwarrior } from '../../sync/index.js';

const [workspace] = process.argv.slice(2);
const r = await sync({ workspace, tw: new Taskwarrior({ timeoutMs: 60_000 }) });
process.stdout.write(JSON.stringify({ code: r.code }) + '\n');
