-- The library's run (src/runtime/vm-worker.ts): the chunk under the runtime's message handler, in the
-- driver thread so luahttp's tasks run while it waits. When it ends, unfinished tasks are cancelled
-- and failures nobody waited for are reported on stderr, as the CLI does (lua/runtime/cli.lua).
local handler = ...
local pack, unpack, xpcall = table.pack, table.unpack, xpcall
local stderr = io.stderr
local loaded = package.loaded

local function report(msg)
  stderr:write("luahttp: ", msg, "\n")
end

-- Returns xpcall's results: true and the chunk's values, or false and the error value.
return function(f, ...)
  local r = pack(xpcall(f, handler, ...))
  local tasks = loaded["luahttp.tasks"]
  if tasks then tasks.atexit(report) end
  return unpack(r, 1, r.n)
end
