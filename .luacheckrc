-- luacheck lua/ (npm run lint:lua): Neovim's Lua is LuaJIT, with `vim` the one global.
std = 'luajit'
globals = { 'vim' }
max_line_length = 120
