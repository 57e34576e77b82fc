export { Taskwarrior, twDate, parseTwDate, PLANAGER_UDAS, type TwTask, type TwError, type TwResult, type TaskwarriorOptions } from './taskwarrior.js';
export { sync, loadState, stateDirOf, shortId, type SyncOptions, type SyncReport, type SyncState, type TaskState, type Conflict, type NoteChange } from './engine.js';
export { fromTw, toTw, STATUS_TAGS, DEFAULT_PRIORITIES, FIELD_NAMES, type Fields, type PriorityMap } from './mapping.js';
export { formatDate, resolveText, matchesText } from './dates.js';
export { appendLog, readLog, type LogEntry } from './log.js';
export { acquireLock, Queue } from './lock.js';
export { listNorgFiles, hashText } from './workspace.js';
export { writeAtomic } from './fsutil.js';
