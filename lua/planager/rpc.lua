-- The callbacks the host (rplugin/host.ts) calls as require('planager')._name(...): messages,
-- status, buffer contents, diagnostics, edits. init.lua re-exports every one of them.
local M = {}
local H = {}

local host = require('planager.host')
local buffer = require('planager.buffer')
local state = require('planager.state')

H.levels = { info = vim.log.levels.INFO, warn = vim.log.levels.WARN, error = vim.log.levels.ERROR }
H.ns = vim.api.nvim_create_namespace('planager')

--- Runtime problems: a scheduled vim.notify with the prefix; details go to the log file.
---@param level 'info'|'warn'|'error'
---@param msg string
function M._notify(level, msg)
  local lv = H.levels[level] or vim.log.levels.INFO
  host.log(level:upper() .. ' ' .. msg)
  vim.schedule(function()
    vim.notify('planager: ' .. msg, lv)
  end)
end

--- A passing progress message in the command line (not kept in :messages).
---@param msg string
function M._progress(msg)
  vim.schedule(function()
    vim.api.nvim_echo({ { 'planager: ' .. msg, 'Comment' } }, false, {})
  end)
end

--- The host's status changed: keep it for the statusline and redraw.
---@param s planager.Status
function M._status(s)
  state.status = s
  vim.schedule(function()
    pcall(vim.cmd, 'redrawstatus')
  end)
end

---@class planager.BufferSnapshot
---@field bufnr integer
---@field path string|nil
---@field tick integer changedtick the lines were read at
---@field lines string[]
---@field modified boolean

--- A loaded buffer's contents, or nil if it is gone or unloaded.
---@param bufnr integer
---@return planager.BufferSnapshot|nil
function M._buffer(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or not vim.api.nvim_buf_is_loaded(bufnr) then
    return nil
  end
  return {
    bufnr = bufnr,
    path = state.path(bufnr),
    tick = vim.api.nvim_buf_get_changedtick(bufnr),
    lines = buffer.lines(bufnr),
    modified = vim.bo[bufnr].modified,
  }
end

--- Read an unmodified buffer again from its file, which something else changed (another
--- Neovim's host, a sync from the command line). A pull computed from the old text would
--- be written over the newer file, and Vim asks whether to (a prompt that blocks the editor).
---@param bufnr integer
---@param tick integer the changedtick of the text the host compared with the file
---@return boolean reloaded
function M._reload(bufnr, tick)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].modified then
    return false
  end
  if vim.api.nvim_buf_get_changedtick(bufnr) ~= tick then
    return false
  end
  local ok = pcall(vim.api.nvim_buf_call, bufnr, function()
    vim.cmd('silent keepjumps edit')
  end)
  return ok
end

--- Every loaded tracked buffer, for a sync or a live refresh.
---@return planager.BufferSnapshot[]
function M._buffers()
  local out = {}
  for _, b in ipairs(state.tracked_bufs()) do
    out[#out + 1] = M._buffer(b)
  end
  return out
end

--- The line problems a sync found (an unreadable date, a copied id), as diagnostics on the
--- lines of the open notes it covered (`scope`: absolute paths, or nil for all), replacing
--- what the last sync of those notes set.
---@param scope string[]|nil
---@param items { file: string, line: integer, message: string }[]|nil
function M._diagnostics(scope, items)
  local all = scope == nil or scope == vim.NIL
  local covered = {}
  if not all then
    for _, p in ipairs(scope) do
      covered[p] = true
    end
  end
  for _, b in ipairs(state.tracked_bufs()) do
    local name = vim.api.nvim_buf_get_name(b)
    if all or covered[name] then
      vim.diagnostic.set(H.ns, b, H.items_for(name, items or {}))
    end
  end
end

function H.items_for(name, items)
  local list = {}
  for _, it in ipairs(items) do
    if name == it.file or name:sub(-#it.file - 1) == '/' .. it.file then
      list[#list + 1] = {
        lnum = math.max(0, it.line - 1),
        col = 0,
        severity = vim.diagnostic.severity.WARN,
        message = it.message,
        source = 'planager',
      }
    end
  end
  return list
end

--- The host finished its setup: requests on the write path may go to it from now on.
---@param pid integer
function M._ready(pid)
  host._ready(pid)
end

--- The host found a buffer's text at `tick` complete (no id to add, no status to derive).
---@param bufnr integer
---@param tick integer
function M._clean(bufnr, tick)
  require('planager.commands')._clean(bufnr, tick)
end

--- Apply the host's edits to a buffer (see planager.buffer.apply).
---@param bufnr integer
---@param tick integer|nil the changedtick the edits were made against; nil: apply anyway
---@param edits table[]
---@param write boolean write the buffer after
---@param complete? boolean the result needs no more ids or statuses (the write path's edits)
---@return 'ok'|'stale'|'gone'
function M._apply(bufnr, tick, edits, write, complete)
  local t0 = require('planager.compat').uv.hrtime()
  local res = buffer.apply(bufnr, tick, edits, write)
  if res == 'ok' and complete == true then
    require('planager.commands')._clean(bufnr, vim.api.nvim_buf_get_changedtick(bufnr))
  end
  -- The editor waits for this too: it counts with the writes' blocked time.
  local b = require('planager.commands').blocked
  b.total = b.total + (require('planager.compat').uv.hrtime() - t0) / 1e6
  return res
end

return M
