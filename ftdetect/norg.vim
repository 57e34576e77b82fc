" Neovim 0.7.2 knows no norg filetype, and Neorg may be absent: give .norg files one.
" setfiletype never overrides a filetype already set (Neorg's, or 0.10's built-in one).
autocmd BufNewFile,BufRead *.norg setfiletype norg
