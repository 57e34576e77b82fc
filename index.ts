/** Planager's library surface: the same core the CLI and the Neovim host use. */
export * from './parser/index.js';
export * from './graph/index.js';
export * from './sync/index.js';
