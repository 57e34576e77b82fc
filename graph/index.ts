export { WorkspaceGraph, resolveFile, type GraphOptions, type Counters, type DerivedChange, type FileUpdate } from './graph.js';
export { extractObjects, lightTasks, type LightTask, type TaskObject, type ProjectObject, type FileObjects, type Span, type TaskSpans } from './objects.js';
export {
  patchFile,
  applyChanges,
  minimal,
  noteSafe,
  lineEnding,
  cutBlock,
  insertBlock,
  reindented,
  insertionPoint,
  type TaskEdit,
  type TaskFields,
  type Patch,
  type PatchError,
} from './patch.js';
export { derivedStatus, propagateStatuses, STATUS_CHAR } from './status.js';
export { hashString } from './hash.js';
export { outlineOf, type NoteOutline, type OutlineProject, type OutlineTask } from './outline.js';
