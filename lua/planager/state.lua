-- The state the modules share, kept here once: the config setup() built, the last status the
-- host sent, and which buffers are tracked notes (that depends on the config).
local M = {}
local H = {}

---@class planager.Status
---@field running boolean A sync is under way.
---@field lastSync string|nil ISO time (UTC) of the last finished sync.
---@field pendingPushes integer Writes not yet in Taskwarrior.
---@field conflicts integer Conflicts the last sync resolved.
---@field lastError string|nil The last sync's error, if it failed.

--- The config from setup(); nil before it.
---@type planager.Config|nil
M.cfg = nil

--- The host's last status report (JSON null arrives as vim.NIL).
---@type planager.Status|nil
M.status = nil

--- A buffer's absolute path, or nil for an unnamed buffer.
---@param bufnr integer
---@return string|nil
function M.path(bufnr)
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
---@param bufnr? integer 0 or nil: the current buffer
---@return boolean
function M.tracked(bufnr)
  local cfg = M.cfg
  if not cfg then
    return false
  end
  local path = M.path(bufnr or 0)
  if not path or not path:match('%.norg$') then
    return false
  end
  for _, root in ipairs(cfg.workspaces) do
    if H.under(path, root) then
      return true
    end
  end
  return false
end

function H.under(path, root)
  return path:sub(1, #root + 1) == root .. '/'
end

--- Every loaded buffer that is a tracked note.
---@return integer[]
function M.tracked_bufs()
  local out = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and M.tracked(b) then
      out[#out + 1] = b
    end
  end
  return out
end

return M
