-- What Planager shows: the history of a task (and restoring a version of it), the backups,
-- the activity log (scratch buffers; q closes), the status message and the statusline.
local M = {}
local H = {}

local host = require('planager.host')
local buffer = require('planager.buffer')
local state = require('planager.state')
local rpc = require('planager.rpc')

function H.fail(err)
  if err then
    rpc._notify('error', err)
  end
end

--- A read-only scratch buffer in a new window at the bottom; q closes it (the agenda uses it too).
---@param name string
---@param lines string[]
---@return integer buf
function H.scratch(name, lines)
  vim.cmd('botright new')
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  pcall(vim.api.nvim_buf_set_name, buf, name)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.keymap.set('n', 'q', '<cmd>close<cr>', { buffer = buf, nowait = true })
  return buf
end
M.scratch = H.scratch

function H.fmt_fields(f)
  local parts = { f.status }
  if f.priority and f.priority ~= vim.NIL then
    parts[#parts + 1] = '# ' .. f.priority
  end
  parts[#parts + 1] = f.description
  if f.due and f.due ~= vim.NIL then
    parts[#parts + 1] = '< ' .. f.due
  end
  if f.project and f.project ~= vim.NIL then
    parts[#parts + 1] = '[' .. f.project .. ']'
  end
  return table.concat(parts, ' ')
end

--- A value as the log shows it: JSON null (vim.NIL) is "none", lists are comma-separated.
function H.show(v)
  if v == nil or v == vim.NIL then
    return 'none'
  end
  if type(v) == 'table' then
    local out = {}
    for _, x in ipairs(v) do
      out[#out + 1] = H.show(x)
    end
    return #out == 0 and 'none' or table.concat(out, ',')
  end
  return type(v) == 'string' and string.format('%q', v) or tostring(v)
end

--- An ISO time in UTC (`2026-12-04T21:05:00.000Z`) as local time, in `fmt`.
function H.local_time(iso, fmt)
  if type(iso) ~= 'string' then
    return '?'
  end
  local y, mo, d, h, mi, sec = iso:match('^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)')
  if not y then
    return iso
  end
  local t = os.time({
    year = tonumber(y),
    month = tonumber(mo),
    day = tonumber(d),
    hour = tonumber(h),
    min = tonumber(mi),
    sec = tonumber(sec),
  })
  -- os.time reads the fields as local time: add the zone's offset to make them UTC.
  local now = os.time()
  local offset = os.difftime(now, os.time(os.date('!*t', now)))
  return os.date(fmt, t + offset)
end

-- History --------------------------------------------------------------------------------

--- Versions of the task under the cursor (or `id`); <CR> or r on a version restores it.
---@param id? string a task id; nil or '': the task under the cursor
function M.history(id)
  local src = vim.api.nvim_get_current_buf()
  local path = state.path(src) or ''
  if not id or id == '' then
    local t, err = host.request('task_at', buffer.lines(src), vim.api.nvim_win_get_cursor(0)[1])
    if not t or t == vim.NIL then
      return rpc._notify('warn', err or 'no synced task under the cursor (write the file first)')
    end
    id = t.id
  end
  local h, err = host.request('history', path, id)
  if not h then
    return H.fail(err)
  end
  if not h.ok then
    return rpc._notify('warn', h.message)
  end
  local lines = {
    string.format('History of task %s (%s) — <CR>/r restores the version under the cursor, q closes', h.id, h.uuid),
    '',
  }
  local rows = {}
  for _, v in ipairs(h.versions) do
    local when = v.n == 0 and 'current' or string.format('%s  %s of the %s version', v.time, v.action, v.source)
    lines[#lines + 1] = string.format('%3d. %s', v.n, when)
    rows[#lines] = v.n
    lines[#lines + 1] = '     ' .. H.fmt_fields(v.fields)
    rows[#lines] = v.n
  end
  local buf = H.scratch('planager://history/' .. h.id, lines)
  local function restore()
    local n = rows[vim.api.nvim_win_get_cursor(0)[1]]
    if not n or n == 0 then
      return rpc._notify('info', 'put the cursor on a logged version (1 or more)')
    end
    vim.cmd('close')
    M.restore(h.id, n, path)
  end
  vim.keymap.set('n', '<CR>', restore, { buffer = buf, nowait = true })
  vim.keymap.set('n', 'r', restore, { buffer = buf, nowait = true })
end

--- Bring back version `n` (1 = the one before the current) of task `id`.
---@param id? string
---@param n? integer|string default 1
---@param path? string the note the restore is for; default: the current buffer's
function M.restore(id, n, path)
  if not id then
    return rpc._notify('warn', 'usage: :Planager restore ID [VERSION]')
  end
  local _, err = host.notify('restore', path or state.path(0) or '', id, tonumber(n) or 1)
  H.fail(err)
end

-- Backups and the activity log -----------------------------------------------------------

--- The backup commits of every workspace, in a scratch buffer.
function M.backups()
  local res, err = host.request('backups')
  if not res then
    return H.fail(err)
  end
  local lines = { 'Planager backups (planager restore --backup COMMIT [FILE] brings notes back)', '' }
  for _, w in ipairs(res) do
    lines[#lines + 1] = w.workspace
    if #w.commits == 0 then
      lines[#lines + 1] = '  (none yet)'
    end
    for _, c in ipairs(w.commits) do
      lines[#lines + 1] = string.format('  %s  %s  %s', c.commit:sub(1, 10), c.date, c.message)
    end
  end
  H.scratch('planager://backups', lines)
end

--- Habits, projects and days (`planager stats`) for the current note's workspace, in a scratch
--- buffer; `r` refreshes it.
function M.stats()
  local path = vim.api.nvim_buf_get_name(0)
  local res, err = host.request('stats', path ~= '' and path or vim.NIL)
  if not res then
    return H.fail(err)
  end
  if not res.ok then
    return H.fail(res.message)
  end
  local lines = { 'Planager stats for ' .. res.workspace .. '  (o opens the HTML report, r refreshes, q closes)', '' }
  vim.list_extend(lines, res.lines)
  local buf = H.scratch('planager://stats', lines)
  vim.keymap.set('n', 'r', function()
    vim.cmd('close')
    M.stats()
  end, { buffer = buf, nowait = true })
  vim.keymap.set('n', 'o', function()
    M.open_report(path ~= '' and path or nil)
  end, { buffer = buf, nowait = true })
end

--- Write the HTML report (`planager report`) to the cache folder and open it in the browser:
--- vim.ui.open where Neovim has it (0.10+), else xdg-open.
---@param path? string a note of the workspace
---@return string|nil file
function M.open_report(path)
  local file = vim.fn.stdpath('cache') .. '/planager/report.html'
  local res, err = host.request('report', path or vim.NIL, file)
  if not res then
    return H.fail(err)
  end
  if not res.ok then
    return H.fail(res.message)
  end
  if vim.ui.open then
    vim.ui.open(res.file)
  elseif vim.fn.executable('xdg-open') == 1 then
    vim.fn.jobstart({ 'xdg-open', res.file }, { detach = true })
  else
    require('planager.rpc')._notify('info', 'report written to ' .. res.file .. ' (no xdg-open to open it)')
  end
  return res.file
end

--- The last 100 entries of the activity log (every value a sync overwrote), newest first.
function M.activity()
  local res, err = host.request('activity', 100)
  if not res then
    return H.fail(err)
  end
  local lines = { 'Planager activity (newest first): every value a sync overwrote', '' }
  for _, e in ipairs(res) do
    local fields = {}
    for k, v in pairs(e.fields) do
      fields[#fields + 1] = string.format('%s: %s → %s', k, H.show(v.lost), H.show(v.kept))
    end
    lines[#lines + 1] = string.format(
      '%s  %s  %s (%s version)  %s',
      H.local_time(e.time, '%Y-%m-%d %H:%M:%S'),
      e.id,
      e.action,
      e.side,
      table.concat(fields, '; ')
    )
  end
  H.scratch('planager://log', lines)
end

-- Status ---------------------------------------------------------------------------------

--- Ask the host for its status (if it runs), echo it, and return it.
---@return planager.Status|nil
function M.status()
  local s = host.running() and host.request('status') or nil
  if s and s ~= vim.NIL then
    state.status = s
  end
  local msg = M.statusline()
  vim.api.nvim_echo({ { msg ~= '' and msg or 'planager: idle', 'Normal' } }, false, {})
  return state.status
end

--- For the statusline: last sync, pushes under way, conflicts.
---@return string '' when the host is not running and has reported nothing
function M.statusline()
  local s = state.status
  if not s or s == vim.NIL then
    return host.running() and 'planager' or ''
  end
  local parts = {}
  if s.running then
    parts[#parts + 1] = 'syncing'
  elseif s.lastSync and s.lastSync ~= vim.NIL then
    parts[#parts + 1] = 'synced ' .. H.local_time(s.lastSync, '%H:%M')
  end
  if s.pendingPushes and s.pendingPushes > 0 then
    parts[#parts + 1] = s.pendingPushes .. ' pending'
  end
  if s.conflicts and s.conflicts > 0 then
    parts[#parts + 1] = s.conflicts .. ' conflict' .. (s.conflicts > 1 and 's' or '')
  end
  if s.lastError and s.lastError ~= vim.NIL then
    parts[#parts + 1] = 'error'
  end
  return 'planager: ' .. table.concat(parts, ', ')
end

return M
