-- Options, their defaults, and validation of every field (:help planager-options).
local M = {}
local H = {}

---@class planager.Config
---@field workspaces string[] Folders whose *.norg files are tracked (absolute, after setup).
---@field node string Node.js (the host needs 18 or later).
---@field task string The Taskwarrior binary.
---@field state_dir string|nil Where state, the activity log and backups go; nil = <workspace>/.planager.
---@field pull_on_open boolean Pull Taskwarrior's changes when a tracked file is opened.
---@field push_on_write boolean Push to Taskwarrior after a tracked file is written.
---@field conceal_ids boolean Hide task ids (%#1a2b3c4d%) with conceal.
---@field propagate boolean A parent's status follows its children.
---@field inbox string|nil Workspace-relative file for tasks whose project matches no note.
---@field backup 'state'|'workspace'|false Git backups after syncs.
---@field bulk_share number A sync deleting or completing more than this share of what it touches stops.
---@field bulk_min integer The bulk guard applies from this many tasks.
---@field timeout number Seconds a `task` call may take.
---@field standby boolean Keep one `task import` started, waiting for its input.
---@field remote boolean :PlanagerSync also syncs with the other devices (`planager sync --remote`).
---@field log_file string Log file (after setup: the path, by default in stdpath('cache')).
---@field log_level 'info'|'debug'
---@field plan planager.PlanConfig Planning sessions (:help planager-plan-options).

--- Options of :Planager plan and agenda, as the CLI's flags of the same names.
---@class planager.PlanConfig
---@field week_start string The first day of a week (`--week-start`): a weekday, or an unambiguous prefix.
---@field templates string|nil Folder of the workspace's own templates (`--templates`); nil = .planager/templates.
---@field paths table<string, string> Where each kind's notes go (`--path`),
--- e.g. { daily = 'journal/{year}-{month}-{day}.norg' }.

--- What setup() takes: any of planager.Config's fields; `workspaces` is required.
---@class planager.Options
---@field workspaces string[]
---@field node? string
---@field task? string
---@field state_dir? string
---@field pull_on_open? boolean
---@field push_on_write? boolean
---@field conceal_ids? boolean
---@field propagate? boolean
---@field inbox? string
---@field backup? 'state'|'workspace'|boolean
---@field bulk_share? number
---@field bulk_min? integer
---@field timeout? number
---@field standby? boolean
---@field remote? boolean
---@field log_file? string
---@field log_level? 'info'|'debug'
---@field plan? { week_start?: string, templates?: string, paths?: table<string, string> }

--- The defaults (nil fields: see planager.Config).
---@type planager.Options
M.defaults = {
  -- Folders whose *.norg files are tracked. Required: at least one.
  workspaces = {},
  -- Node.js (the host needs 18 or later).
  node = 'node',
  -- The Taskwarrior binary.
  task = 'task',
  -- Where state, the activity log and backups go; nil = <workspace>/.planager.
  state_dir = nil,
  -- Pull Taskwarrior's changes when a tracked file is opened.
  pull_on_open = true,
  -- Push to Taskwarrior after a tracked file is written.
  push_on_write = true,
  -- Hide task ids (%#1a2b3c4d%) with conceal.
  conceal_ids = true,
  -- A parent's status follows its children (all done → done, …).
  propagate = true,
  -- Workspace-relative file for Taskwarrior tasks whose project matches no note; nil = leave them.
  inbox = nil,
  -- Git backups after syncs: 'state' (own repository), 'workspace' (yours), or false.
  backup = 'state',
  -- A sync that would delete or complete more than this share of what it touches stops.
  bulk_share = 0.5,
  bulk_min = 3,
  -- Seconds a `task` call may take.
  timeout = 30,
  -- Keep one `task import` started and waiting for its input, so that a write reaches
  -- Taskwarrior without waiting for `task` to start (see :help planager-speed).
  standby = true,
  -- :PlanagerSync also syncs with the other devices: the notes' git remote and Taskwarrior's
  -- server (`planager sync --remote`, :help planager-remote). `:Planager sync remote` does it once.
  remote = false,
  -- Log file (its path is shown by :checkhealth planager).
  log_file = nil,
  log_level = 'info',
  -- :Planager plan and agenda: the first day of a week, the workspace's own templates folder
  -- (relative to the workspace; nil = .planager/templates) and each kind's path pattern.
  plan = { week_start = 'monday', templates = nil, paths = {} },
}

local TYPES = {
  workspaces = 'table',
  node = 'string',
  task = 'string',
  state_dir = { 'string', 'nil' },
  pull_on_open = 'boolean',
  push_on_write = 'boolean',
  conceal_ids = 'boolean',
  propagate = 'boolean',
  inbox = { 'string', 'nil' },
  backup = { 'string', 'boolean' },
  bulk_share = 'number',
  bulk_min = 'number',
  timeout = 'number',
  standby = 'boolean',
  remote = 'boolean',
  log_file = { 'string', 'nil' },
  log_level = 'string',
  plan = 'table',
}

H.WEEKDAYS = { 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday' }
H.KINDS = { daily = true, weekly = true, monthly = true, review = true }

--- The plan options, checked as the CLI checks its flags (plan/period.ts parseWeekStart).
function H.check_plan(p)
  for k, _ in pairs(p) do
    if k ~= 'week_start' and k ~= 'templates' and k ~= 'paths' then
      H.fail(string.format('unknown option "plan.%s" (see :help planager-plan-options)', tostring(k)))
    end
  end
  local ws = p.week_start
  local hits = 0
  if type(ws) == 'string' and #ws >= 2 then
    for _, d in ipairs(H.WEEKDAYS) do
      if d:sub(1, #ws) == ws:lower() then
        hits = hits + 1
      end
    end
  end
  if hits ~= 1 then
    H.fail('option "plan.week_start" must be a weekday ("monday" … "sunday"), got ' .. vim.inspect(ws))
  end
  if p.templates ~= nil and (type(p.templates) ~= 'string' or p.templates == '') then
    H.fail('option "plan.templates" must be a folder path (a string) or nil')
  end
  if type(p.paths) ~= 'table' then
    H.fail('option "plan.paths" must be a table of kind = pattern')
  end
  for k, v in pairs(p.paths) do
    if not H.KINDS[k] then
      H.fail(string.format('option "plan.paths" has "%s": the kinds are daily, weekly, monthly, review', tostring(k)))
    end
    if type(v) ~= 'string' or not v:match('%.norg$') then
      H.fail(string.format('option "plan.paths.%s" must be a workspace path ending in .norg', k))
    end
  end
end

function H.fail(msg)
  error('(planager) ' .. msg, 0)
end

function H.type_ok(value, want)
  if type(want) == 'table' then
    for _, w in ipairs(want) do
      if type(value) == w then
        return true
      end
    end
    return false
  end
  return type(value) == want
end

function H.want_text(want)
  return type(want) == 'table' and table.concat(want, ' or ') or want
end

--- Merge `opts` over the defaults and check every field; raises on a bad one.
---@param opts? planager.Options
---@return planager.Config
function M.build(opts)
  if opts ~= nil and type(opts) ~= 'table' then
    H.fail('setup() takes a table, got ' .. type(opts))
  end
  opts = opts or {}
  for k, _ in pairs(opts) do
    if TYPES[k] == nil then
      H.fail(string.format('unknown option "%s" (see :help planager-options)', tostring(k)))
    end
  end
  local cfg = vim.tbl_deep_extend('force', {}, M.defaults, opts)
  for k, want in pairs(TYPES) do
    if not H.type_ok(cfg[k], want) then
      H.fail(string.format('option "%s" must be a %s, got %s', k, H.want_text(want), type(cfg[k])))
    end
  end
  if #cfg.workspaces == 0 then
    H.fail('set at least one workspace: require("planager").setup({ workspaces = { "~/notes" } })')
  end
  local uv = require('planager.compat').uv
  local roots = {}
  for i, w in ipairs(cfg.workspaces) do
    if type(w) ~= 'string' or w == '' then
      H.fail(string.format('workspaces[%d] must be a folder path (a string)', i))
    end
    local path = vim.fn.fnamemodify(vim.fn.expand(w), ':p'):gsub('/$', '')
    local stat = uv.fs_stat(path)
    if not stat or stat.type ~= 'directory' then
      H.fail(string.format('workspace "%s" is not a folder', w))
    end
    roots[#roots + 1] = path
  end
  cfg.workspaces = roots
  if cfg.backup ~= false and cfg.backup ~= 'state' and cfg.backup ~= 'workspace' then
    H.fail('option "backup" must be "state", "workspace" or false')
  end
  if cfg.backup == true then
    cfg.backup = 'state'
  end
  if cfg.bulk_share <= 0 or cfg.bulk_share > 1 then
    H.fail('option "bulk_share" must be in (0, 1]')
  end
  if cfg.bulk_min < 1 or cfg.timeout <= 0 then
    H.fail('options "bulk_min" and "timeout" must be positive')
  end
  if cfg.log_level ~= 'info' and cfg.log_level ~= 'debug' then
    H.fail('option "log_level" must be "info" or "debug"')
  end
  H.check_plan(cfg.plan)
  if cfg.plan.templates then
    cfg.plan.templates = vim.fn.expand(cfg.plan.templates)
  end
  if cfg.state_dir then
    cfg.state_dir = vim.fn.fnamemodify(vim.fn.expand(cfg.state_dir), ':p')
  end
  cfg.log_file = cfg.log_file and vim.fn.expand(cfg.log_file) or (vim.fn.stdpath('cache') .. '/planager.log')
  return cfg
end

return M
