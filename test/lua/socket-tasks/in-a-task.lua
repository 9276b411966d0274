-- Runs one differential script (test/lua/<name>.lua, recorded from native lua5.4 + LuaSocket) inside
-- a luahttp task, with the script's own arguments: every blocking call it makes then waits by yielding
-- (src/vm/op-waiter.ts), and its output must still be the golden one.
-- args: script args…
local lh = require "luahttp"
local script = table.remove(arg, 1)
local chunk = assert(loadfile(script))
lh.spawn(chunk, table.unpack(arg)):wait()
