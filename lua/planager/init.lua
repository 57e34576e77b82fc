-- Planager: norg notes and Taskwarrior in step. :help planager
--
-- The public API, gathered from the modules that implement it:
--   planager.state     the config, the last status, which buffers are tracked notes
--   planager.rpc       the callbacks the host calls (_notify, _buffer, _apply, …)
--   planager.commands  autocommands, sync/pull/push, :Planager and :PlanagerSync
--   planager.views     history and restore, backups, the activity log, status(line)
--   planager.planning  :Planager plan and capture
--   planager.agenda    :Planager agenda (its view and keys)
--   planager.config    options, defaults, validation
--   planager.host      the Node.js host process (start, requests, restarts)
--   planager.buffer    applying the host's edits, concealing ids
--   planager.pending   writes whose push is not confirmed yet (pushed by the next host)
local M = {}

local config = require('planager.config')
local state = require('planager.state')
local rpc = require('planager.rpc')
local commands = require('planager.commands')
local views = require('planager.views')
local planning = require('planager.planning')
local agenda = require('planager.agenda')

--- Check `opts`, then track the workspaces' notes: autocommands, :Planager, :PlanagerSync.
--- Raises (with a message saying what to fix) on a bad option.
---@param opts? planager.Options
---@return planager.Config
function M.setup(opts)
  local cfg = config.build(opts)
  state.cfg = cfg
  commands.install(cfg)
  return cfg
end

--- The config setup() built, or nil before setup().
---@return planager.Config|nil
function M.config()
  return state.cfg
end

M.tracked = state.tracked

M.sync = commands.sync
M.pull = commands.pull
M.push = commands.push

M.history = views.history
M.restore = views.restore
M.backups = views.backups
M.activity = views.activity
M.status = views.status
M.statusline = views.statusline

M.plan = planning.plan
M.capture = planning.capture
M.agenda = agenda.open

-- Called by the host (rplugin/host.ts) as require('planager')._name(...).
M._notify = rpc._notify
M._progress = rpc._progress
M._status = rpc._status
M._buffer = rpc._buffer
M._buffers = rpc._buffers
M._reload = rpc._reload
M._diagnostics = rpc._diagnostics
M._apply = rpc._apply
M._ready = rpc._ready
M._clean = rpc._clean
M._pushed = agenda._pushed

return M
