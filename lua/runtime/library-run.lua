-- The library's run (src/runtime/vm-worker.ts): the chunk under the runtime's message handler, in the
-- driver thread so luahttp's tasks run while it waits. When it ends, unfinished tasks are cancelled
-- and failures nobody waited for are reported on stderr, as the CLI does (lua/runtime/cli.lua).
local handler = ...
local xpcall = xpcall
local stderr = io.stderr
local loaded = package.loaded

local function report(msg)
  stderr:write("luahttp: ", msg, "\n")
end

-- No table is built here: after a memory error the heap is full of the chunk's garbage, and one
-- allocation would cost a full emergency collection before the runtime replaces this VM anyway.
local function finish(ok, ...)
  if ok or (...) ~= "not enough memory" then
    local tasks = loaded["luahttp.tasks"]
    if tasks then tasks.atexit(report) end
  end
  return ok, ...
end

-- Returns xpcall's results: true and the chunk's values, or false and the error value.
return function(f, ...)
  return finish(xpcall(f, handler, ...))
end
