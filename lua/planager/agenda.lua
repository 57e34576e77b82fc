-- :Planager agenda: open tasks by date across every tracked note and Taskwarrior, overdue
-- first, in a scratch buffer (as orgmode.nvim's agenda). Its keys act on the task of the
-- line: <CR> opens its home line, x toggles done, d sets the due date, r refreshes, q closes.
-- A change goes to the home line (the note's buffer, loaded if need be, is edited and written,
-- so the write pushes it); a task only in Taskwarrior is changed with `task modify` by the
-- host. The view refreshes once Taskwarrior has the change (:help planager-agenda-keys).
local M = {}
local H = {}

local host = require('planager.host')
local buffer = require('planager.buffer')
local state = require('planager.state')
local rpc = require('planager.rpc')

--- Open agenda views: buffer → { span, date, entries, rows (line → entry), waiting (path → true), from_win }.
H.views = {}

H.NAME = 'planager://agenda'
H.HEADER_LINES = 2

function H.get(span, date)
  local res, err = host.request('agenda', { span = span, date = date or vim.NIL, plan = state.cfg.plan })
  if not res or res == vim.NIL then
    rpc._notify('error', err or 'no answer from the host')
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

--- The view's lines, and which entry each line shows.
function H.render(res)
  local lines = {
    string.format(
      'Agenda (%s from %s): <CR> open, x done/undone, d due date, r refresh, q close',
      res.span,
      res.from
    ),
    '',
  }
  local rows = {}
  if #res.entries == 0 then
    lines[#lines + 1] = res.empty
  end
  for _, r in ipairs(res.rows) do
    lines[#lines + 1] = r.text
    if r.entry ~= vim.NIL then
      rows[#lines] = res.entries[r.entry + 1]
    end
  end
  return lines, rows
end

H.ns = vim.api.nvim_create_namespace('planager-agenda')

function H.fill(buf, res)
  local view = H.views[buf]
  local lines, rows = H.render(res)
  view.rows = rows
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  -- The help line dimmed, day headings as titles, overdue tasks as warnings.
  vim.api.nvim_buf_clear_namespace(buf, H.ns, 0, -1)
  vim.api.nvim_buf_add_highlight(buf, H.ns, 'Comment', 0, 0, -1)
  for i = H.HEADER_LINES + 1, #lines do
    local e = rows[i]
    local group = not e and 'Title' or (e.overdue and 'WarningMsg' or nil)
    if group then
      vim.api.nvim_buf_add_highlight(buf, H.ns, group, i - 1, 0, -1)
    end
  end
end

--- Show the agenda of `span` ('day' or 'week') from `date` (YYYY-MM-DD, default today).
---@param span? string
---@param date? string
function M.open(span, date)
  span = span == 'week' and 'week' or 'day'
  local res = H.get(span, date)
  if not res then
    return
  end
  -- One agenda at a time: a new one replaces the one open.
  for b, _ in pairs(H.views) do
    if vim.api.nvim_buf_is_valid(b) then
      pcall(vim.api.nvim_buf_delete, b, { force = true })
    end
  end
  local from_win = vim.api.nvim_get_current_win()
  local buf = require('planager.views').scratch(H.NAME, {})
  H.views[buf] = { span = span, date = date, waiting = {}, from_win = from_win, rows = {} }
  H.fill(buf, res)
  vim.bo[buf].filetype = 'planager-agenda'
  vim.api.nvim_win_set_cursor(0, { math.min(H.HEADER_LINES + 2, vim.api.nvim_buf_line_count(buf)), 0 })
  vim.api.nvim_create_autocmd('BufWipeout', {
    buffer = buf,
    callback = function()
      H.views[buf] = nil
    end,
  })
  local function map(lhs, f)
    vim.keymap.set('n', lhs, function()
      f(buf)
    end, { buffer = buf, nowait = true, silent = true })
  end
  map('<CR>', M.jump)
  map('x', M.toggle)
  map('d', M.due)
  map('r', M.refresh)
end

--- Read the agenda again, the cursor kept on its line.
---@param buf integer
function M.refresh(buf)
  local view = H.views[buf]
  if not view or not vim.api.nvim_buf_is_valid(buf) then
    return
  end
  local res = H.get(view.span, view.date)
  if res then
    H.fill(buf, res)
  end
end

--- A push of `path` is through (called by the host): agendas waiting for it refresh.
---@param path string
function M._pushed(path)
  for buf, view in pairs(H.views) do
    if view.waiting[path] then
      view.waiting[path] = nil
      vim.schedule(function()
        M.refresh(buf)
      end)
    end
  end
end

function H.entry(buf)
  local view = H.views[buf]
  local e = view and view.rows[vim.api.nvim_win_get_cursor(0)[1]]
  if not e then
    rpc._notify('info', 'put the cursor on a task of the agenda')
  end
  return e
end

function H.home(e)
  return e.file ~= vim.NIL and e.file or nil
end

--- <CR>: the task's home line, in the window the agenda was opened from.
---@param buf integer
function M.jump(buf)
  local e = H.entry(buf)
  if not e then
    return
  end
  if not H.home(e) then
    return rpc._notify('info', '"' .. e.description .. '" is only in Taskwarrior (no note holds it)')
  end
  local win = H.views[buf].from_win
  if win and vim.api.nvim_win_is_valid(win) and win ~= vim.api.nvim_get_current_win() then
    vim.api.nvim_set_current_win(win)
  else
    vim.cmd('aboveleft split')
  end
  local ok, err = pcall(vim.cmd, 'edit ' .. vim.fn.fnameescape(e.file))
  if not ok then
    return rpc._notify('error', tostring(err))
  end
  pcall(vim.api.nvim_win_set_cursor, 0, { e.line, 0 })
  vim.cmd('normal! ^')
end

--- The loaded buffer of a note, loading it (without a window) when none is.
function H.note_buf(path)
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and state.path(b) == path then
      return b
    end
  end
  local b = vim.fn.bufadd(path)
  vim.fn.bufload(b)
  return b
end

--- Make `change` on the task of entry `e`, then refresh the view once Taskwarrior has it.
function H.change(buf, e, change)
  local view = H.views[buf]
  local path = H.home(e)
  if not path then
    local res, err = host.request('task_modify', e.uuid, e.status, change)
    if not res or res == vim.NIL or not res.ok then
      return rpc._notify('error', res and res ~= vim.NIL and res.message or err or 'task modify failed')
    end
    return M.refresh(buf)
  end
  local nb = H.note_buf(path)
  local want = { uuid = e.uuid, description = e.description }
  local res, err = host.request('task_edit', buffer.lines(nb), e.line, change, want)
  if not res or res == vim.NIL or not res.ok then
    return rpc._notify('warn', res and res ~= vim.NIL and res.message or err or 'the task could not be changed')
  end
  -- Before the write: its push may be through before this function returns.
  view.waiting[path] = state.cfg.push_on_write or nil
  local done = require('planager.planning').write_change({
    bufnr = nb,
    tick = vim.api.nvim_buf_get_changedtick(nb),
    edits = res.edits,
  })
  if done ~= 'ok' then
    view.waiting[path] = nil
    if done ~= 'unwritten' then
      rpc._notify('warn', 'the note changed meanwhile; try again')
    end
    return
  end
  if not state.cfg.push_on_write then
    M.refresh(buf)
  end
end

--- x: done ⇄ not done.
---@param buf integer
function M.toggle(buf)
  local e = H.entry(buf)
  if e then
    H.change(buf, e, { op = 'toggle' })
  end
end

--- d: a new due date, asked for (any date form the notes read, or YYYY-MM-DD).
---@param buf integer
function M.due(buf)
  local e = H.entry(buf)
  if not e then
    return
  end
  vim.ui.input({ prompt = 'Due date of "' .. e.description .. '": ' }, function(text)
    if text and vim.trim(text) ~= '' then
      H.change(buf, e, { op = 'due', text = text })
    end
  end)
end

return M
