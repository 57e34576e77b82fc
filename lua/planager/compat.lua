-- Shims for Neovim 0.7.2 (Debian) through 0.11: libuv, health reporting.
local M = {}

M.uv = vim.uv or vim.loop

local function health_fn(new, old)
  local h = vim.health
  if h and h[new] then
    return h[new]
  end
  local ok, legacy = pcall(require, 'health')
  if ok and legacy[old] then
    return legacy[old]
  end
  return function(msg)
    print(msg)
  end
end

function M.health()
  return {
    start = health_fn('start', 'report_start'),
    ok = health_fn('ok', 'report_ok'),
    warn = health_fn('warn', 'report_warn'),
    error = health_fn('error', 'report_error'),
    info = health_fn('info', 'report_info'),
  }
end

return M
