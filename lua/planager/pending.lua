-- Writes not yet confirmed in Taskwarrior, one small file per note in stdpath('data'), so that
-- a write whose push did not happen (Neovim quit right after it, before or while the host
-- started: `:wq`, `:w | qa`) is pushed when the next host starts (the next open of any note).
-- The host removes a note's entry once its push succeeded, if the entry is still the one that
-- push was for (the token).
local M = {}
local H = { made = false, seq = 0 }

local host = require('planager.host')

--- The entry's file name for a note: its path with every `/` as `%` (as 'undofile' does).
---@param path string
---@return string
function M.entry(path)
  return host.pending_dir() .. '/' .. path:gsub('/', '%%')
end

--- Record that `path` was written and its push is due. Returns the token, or nil when the
--- entry could not be written (then the next sync is what picks the write up).
---@param path string
---@return string|nil
function M.mark(path)
  if not H.made then
    vim.fn.mkdir(host.pending_dir(), 'p')
    H.made = true
  end
  H.seq = H.seq + 1
  local token = string.format('%d.%d', vim.fn.getpid(), H.seq)
  local f = io.open(M.entry(path), 'w')
  if not f then
    return nil
  end
  f:write(token, '\n', path, '\n')
  f:close()
  return token
end

return M
