-- Planning sessions in the editor: :Planager plan (the plan note of a period, opened in the
-- current window) and :Planager capture (a task added to its project's heading or the inbox).
-- The host works them out with the CLI's functions; a note open in a buffer is changed in the
-- buffer and written, so that the write pushes it like any other (:help planager-plan).
local M = {}
local H = {}

local host = require('planager.host')
local buffer = require('planager.buffer')
local state = require('planager.state')
local rpc = require('planager.rpc')

M.kinds = { 'daily', 'weekly', 'monthly', 'review' }

function H.fail(err)
  if err then
    rpc._notify('error', err)
  end
end

--- The host's answer, or nil after telling the user what went wrong.
function H.answer(res, err)
  if not res or res == vim.NIL then
    H.fail(err or 'no answer from the host')
    return nil
  end
  if not res.ok then
    rpc._notify('error', res.message)
    return nil
  end
  for _, w in ipairs(res.warnings or {}) do
    rpc._notify('warn', w)
  end
  return res
end

--- Apply the host's edits to an open buffer and write it with its autocommands, so that the
--- write pushes it like a `:w` of the user's (nothing is written behind the buffer's back).
---@param change { bufnr: integer, tick: integer, edits: table[] }|nil
---@return 'ok'|'stale'|'gone'|'unwritten'
function M.write_change(change)
  if change == nil or change == vim.NIL then
    return 'ok'
  end
  local res = buffer.apply(change.bufnr, change.tick, change.edits, false)
  if res ~= 'ok' then
    return res
  end
  -- A new note's buffer (`:e journal/2026/12/04.norg`) may be in a folder not made yet.
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(change.bufnr), ':h')
  if vim.fn.isdirectory(dir) == 0 then
    vim.fn.mkdir(dir, 'p')
  end
  local ok, err = pcall(vim.api.nvim_buf_call, change.bufnr, function()
    vim.cmd('silent write')
  end)
  if not ok then
    -- The edit stays in the buffer (unsaved): the user's next :w sends it.
    rpc._notify('error', 'could not write ' .. vim.api.nvim_buf_get_name(change.bufnr) .. ': ' .. tostring(err))
    return 'unwritten'
  end
  return 'ok'
end

--- The current buffer's path, for the host to pick the workspace the command acts in.
function H.from()
  return state.path(vim.api.nvim_get_current_buf()) or vim.NIL
end

function H.short(path)
  return vim.fn.fnamemodify(path, ':~:.')
end

--- Open the plan note of `kind` for the period holding `date` (default today) in the current
--- window: created when missing, refreshed in place when it exists.
---@param kind? string daily, weekly, monthly or review; nil: asked with vim.ui.select
---@param date? string YYYY-MM-DD
function M.plan(kind, date)
  if kind == nil or kind == '' then
    return vim.ui.select(M.kinds, { prompt = 'Plan note: ' }, function(k)
      if k then
        M.plan(k, date)
      end
    end)
  end
  local opts = { date = date or vim.NIL, from = H.from(), plan = state.cfg.plan }
  -- Twice at most: the user cannot type during the request, but a pull may land in between.
  for _ = 1, 2 do
    local res = H.answer(host.request('plan', kind, opts))
    if not res then
      return
    end
    local written = M.write_change(res.change)
    if written ~= 'stale' then
      local ok, e = pcall(vim.cmd, 'edit ' .. vim.fn.fnameescape(res.path))
      if not ok then
        return rpc._notify('error', tostring(e))
      end
      return rpc._notify('info', H.short(res.path) .. ' ' .. res.summary)
    end
  end
  rpc._notify('warn', 'the plan note changed while it was refreshed; run the command again')
end

--- Schedule the day (`planager schedule`): the daily plan note refreshed, its schedule section
--- written (in its buffer when open), the note opened, and the blocks shown as a message.
---@param date? string YYYY-MM-DD
function M.schedule(date)
  local opts = { date = date or vim.NIL, from = H.from(), plan = state.cfg.plan }
  for _ = 1, 2 do
    local res = H.answer(host.request('schedule', opts))
    if not res then
      return
    end
    local written = M.write_change(res.change)
    if written ~= 'stale' then
      local ok, e = pcall(vim.cmd, 'edit ' .. vim.fn.fnameescape(res.path))
      if not ok then
        return rpc._notify('error', tostring(e))
      end
      return rpc._notify('info', H.short(res.path) .. ' scheduled:\n' .. table.concat(res.lines, '\n'))
    end
  end
  rpc._notify('warn', 'the plan note changed while it was scheduled; run the command again')
end

--- `--project P`, `--project=P` or `-p P` among the words, and the rest as the task's text.
---@param words string[]
---@return string text, string|nil project
function M.parse_capture(words)
  local rest, project = {}, nil
  local i = 1
  while i <= #words do
    local w = words[i]
    local eq = w:match('^%-%-project=(.*)$')
    if eq then
      project = eq
    elseif w == '--project' or w == '-p' then
      project = words[i + 1]
      i = i + 1
    elseif w ~= '' then
      rest[#rest + 1] = w
    end
    i = i + 1
  end
  return table.concat(rest, ' '), project
end

function H.capture(text, project)
  local opts = {
    project = (project and project ~= '') and project or vim.NIL,
    from = H.from(),
    inbox = state.cfg.inbox or vim.NIL,
  }
  for _ = 1, 2 do
    local res = H.answer(host.request('capture', text, opts))
    if not res then
      return
    end
    if M.write_change(res.change) ~= 'stale' then
      return rpc._notify('info', res.summary)
    end
  end
  rpc._notify('warn', 'the note changed while the task was added; capture again')
end

--- Add a task: under project P's heading (created when missing) or in the inbox note. Without
--- text, asks for it and then for the project (empty: the inbox). The current buffer stays.
---@param words? string[] the words of `:Planager capture`
function M.capture(words)
  local text, project = M.parse_capture(words or {})
  if text ~= '' then
    return H.capture(text, project)
  end
  vim.ui.input({ prompt = 'Capture: ' }, function(t)
    if not t or vim.trim(t) == '' then
      return
    end
    if project then
      return H.capture(t, project)
    end
    vim.ui.input({ prompt = 'Project (empty: inbox): ' }, function(p)
      -- <Esc> at the project prompt cancels the capture.
      if p ~= nil then
        H.capture(t, vim.trim(p))
      end
    end)
  end)
end

return M
