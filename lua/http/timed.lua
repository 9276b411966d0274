-- Waits with a timeout that does not end what is waited for (lua-http's per-call timeouts): the
-- operation runs as a luahttp task; a caller whose time runs out gets false and can wait for the same
-- operation again later (a stream's next read takes the piece a timed-out read was waiting for, as
-- cqueues leaves unread bytes in the socket). Where Lua cannot yield (a C boundary) or no scheduler
-- runs tasks, the operation runs to its end at once and the timeout does not apply.
local tasks = require("luahttp.tasks")
local waits = require("luahttp.coroutines")
local socket = require("socket")

local sched, canyield = waits.scheduler, waits.canyield
local pack, unpack = table.pack, table.unpack
local now = socket.gettime

local M = {}

-- A timer may wake this much before its deadline (clock resolution); that still counts as reached.
local SLACK = 0.001

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
    op.done = true
    wake(op)
  end, ...)
  return op
end

--- clock(): the timer of one owner's successive waits (a stream's reads). It keeps at most about one
--- sleeping timer task however many reads wait: a timer that fires before the current wait's deadline
--- sleeps again for the rest, and a wait never starts a timer while one fires earlier than it needs.
function M.clock()
  return {}
end

local arm
local function fire(clock, at)
  if clock.at == at then clock.at = nil end
  local w = clock.current
  if not w then return end
  if now() + SLACK >= w.deadline then
    w.timedout = true
    if w.op.waiter == w.me then wake(w.op) end
  else
    arm(clock, w.deadline)
  end
end
function arm(clock, deadline)
  if clock.at and clock.at <= deadline then return end
  clock.at = deadline
  tasks.spawn(function()
    tasks.sleep(math.max(deadline - now(), 0))
    fire(clock, deadline)
  end)
end

--- wait(op [, timeout [, clock]]) → true once op ended (results in op.results), false when timeout
--- passed first.
function M.wait(op, timeout, clock)
  if op.done then return true end
  local me = sched.running()
  local w
  if timeout then
    -- A zero timeout still gives the operation one turn: what has reached luahttp counts as there.
    clock = clock or {}
    w = { op = op, me = me, deadline = now() + timeout, timedout = false }
    clock.current = w
    arm(clock, w.deadline)
  end
  op.waiter = me
  sched.park(function() return op.done or (w ~= nil and w.timedout) end, 2)
  op.waiter = nil
  if clock and clock.current == w then clock.current = nil end
  return op.done == true
end

--- results(op): what f returned.
function M.results(op)
  local r = op.results
  return unpack(r, 1, r.n)
end

return M
