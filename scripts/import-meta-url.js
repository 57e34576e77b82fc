// Injected into the CommonJS entry (dist/cli.cjs, scripts/build.mjs): what import.meta.url is
// in the ES module sources it bundles (cli/replay.ts finds the built files beside it).
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
