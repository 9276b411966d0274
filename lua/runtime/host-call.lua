-- The app's host functions as Lua sees them (src/cores/host-functions.ts): a blocking call. Inside
-- luahttp's tasks the call waits by yielding, so the other tasks (and the app's other calls) run
-- meanwhile; everywhere else it blocks the VM thread until the app answers.
local waits = package.loaded["luahttp.coroutines"]
local wantsyield, await = waits.wantsyield, waits.await

-- call(...) blocks; start(...) submits the call and returns its ticket; finish(ticket) gives its results.
return function(call, start, finish)
  if not wantsyield then return call end
  return function(...)
    if not wantsyield() then return call(...) end
    local ticket = start(...)
    await()
    return finish(ticket)
  end
end
