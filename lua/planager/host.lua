-- The TypeScript host: started lazily with jobstart({node, host}, {rpc = true}) on the first
-- tracked buffer, restarted once if it crashes, gone with Neovim (its stdin closes).
-- "Running" is the process; "ready" is its own word (it calls _ready once setup is done):
-- nothing on the write path sends a request before that, so a write never waits for Node.
local M = {}
local H = { chan = nil, ready = false, restarts = 0, stopping = false, leaving = false, started_at = nil }

-- The config lives in planager.state (set by setup()); read it there, never copy it.
local state = require('planager.state')

M.max_restarts = 1

function M.root()
  local src = debug.getinfo(1, 'S').source:sub(2)
  return vim.fn.fnamemodify(src, ':p:h:h:h')
end

function M.script()
  return M.root() .. '/dist/host.cjs'
end

function H.log(msg)
  local cfg = state.cfg
  if not cfg then
    return
  end
  local f = io.open(cfg.log_file, 'a')
  if f then
    f:write(os.date('!%Y-%m-%dT%H:%M:%SZ') .. ' LUA ' .. msg .. '\n')
    f:close()
  end
end
M.log = H.log

function M.running()
  return H.chan ~= nil
end

function M.channel()
  return H.chan
end

--- Has the running host finished its setup (it answers at once)?
function M.ready()
  return H.chan ~= nil and H.ready
end

--- Called by the host (through planager.rpc) once its setup is done; a replaced host's call
--- (another pid) does not count.
---@param pid integer
function M._ready(pid)
  if H.chan and (pid == nil or pid == M.pid()) then
    H.ready = true
  end
end

--- Per-user folders: the host's V8 code cache, and the writes not yet confirmed in Taskwarrior.
function M.cache_dir()
  return vim.fn.stdpath('cache') .. '/planager'
end

function M.pending_dir()
  return vim.fn.stdpath('data') .. '/planager/pending'
end

function M.pid()
  if not H.chan then
    return nil
  end
  local ok, pid = pcall(vim.fn.jobpid, H.chan)
  return ok and pid or nil
end

function H.session_config()
  local c = state.cfg
  return {
    workspaces = c.workspaces,
    task = c.task,
    stateDir = c.state_dir,
    inbox = c.inbox,
    backup = c.backup,
    propagate = c.propagate,
    bulkShare = c.bulk_share,
    bulkMin = c.bulk_min,
    timeoutMs = c.timeout * 1000,
    standby = c.standby,
    pendingDir = M.pending_dir(),
    nvimPid = vim.fn.getpid(),
  }
end

--- Start the host if it is not running. Returns the channel, or nil and a message.
function M.ensure()
  if H.chan then
    return H.chan
  end
  -- Neovim is exiting: a host started now (a pull scheduled by `:e note | qa!`) would keep it
  -- alive for good. Nothing to report either.
  if H.leaving then
    return nil, nil
  end
  local script = M.script()
  if vim.fn.filereadable(script) == 0 then
    return nil, 'the host is not built: run `npm ci && npm run build` in ' .. M.root()
  end
  if vim.fn.executable(state.cfg.node) == 0 then
    return nil, string.format('"%s" (Node.js) is not on PATH; set the node option', state.cfg.node)
  end
  H.stopping = false
  local env = {
    PLANAGER_LOG = state.cfg.log_file,
    PLANAGER_LOG_LEVEL = state.cfg.log_level,
    -- Where the host keeps V8's code cache of its bundle (validated; a bad one is ignored).
    PLANAGER_CACHE = M.cache_dir(),
  }
  local ok, chan = pcall(vim.fn.jobstart, { state.cfg.node, script }, {
    rpc = true,
    env = env,
    on_stderr = function(_, data)
      local text = table.concat(data or {}, '\n')
      if text:match('%S') then
        H.log('host stderr: ' .. text)
      end
    end,
    on_exit = function(job, code)
      -- Only the current host's exit matters: a host replaced by stop() and ensure() is gone on purpose.
      if H.chan ~= job then
        return
      end
      H.chan = nil
      H.ready = false
      if H.stopping or H.leaving or code == 0 then
        return
      end
      H.log('host exited with code ' .. tostring(code))
      if H.restarts < M.max_restarts then
        H.restarts = H.restarts + 1
        vim.schedule(function()
          local c = M.ensure()
          if c then
            require('planager.rpc')._notify('warn', 'the host stopped (exit ' .. code .. ') and was restarted')
          end
        end)
      else
        vim.schedule(function()
          local msg = 'the host stopped again (exit ' .. code .. '); see ' .. state.cfg.log_file
          require('planager.rpc')._notify('error', msg)
        end)
      end
    end,
  })
  if not ok or chan <= 0 then
    return nil, 'could not start the host: ' .. tostring(chan)
  end
  H.chan = chan
  H.ready = false
  H.started_at = (vim.uv or vim.loop).hrtime()
  -- A notification, not a request: opening a file never waits for Node to start. The host
  -- handles messages in order and holds later ones until setup is done.
  vim.rpcnotify(chan, 'setup', H.session_config())
  return chan
end

function M.request(method, ...)
  local chan, err = M.ensure()
  if not chan then
    return nil, err
  end
  local ok, res = pcall(vim.rpcrequest, chan, method, ...)
  if not ok then
    return nil, tostring(res)
  end
  return res
end

function M.notify(method, ...)
  local chan, err = M.ensure()
  if not chan then
    return nil, err
  end
  vim.rpcnotify(chan, method, ...)
  return true
end

--- Neovim is exiting (VimLeavePre): stop the host and never start another.
function M.leave()
  H.leaving = true
  M.stop()
end

function M.stop()
  if H.chan then
    local chan = H.chan
    H.stopping = true
    H.chan = nil
    H.ready = false
    pcall(vim.fn.jobstop, chan)
  end
end

return M
