-- Applying the host's edits to buffers, and hiding task ids.
local M = {}
local H = {}

H.ns = vim.api.nvim_create_namespace('planager')
--- Windows that have the id-concealing match (window handle → true).
H.concealed = {}

-- From this many edits on, if each stays within one line, they are applied as one
-- nvim_buf_set_lines per run of consecutive changed lines: one nvim_buf_set_text per edit
-- (with its extmark and redraw bookkeeping) made the 2,000 ids of a new note's first write
-- a stall of over half a second on 0.7.2. Unchanged lines are never replaced.
M.batch_from = 8

--- Each edit within one line, one replacement line, in descending order (last first)?
function H.batchable(edits)
  if #edits < M.batch_from then
    return false
  end
  local prev_row, prev_col = math.huge, math.huge
  for _, e in ipairs(edits) do
    if e[1] ~= e[3] or #e[5] ~= 1 or e[1] > prev_row or (e[1] == prev_row and e[4] > prev_col) then
      return false
    end
    prev_row, prev_col = e[1], e[2]
  end
  return true
end

--- Where a cursor ({row 1-based, byte col}) is after single-line edits: moved by the edits
--- on its line that end before it, as an extmark would be.
function H.shifted(pos, edits)
  local row, col = pos[1] - 1, pos[2]
  local shift = 0
  for _, e in ipairs(edits) do
    if e[1] == row then
      if e[4] <= col then
        shift = shift + #e[5][1] - (e[4] - e[2])
      elseif e[2] < col then
        shift = shift + e[2] - col
      end
    end
  end
  return { pos[1], math.max(0, col + shift) }
end

--- Apply single-line edits (last first) as one set_lines per run of consecutive lines.
function H.set_rows(bufnr, edits)
  local lo, hi = edits[#edits][1], edits[1][1]
  local rows = vim.api.nvim_buf_get_lines(bufnr, lo, hi + 1, true)
  local changed = {}
  for _, e in ipairs(edits) do
    local i = e[1] - lo + 1
    local line = rows[i]
    rows[i] = line:sub(1, e[2]) .. e[5][1] .. line:sub(e[4] + 1)
    changed[i] = true
  end
  local i, n, first = 1, hi - lo + 1, true
  while i <= n do
    if changed[i] then
      local j = i
      while j < n and changed[j + 1] do
        j = j + 1
      end
      local run = {}
      for k = i, j do
        run[#run + 1] = rows[k]
      end
      if not first then
        pcall(vim.cmd, 'undojoin')
      end
      first = false
      vim.api.nvim_buf_set_lines(bufnr, lo + i - 1, lo + j, true, run)
      i = j + 1
    else
      i = i + 1
    end
  end
end

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
  local batch = H.batchable(edits)
  local wins = vim.fn.win_findbuf(bufnr)
  local marks, cursors = {}, {}
  for _, win in ipairs(wins) do
    local pos = vim.api.nvim_win_get_cursor(win)
    if batch then
      cursors[win] = H.shifted(pos, edits)
    else
      marks[win] = vim.api.nvim_buf_set_extmark(bufnr, H.ns, pos[1] - 1, pos[2], {})
    end
  end
  vim.api.nvim_buf_call(bufnr, function()
    if batch then
      H.set_rows(bufnr, edits)
    else
      for i, e in ipairs(edits) do
        if i > 1 then
          pcall(vim.cmd, 'undojoin')
        end
        vim.api.nvim_buf_set_text(bufnr, e[1], e[2], e[3], e[4], e[5])
      end
    end
    if write then
      -- The note on disk must match what was synced; noautocmd: this is not a user write.
      vim.cmd('silent noautocmd keepalt write')
    end
  end)
  for win, pos in pairs(cursors) do
    if vim.api.nvim_win_is_valid(win) then
      pcall(vim.api.nvim_win_set_cursor, win, pos)
    end
  end
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
    -- One match for ids (%#…%), mirror markers (%@…%) and the project marker: each matchadd
    -- is part of what opening a note blocks.
    vim.fn.matchadd('Conceal', [[\s\?%\%(#\x\{4,32}\|@\x\{4,32}\|@project\|@stats\)%]], 10, -1, { conceal = '' })
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
