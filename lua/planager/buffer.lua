-- Applying the host's edits to buffers, and hiding task ids.
local M = {}
local H = {}

H.ns = vim.api.nvim_create_namespace('planager')
--- Windows that have the id-concealing match (window handle → true).
H.concealed = {}

--- Apply edits ({start_row, start_col, end_row, end_col, lines}, last first) as one undo
--- step, keeping the cursor on the text it was on. Returns 'ok', 'stale' or 'gone'.
function M.apply(bufnr, tick, edits, write)
  if not vim.api.nvim_buf_is_valid(bufnr) then
    return 'gone'
  end
  if tick ~= nil and vim.api.nvim_buf_get_changedtick(bufnr) ~= tick then
    return 'stale'
  end
  if #edits == 0 then
    return 'ok'
  end
  local wins = vim.fn.win_findbuf(bufnr)
  local marks = {}
  for _, win in ipairs(wins) do
    local pos = vim.api.nvim_win_get_cursor(win)
    marks[win] = vim.api.nvim_buf_set_extmark(bufnr, H.ns, pos[1] - 1, pos[2], {})
  end
  vim.api.nvim_buf_call(bufnr, function()
    for i, e in ipairs(edits) do
      if i > 1 then
        pcall(vim.cmd, 'undojoin')
      end
      vim.api.nvim_buf_set_text(bufnr, e[1], e[2], e[3], e[4], e[5])
    end
    if write then
      -- The note on disk must match what was synced; noautocmd: this is not a user write.
      vim.cmd('silent noautocmd keepalt write')
    end
  end)
  for win, id in pairs(marks) do
    local pos = vim.api.nvim_buf_get_extmark_by_id(bufnr, H.ns, id, {})
    if pos and pos[1] and vim.api.nvim_win_is_valid(win) then
      pcall(vim.api.nvim_win_set_cursor, win, { pos[1] + 1, pos[2] })
    end
    vim.api.nvim_buf_del_extmark(bufnr, H.ns, id)
  end
  return 'ok'
end

function M.lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

--- Hide `%#1a2b3c4d%` (and the space before it) in a window showing a tracked buffer, and
--- the mirror markers of plan notes (`%@1a2b3c4d%`, `%@project%`) the same way.
function M.conceal(win)
  -- A table, not a w: variable: reading a missing one raises (and catches) an error, and this
  -- runs on every open of a note (the whole of it is inside what `:edit` blocks).
  -- Window handles are never reused in a session.
  if H.concealed[win] then
    return
  end
  H.concealed[win] = true
  -- In the window (usually the current one already): its match and its 'conceallevel'.
  local function add()
    vim.fn.matchadd('Conceal', [[\s\?%#\x\{4,32}%]], 10, -1, { conceal = '' })
    vim.fn.matchadd('Conceal', [[\s\?%@\(\x\{4,32}\|project\)%]], 10, -1, { conceal = '' })
    if vim.api.nvim_get_option_value('conceallevel', { scope = 'local' }) == 0 then
      vim.api.nvim_set_option_value('conceallevel', 2, { scope = 'local' })
    end
  end
  if win == vim.api.nvim_get_current_win() then
    add()
  else
    vim.api.nvim_win_call(win, add)
  end
end

return M
