-- :checkhealth planager (works on 0.7.2, where vim.health does not exist, and on 0.10/0.11).
local M = {}

function M.check()
  local h = require('planager.compat').health()
  local host = require('planager.host')
  local cfg = require('planager').config()

  h.start('Neovim')
  local v = vim.version()
  local ver = string.format('%d.%d.%d', v.major, v.minor, v.patch)
  if v.major == 0 and v.minor < 7 then
    h.error('Neovim ' .. ver .. ' is too old; Planager needs 0.7.2 or later')
  else
    h.ok('Neovim ' .. ver)
  end

  h.start('Setup')
  if not cfg then
    h.error('require("planager").setup({ workspaces = { ... } }) has not been called')
    return
  end
  h.ok('setup() called')
  h.info('log file: ' .. cfg.log_file)

  h.start('Node.js and the host')
  if vim.fn.executable(cfg.node) == 1 then
    local out = vim.fn.system({ cfg.node, '--version' })
    h.ok('node: ' .. vim.trim(out))
  else
    h.error('"' .. cfg.node .. '" is not on PATH (install Node.js 18 or later, or set the node option)')
  end
  if vim.fn.filereadable(host.script()) == 1 then
    h.ok('host: ' .. host.script())
    local t0 = (vim.uv or vim.loop).hrtime()
    local res, err = host.request('ping')
    if res then
      local ms = ((vim.uv or vim.loop).hrtime() - t0) / 1e6
      h.ok(string.format('host handshake: pid %d, node %s, %.0f ms', res.pid, res.node, ms))
    else
      h.error('host handshake failed: ' .. tostring(err) .. ' (see ' .. cfg.log_file .. ')')
    end
  else
    h.error('the host is not built: run `npm ci && npm run build` in ' .. host.root())
  end

  h.start('Taskwarrior')
  if vim.fn.executable(cfg.task) == 1 then
    local out = vim.fn.system({ cfg.task, '--version' })
    if vim.v.shell_error == 0 then
      h.ok('task ' .. vim.trim(out))
    else
      h.warn('task --version failed: ' .. vim.trim(out))
    end
    h.info('TASKRC=' .. (vim.env.TASKRC or '~/.taskrc') .. '  TASKDATA=' .. (vim.env.TASKDATA or '(from the rc file)'))
  else
    h.error('"' .. cfg.task .. '" is not on PATH (install taskwarrior)')
  end

  h.start('git')
  if vim.fn.executable('git') == 1 then
    h.ok(vim.trim(vim.fn.system({ 'git', '--version' })))
  elseif cfg.backup then
    h.warn('git is not on PATH: backups are off until it is installed')
  else
    h.info('git not found (backups are off)')
  end

  h.start('Workspaces')
  for _, w in ipairs(cfg.workspaces) do
    local files = vim.fn.globpath(w, '**/*.norg', false, true)
    files = vim.tbl_filter(function(f)
      return not f:find('/%.')
    end, files)
    h.ok(string.format('%s: %d tracked note(s)', w, #files))
    local state = cfg.state_dir or (w .. '/.planager')
    vim.fn.mkdir(state, 'p')
    local probe = state .. '/.health-probe'
    local f = io.open(probe, 'w')
    if f then
      f:close()
      os.remove(probe)
      h.ok('state folder writable: ' .. state)
    else
      h.error('state folder not writable: ' .. state)
    end
  end
end

return M
