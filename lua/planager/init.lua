-- Planager: norg notes and Taskwarrior in step. :help planager
local M = {}
local H = { cfg = nil, status = nil, group = nil }

local config = require('planager.config')
local host = require('planager.host')
local buffer = require('planager.buffer')

-- Runtime problems: a scheduled vim.notify with the prefix; details go to the log file.
function M._notify(level, msg)
  local lv = ({ info = vim.log.levels.INFO, warn = vim.log.levels.WARN, error = vim.log.levels.ERROR })[level] or vim.log.levels.INFO
  host.log(level:upper() .. ' ' .. msg)
  vim.schedule(function()
    vim.notify('planager: ' .. msg, lv)
  end)
end

function M._progress(msg)
  vim.schedule(function()
    vim.api.nvim_echo({ { 'planager: ' .. msg, 'Comment' } }, false, {})
  end)
end

function M._status(s)
  H.status = s
  vim.schedule(function()
    pcall(vim.cmd, 'redrawstatus')
  end)
end

function H.path(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return nil
  end
  -- Usually already absolute (Neovim keeps the full name): skip the Vimscript call, which
  -- is most of what checking a note costs on open.
  if name:sub(1, 1) == '/' then
    return name
  end
  return vim.fn.fnamemodify(name, ':p')
end

--- Is this buffer a tracked note (a *.norg file under a workspace)?
function M.tracked(bufnr)
  if not H.cfg then
    return false
  end
  local path = H.path(bufnr or 0)
  if not path or not path:match('%.norg$') then
    return false
  end
  for _, root in ipairs(H.cfg.workspaces) do
    if path:sub(1, #root + 1) == root .. '/' then
      return true
    end
  end
  return false
end

function M._buffer(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or not vim.api.nvim_buf_is_loaded(bufnr) then
    return nil
  end
  return {
    bufnr = bufnr,
    path = H.path(bufnr),
    tick = vim.api.nvim_buf_get_changedtick(bufnr),
    lines = buffer.lines(bufnr),
    modified = vim.bo[bufnr].modified,
  }
end

--- Every loaded tracked buffer, for a sync or a live refresh.
function M._buffers()
  local out = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and M.tracked(b) then
      out[#out + 1] = M._buffer(b)
    end
  end
  return out
end

H.ns = vim.api.nvim_create_namespace('planager')

--- The line problems a sync found (an unreadable date, a copied id), as diagnostics on the
--- lines of the open notes it covered (`scope`: absolute paths, or nil for all), replacing
--- what the last sync of those notes set.
function M._diagnostics(scope, items)
  local covered = {}
  if scope ~= nil and scope ~= vim.NIL then
    for _, p in ipairs(scope) do
      covered[p] = true
    end
  end
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    local name = vim.api.nvim_buf_get_name(b)
    if vim.api.nvim_buf_is_loaded(b) and M.tracked(b) and (scope == nil or scope == vim.NIL or covered[name]) then
      local list = {}
      for _, it in ipairs(items or {}) do
        if name == it.file or name:sub(-#it.file - 1) == '/' .. it.file then
          list[#list + 1] = { lnum = math.max(0, it.line - 1), col = 0, severity = vim.diagnostic.severity.WARN, message = it.message, source = 'planager' }
        end
      end
      vim.diagnostic.set(H.ns, b, list)
    end
  end
end

function M._apply(bufnr, tick, edits, write)
  return buffer.apply(bufnr, tick, edits, write)
end

function H.fail(err)
  if err then
    M._notify('error', err)
  end
end

-- Autocommands --------------------------------------------------------------------------

function H.on_read(ev)
  if not M.tracked(ev.buf) then
    return
  end
  -- Ids are concealed at BufWinEnter, which follows for every window the note is read into.
  if H.cfg.pull_on_open then
    -- After the read has returned: even starting the host's process is not the editor's wait.
    local buf, path = ev.buf, H.path(ev.buf)
    vim.schedule(function()
      local _, err = host.notify('open', buf, path)
      H.fail(err)
    end)
  end
end

function H.on_write_pre(ev)
  if not M.tracked(ev.buf) then
    return
  end
  local t0 = vim.env.PLANAGER_TIMING and (vim.uv or vim.loop).hrtime()
  -- One string, not a list of lines: a tenth of the encoding work on both sides of the pipe.
  local edits, err = host.request('prewrite', H.path(ev.buf), table.concat(buffer.lines(ev.buf), '\n'))
  if t0 then
    host.log(string.format('TIMING prewrite round trip %.2f ms', ((vim.uv or vim.loop).hrtime() - t0) / 1e6))
  end
  if not edits then
    return H.fail(err)
  end
  if #edits > 0 then
    buffer.apply(ev.buf, nil, edits, false)
  end
end

function H.on_write_post(ev)
  if not M.tracked(ev.buf) or not H.cfg.push_on_write then
    return
  end
  local _, err = host.notify('postwrite', ev.buf, H.path(ev.buf))
  H.fail(err)
end

-- Commands ------------------------------------------------------------------------------

--- Two-way sync of every tracked note. Unsaved tracked buffers are written first, so what is
--- synced is what is on disk (their writes push as usual).
function M.sync(force)
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and M.tracked(b) and vim.bo[b].modified then
      vim.api.nvim_buf_call(b, function()
        vim.cmd('silent write')
      end)
    end
  end
  local _, err = host.notify('sync', force == true)
  H.fail(err)
end

-- The buffer a one-note command acts on (the current one by default), or nil with a warning.
function H.note_buf(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if not M.tracked(bufnr) then
    M._notify('warn', 'this buffer is not a tracked note')
    return nil
  end
  return bufnr
end

function M.pull(bufnr)
  bufnr = H.note_buf(bufnr)
  if not bufnr then
    return
  end
  local _, err = host.notify('open', bufnr, H.path(bufnr))
  H.fail(err)
end

function M.push(bufnr)
  bufnr = H.note_buf(bufnr)
  if not bufnr then
    return
  end
  if vim.bo[bufnr].modified then
    vim.api.nvim_buf_call(bufnr, function()
      vim.cmd('write')
    end)
  else
    local _, err = host.notify('postwrite', bufnr, H.path(bufnr))
    H.fail(err)
  end
end

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

--- Versions of the task under the cursor (or `id`); <CR> or r on a version restores it.
function M.history(id)
  local src = vim.api.nvim_get_current_buf()
  local path = H.path(src) or ''
  if not id or id == '' then
    local t, err = host.request('task_at', buffer.lines(src), vim.api.nvim_win_get_cursor(0)[1])
    if not t or t == vim.NIL then
      return M._notify('warn', err or 'no synced task under the cursor (write the file first)')
    end
    id = t.id
  end
  local h, err = host.request('history', path, id)
  if not h then
    return H.fail(err)
  end
  if not h.ok then
    return M._notify('warn', h.message)
  end
  local lines = { string.format('History of task %s (%s) — <CR>/r restores the version under the cursor, q closes', h.id, h.uuid), '' }
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
      return M._notify('info', 'put the cursor on a logged version (1 or more)')
    end
    vim.cmd('close')
    M.restore(h.id, n, path)
  end
  vim.keymap.set('n', '<CR>', restore, { buffer = buf, nowait = true })
  vim.keymap.set('n', 'r', restore, { buffer = buf, nowait = true })
end

function M.restore(id, n, path)
  if not id then
    return M._notify('warn', 'usage: :Planager restore ID [VERSION]')
  end
  local _, err = host.notify('restore', path or H.path(0) or '', id, tonumber(n) or 1)
  H.fail(err)
end

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
  local t = os.time({ year = tonumber(y), month = tonumber(mo), day = tonumber(d), hour = tonumber(h), min = tonumber(mi), sec = tonumber(sec) })
  -- os.time reads the fields as local time: add the zone's offset to make them UTC.
  local now = os.time()
  local offset = os.difftime(now, os.time(os.date('!*t', now)))
  return os.date(fmt, t + offset)
end

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
    lines[#lines + 1] = string.format('%s  %s  %s (%s version)  %s', H.local_time(e.time, '%Y-%m-%d %H:%M:%S'), e.id, e.action, e.side, table.concat(fields, '; '))
  end
  H.scratch('planager://log', lines)
end

function M.status()
  local s = host.running() and host.request('status') or nil
  if s and s ~= vim.NIL then
    H.status = s
  end
  local msg = M.statusline()
  vim.api.nvim_echo({ { msg ~= '' and msg or 'planager: idle', 'Normal' } }, false, {})
  return H.status
end

--- For the statusline: last sync, pushes under way, conflicts.
function M.statusline()
  local s = H.status
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

H.subcommands = {
  sync = function(args)
    M.sync(args[1] == 'force' or args[1] == '--force')
  end,
  pull = function()
    M.pull()
  end,
  push = function()
    M.push()
  end,
  history = function(args)
    M.history(args[1])
  end,
  restore = function(args)
    M.restore(args[1], args[2])
  end,
  backups = function()
    M.backups()
  end,
  status = function()
    M.status()
  end,
  log = function()
    M.activity()
  end,
}

function H.complete(arglead, cmdline)
  local words = vim.split(cmdline, '%s+')
  if #words <= 2 then
    local names = vim.tbl_keys(H.subcommands)
    table.sort(names)
    return vim.tbl_filter(function(n)
      return n:sub(1, #arglead) == arglead
    end, names)
  end
  if words[2] == 'sync' then
    return { 'force' }
  end
  return {}
end

--- `:help planager` right after a by-hand install (a clone on 'runtimepath', no plugin manager
--- to run `:helptags`): the tags file is made once, beside the help file, when it can be.
function H.helptags()
  local doc = host.root() .. '/doc'
  if vim.fn.filereadable(doc .. '/tags') == 0 and vim.fn.filewritable(doc) == 2 then
    pcall(vim.cmd, 'silent! helptags ' .. vim.fn.fnameescape(doc))
  end
end

function M.setup(opts)
  local cfg = config.build(opts)
  H.cfg = cfg
  host.configure(cfg)
  H.group = vim.api.nvim_create_augroup('planager', { clear = true })
  H.helptags()
  vim.api.nvim_create_autocmd('BufReadPost', { group = H.group, pattern = '*.norg', callback = H.on_read })
  vim.api.nvim_create_autocmd('BufWritePre', { group = H.group, pattern = '*.norg', callback = H.on_write_pre })
  vim.api.nvim_create_autocmd('BufWritePost', { group = H.group, pattern = '*.norg', callback = H.on_write_post })
  if cfg.conceal_ids then
    vim.api.nvim_create_autocmd('BufWinEnter', {
      group = H.group,
      pattern = '*.norg',
      callback = function(ev)
        if M.tracked(ev.buf) then
          buffer.conceal(vim.api.nvim_get_current_win())
        end
      end,
    })
    -- `:split` copies 'conceallevel' but not the window's matches, and fires no BufWinEnter.
    vim.api.nvim_create_autocmd('WinNew', {
      group = H.group,
      callback = function()
        if M.tracked(0) then
          buffer.conceal(vim.api.nvim_get_current_win())
        end
      end,
    })
  end
  -- Neovim ends its jobs when it exits; that is not a crash to restart from.
  vim.api.nvim_create_autocmd('VimLeavePre', { group = H.group, callback = host.leave })
  vim.api.nvim_create_user_command('Planager', function(c)
    local args = vim.split(vim.trim(c.args), '%s+')
    local sub = table.remove(args, 1)
    local f = H.subcommands[sub]
    if not f then
      return M._notify('warn', 'unknown subcommand "' .. tostring(sub) .. '"; try :Planager <Tab>')
    end
    f(args)
  end, { nargs = '+', complete = H.complete, desc = 'Planager: sync, pull, push, history, restore, backups, status, log' })
  vim.api.nvim_create_user_command('PlanagerSync', function(c)
    M.sync(c.bang)
  end, { bang = true, desc = 'Planager: two-way sync of every tracked note' })
  -- Buffers opened before setup (e.g. `nvim note.norg` with setup in a plugin manager's config).
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and M.tracked(b) then
      H.on_read({ buf = b })
    end
  end
  return cfg
end

function M.config()
  return H.cfg
end

return M
