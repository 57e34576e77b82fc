export { parse, reparse, walk, print, textOf, Tree, type TextChange, type ParseStats } from './tree.js';
export { project } from './project.js';
export { extractTasks, ID_COMMENT, type TaskItem, type TaskStatus } from './extract.js';
export { parseDate, WEEKDAY_NAMES, MONTH_NAMES, type NorgDate, type NorgDateRange, type DateParse } from './dates.js';
export { parseLinkTarget } from './inline.js';
export { parseMeta } from './meta.js';
export { LineIndex, utf8Length, decodeUtf8, type Decoded } from './lines.js';
export type { SyntaxNode, NodeKind, NodeData, Diagnostic, LinkTarget, MetaValue } from './types.js';
