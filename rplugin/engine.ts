/**
 * What the host needs once a session exists, bundled apart from it (dist/host-engine.cjs):
 * the sync engine with the Taskwarrior adapter, state, backups (simple-git), the parser, the
 * graph and the edit conversion. The host loads it at setup, after its first answer, so that a
 * cold start reads and compiles only the RPC glue and the neovim client (see boot.ts).
 */
export { installHook, registerHost, Session } from '../sync/index.js';
export { extractObjects } from '../graph/index.js';
export { parse } from '../parser/index.js';
export { editsByLine, editsFromChanges } from './edits.js';
export { agendaView, captureTask, plan, scheduleDay } from './planning.js';
export { reportFile, statsView } from './stats.js';
export { unreadMessages } from '../sync/messages.js';
export { editHome, modifyTask, type Expected, type TaskChange } from './taskedit.js';
