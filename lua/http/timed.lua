-- Waits with a timeout that does not end what is waited for (lua-http's per-call timeouts): the
-- operation runs as a luahttp task; a caller whose time runs out gets false and can wait for the same
-- operation again later (a stream's next read takes the piece a timed-out read was waiting for, as
-- cqueues leaves unread bytes in the socket). Where Lua cannot yield (a C boundary) or no scheduler
-- runs tasks, the operation runs to its end at once and the timeout does not apply.
local tasks = require("luahttp.tasks")
local waits = require("luahttp.coroutines")

local sched, canyield = waits.scheduler, waits.canyield
local pack, unpack = table.pack, table.unpack

local M = {}

--- whether timed waits work here.
function M.available()
  return sched ~= nil and canyield()
end

-- Wakes the caller parked in wait(), once: a second wake-up would resume it inside whatever it waits
-- for next.
local function wake(op)
  local waiter = op.waiter
  if waiter then
    op.waiter = nil
    sched.wakeup(waiter)
  end
end

--- start(f, ...) → op: f(...) runs as a task; its results land in op.results.
function M.start(f, ...)
  local op = {}
  op.task = tasks.spawn(function(...)
    op.results = pack(f(...))
    wake(op)
  end, ...)
  return op
end

--- wait(op [, timeout]) → true once op ended (results in op.results), false when timeout passed first.
function M.wait(op, timeout)
  if op.results then return true end
  local me = sched.running()
  local timedout = false
  local turn = {}
  op.turn = turn
  if timeout then
    tasks.spawn(function()
      tasks.sleep(timeout > 0 and timeout or 0)
      -- Only this wait's own timer ends it (an earlier wait on the same op may have left one running).
      if op.turn == turn and op.results == nil then
        timedout = true
        if op.waiter == me then wake(op) end
      end
    end)
  end
  if not (op.results or timedout) then
    op.waiter = me
    sched.park(function() return op.results ~= nil or timedout end, 2)
    op.waiter = nil
  end
  return op.results ~= nil
end

--- results(op): what f returned.
function M.results(op)
  local r = op.results
  return unpack(r, 1, r.n)
end

return M
