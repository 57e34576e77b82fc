-- The editor's side of a sync: the autocommands on *.norg files, the note actions (sync, pull,
-- push), the :Planager command with its subcommands and completion, and :PlanagerSync.
local M = {}
local H = {}

local host = require('planager.host')
local buffer = require('planager.buffer')
local state = require('planager.state')
local rpc = require('planager.rpc')
local views = require('planager.views')
local planning = require('planager.planning')

function H.fail(err)
  if err then
    rpc._notify('error', err)
  end
end

-- Note actions ---------------------------------------------------------------------------

--- Two-way sync of every tracked note. Unsaved tracked buffers are written first, so what is
--- synced is what is on disk (their writes push as usual).
---@param force? boolean go past the bulk guard (:Planager sync force)
---@param remote? boolean with the other devices too (the `remote` option, :PlanagerSync!, :Planager sync remote)
function M.sync(force, remote)
  for _, b in ipairs(state.tracked_bufs()) do
    if vim.bo[b].modified then
      vim.api.nvim_buf_call(b, function()
        vim.cmd('silent write')
      end)
    end
  end
  if remote or state.cfg.remote then
    for _, ws in ipairs(state.cfg.workspaces) do
      H.remote_sync(ws, force == true)
    end
    return
  end
  local _, err = host.notify('sync', force == true)
  H.fail(err)
end

--- `planager sync --remote` for one workspace, as a job (argv, no shell): git, `task sync` and
--- the two-way sync run outside the host, so the editor never waits; each step's line is
--- shown when it ends, and the notes it changed are read again into their unmodified buffers.
---@param ws string
---@param force boolean
function H.remote_sync(ws, force)
  local args = { state.cfg.node, host.root() .. '/dist/cli.cjs', 'sync', '--remote', '--workspace', ws }
  if force then
    table.insert(args, '--force')
  end
  local out = {}
  local collect = function(_, data)
    for _, l in ipairs(data or {}) do
      if l ~= '' then
        table.insert(out, l)
      end
    end
  end
  local ok, job = pcall(vim.fn.jobstart, args, {
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = collect,
    on_stderr = collect,
    on_exit = function(_, code)
      vim.schedule(function()
        for _, b in ipairs(state.tracked_bufs()) do
          if not vim.bo[b].modified then
            vim.api.nvim_buf_call(b, function()
              vim.cmd('silent! checktime')
            end)
          end
        end
        local level = code == 0 and 'info' or 'error'
        rpc._notify(level, 'sync --remote (' .. ws .. '):\n' .. table.concat(out, '\n'))
      end)
    end,
  })
  if not ok or job <= 0 then
    rpc._notify('error', 'could not start ' .. state.cfg.node .. ' for sync --remote')
  end
end

-- The buffer a one-note command acts on (the current one by default), or nil with a warning.
function H.note_buf(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if not state.tracked(bufnr) then
    rpc._notify('warn', 'this buffer is not a tracked note')
    return nil
  end
  return bufnr
end

--- Bring Taskwarrior's changes into a note (default: the current buffer).
---@param bufnr? integer
function M.pull(bufnr)
  bufnr = H.note_buf(bufnr)
  if not bufnr then
    return
  end
  local _, err = host.notify('open', bufnr, state.path(bufnr))
  H.fail(err)
end

--- Send a note's tasks to Taskwarrior (default: the current buffer); an unsaved note is
--- written, and its write pushes.
---@param bufnr? integer
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
    local _, err = host.notify('postwrite', bufnr, state.path(bufnr))
    H.fail(err)
  end
end

-- Autocommands ---------------------------------------------------------------------------

function H.on_read(ev)
  if not state.tracked(ev.buf) then
    return
  end
  -- Ids are concealed at BufWinEnter, which follows for every window the note is read into.
  if state.cfg.pull_on_open then
    -- After the read has returned: even starting the host's process is not the editor's wait.
    local buf, path = ev.buf, state.path(ev.buf)
    vim.schedule(function()
      local _, err = host.notify('open', buf, path)
      H.fail(err)
    end)
  end
end

-- The write path never waits for the host. The note goes to disk as typed; BufWritePost
-- hands its text to the host in a notification (which also starts the host if need be) and
-- returns. The host works out new ids and derived statuses from that text, applies them to
-- the buffer as one undo step and writes it again (without autocommands), then pushes. A
-- request at BufWritePre instead held a `:w` for the host's round trip (7-20 ms at 1,000
-- tasks here, and all of Node's start-up when the host was not up yet).

-- The changedtick at which a buffer's text was last found complete (no id to add, no status
-- to derive): a write at that tick sends no text, only the push.
H.clean = {}

--- A buffer's text at `tick` is complete (the host found so, or its ids were just applied).
---@param bufnr integer
---@param tick integer
function M._clean(bufnr, tick)
  H.clean[bufnr] = tick
end

-- The milliseconds the write path held the editor, summed over the session: BufWritePost,
-- and applying the host's ids after it (planager.rpc._apply). The bench reads it around a `:w`.
M.blocked = { total = 0 }

function H.blocked(t0)
  local d = (require('planager.compat').uv.hrtime() - t0) / 1e6
  M.blocked.total = M.blocked.total + d
  return d
end

function H.on_write_post(ev)
  if not state.tracked(ev.buf) then
    return
  end
  local uv = require('planager.compat').uv
  local t0 = uv.hrtime()
  local buf = ev.buf
  local tick = vim.api.nvim_buf_get_changedtick(buf)
  local push = state.cfg.push_on_write
  local text = nil
  if H.clean[buf] ~= tick then
    -- One string, not a list of lines: a tenth of the encoding work on both sides of the pipe.
    text = table.concat(buffer.lines(buf), '\n')
  elseif not push then
    return
  end
  local path = state.path(buf)
  -- Recorded before anything is sent: if Neovim quits before the push is done (`:wq`), the
  -- next host pushes it.
  local token = push and require('planager.pending').mark(path) or nil
  local _, err = host.notify('postwrite', buf, path, { text = text, tick = tick, push = push, token = token })
  local d = H.blocked(t0)
  if vim.env.PLANAGER_TIMING then
    host.log(string.format('TIMING BufWritePost %.2f ms', d))
  end
  H.fail(err)
end

function H.conceal_current()
  if state.tracked(0) then
    buffer.conceal(vim.api.nvim_get_current_win())
  end
end

function H.autocmds(cfg)
  local group = vim.api.nvim_create_augroup('planager', { clear = true })
  local au = vim.api.nvim_create_autocmd
  au('BufReadPost', { group = group, pattern = '*.norg', callback = H.on_read })
  au('BufWritePost', { group = group, pattern = '*.norg', callback = H.on_write_post })
  au('BufUnload', {
    group = group,
    pattern = '*.norg',
    callback = function(ev)
      H.clean[ev.buf] = nil
    end,
  })
  if cfg.conceal_ids then
    au('BufWinEnter', { group = group, pattern = '*.norg', callback = H.conceal_current })
    -- `:split` copies 'conceallevel' but not the window's matches, and fires no BufWinEnter.
    au('WinNew', { group = group, callback = H.conceal_current })
  end
  -- Neovim ends its jobs when it exits; that is not a crash to restart from.
  au('VimLeavePre', { group = group, callback = host.leave })
end

-- User commands --------------------------------------------------------------------------

H.subcommands = {
  sync = function(args)
    local has = function(w)
      return vim.tbl_contains(args, w) or vim.tbl_contains(args, '--' .. w)
    end
    M.sync(has('force'), has('remote'))
  end,
  pull = function()
    M.pull()
  end,
  push = function()
    M.push()
  end,
  history = function(args)
    views.history(args[1])
  end,
  restore = function(args)
    views.restore(args[1], args[2])
  end,
  backups = function()
    views.backups()
  end,
  status = function()
    views.status()
  end,
  log = function()
    views.activity()
  end,
  stats = function()
    views.stats()
  end,
  schedule = function(args)
    planning.schedule(args[1])
  end,
  plan = function(args)
    planning.plan(args[1], args[2])
  end,
  agenda = function(args)
    -- `:Planager agenda 2026-12-04` and `:Planager agenda week 2026-12-04`
    if args[1] and args[1]:match('^%d') then
      table.insert(args, 1, 'day')
    end
    require('planager.agenda').open(args[1], args[2])
  end,
  capture = function(args)
    planning.capture(args)
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
  local choices =
    { sync = { 'force', 'remote' }, plan = planning.kinds, agenda = { 'day', 'week' }, capture = { '--project' } }
  if #words == 3 and choices[words[2]] then
    return vim.tbl_filter(function(n)
      return n:sub(1, #arglead) == arglead
    end, choices[words[2]])
  end
  return {}
end

function H.run(c)
  local args = vim.split(vim.trim(c.args), '%s+', { trimempty = true })
  local sub = table.remove(args, 1)
  local f = H.subcommands[sub]
  if not f then
    return rpc._notify('warn', 'unknown subcommand "' .. tostring(sub) .. '"; try :Planager <Tab>')
  end
  f(args)
end

function H.user_commands()
  vim.api.nvim_create_user_command('Planager', H.run, {
    nargs = '+',
    complete = H.complete,
    desc = 'Planager: sync, pull, push, plan, agenda, capture, history, restore, backups, status, log',
  })
  vim.api.nvim_create_user_command('PlanagerSync', function(c)
    -- With !: with the other devices too (issue 18's spelling); the bulk guard is passed with
    -- `:Planager sync force`, which is what the guard's message names.
    M.sync(false, c.bang)
  end, { bang = true, desc = 'Planager: two-way sync of every tracked note (!: with the other devices too)' })
end

--- `:help planager` right after a by-hand install (a clone on 'runtimepath', no plugin manager
--- to run `:helptags`): the tags file is made once, beside the help file, when it can be.
function H.helptags()
  local doc = host.root() .. '/doc'
  if vim.fn.filereadable(doc .. '/tags') == 0 and vim.fn.filewritable(doc) == 2 then
    pcall(vim.cmd, 'silent! helptags ' .. vim.fn.fnameescape(doc))
  end
end

--- Install the autocommands and user commands for `cfg` (called by setup, again on each call),
--- and take up the notes that were opened before.
---@param cfg planager.Config
function M.install(cfg)
  H.autocmds(cfg)
  H.helptags()
  H.user_commands()
  -- Buffers opened before setup (e.g. `nvim note.norg` with setup in a plugin manager's config).
  for _, b in ipairs(state.tracked_bufs()) do
    H.on_read({ buf = b })
  end
end

return M
