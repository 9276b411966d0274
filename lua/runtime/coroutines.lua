-- The CLI runs the script inside one coroutine (the "driver thread") so a network wait can yield to
-- Node's event loop instead of crossing threads (4 thread hand-offs per request became none). This
-- file keeps the `lua` CLI's coroutine semantics for the script:
--  * luahttp's own yields (first value PENDING) pass through the script's coroutines to the driver;
--  * at top level, isyieldable() is false, running() is the main thread, yield() is an error;
--  * where a yield cannot cross (a C boundary such as a gsub callback, sort comparator, __tostring or
--    require loader), `canyield()` is false and the network call blocks through the I/O host thread.
-- It also schedules luahttp's tasks (require "luahttp".spawn): each in-process operation has a ticket;
-- the driver resumes with the ticket of one that finished, and the task waiting for it runs on.
-- Tasks run while the main flow waits (cooperatively, as copas and ngx.thread do).
-- tasksonly (the library's VM worker): waits yield only while tasks live; otherwise they block, the
-- fastest way when the I/O host is another thread.
local driver, PENDING, sys, tasksonly = ...

local co = coroutine
local create, resume, yield, status, running = co.create, co.resume, co.yield, co.status, co.running
local isyieldable, close = co.isyieldable, co.close
local pack, unpack, error = table.pack, table.unpack, error
local mainthread = debug.getregistry()[1] -- LUA_RIDX_MAINTHREAD
-- boot.lua's traceback, kept for tasks' failure reports: the library's sandbox removes `debug` later.
local traceback = debug.traceback

-- How many coroutine resumes on the current stack were made from a context that cannot yield.
local blocked = 0

local function canyield()
  return blocked == 0 and isyieldable()
end

-- Tasks alive (lua/luahttp/tasks.lua keeps the count). While there are any, luahttp's blocking C
-- functions (socket I/O, select, dns, LuaSec) wait by yielding wherever the code can yield, so the
-- other tasks run; with none, they block as LuaSocket's do (src/vm/op-waiter.ts asks this).
local alive = 0
local function cooperative()
  return alive > 0 and canyield()
end

-- Whether an HTTP request or host function call should wait by yielding (else it blocks): always
-- where the code can yield, or with tasksonly (the library's VM worker) as cooperative() says.
local function wantsyield()
  return blocked == 0 and isyieldable() and (alive > 0 or not tasksonly)
end

-- resume that forwards luahttp's waits from inside the coroutine out to the driver.
local function forwarding(c, ...)
  local outer = canyield()
  if not outer then blocked = blocked + 1 end
  local r = pack(resume(c, ...))
  while outer and r[1] and r[2] == PENDING and status(c) == "suspended" do
    -- What the driver (or the task scheduler) resumes with goes on to the waiting code.
    r = pack(resume(c, yield(PENDING)))
  end
  if not outer then blocked = blocked - 1 end
  return r
end

function co.resume(c, ...)
  local r = forwarding(c, ...)
  return unpack(r, 1, r.n)
end

function co.wrap(f)
  local c = create(f)
  return function(...)
    local r = forwarding(c, ...)
    if r[1] then return unpack(r, 2, r.n) end
    local err = r[2]
    if status(c) == "dead" then close(c) end
    error(err, type(err) == "string" and 2 or 0)
  end
end

function co.isyieldable(c)
  if c == nil then c = running() end
  if c == driver or c == mainthread then return false end
  return isyieldable(c)
end

function co.running()
  local c, ismain = running()
  if c == driver then return mainthread, true end
  return c, ismain
end

function co.status(c)
  if c == mainthread and running() == driver then return "running" end
  return status(c)
end

function co.yield(...)
  if running() == driver then error("attempt to yield from outside a coroutine", 0) end
  return yield(...)
end

function co.close(c)
  if c == mainthread and running() == driver then error("cannot close a running coroutine", 2) end
  return close(c)
end

local lastticket, timer, abandonwaits = sys.lastticket, sys.timer, sys.abandonwaits

-- The scheduler. `current` is the task running now (nil: the main flow). A task that waits yields
-- PENDING to whoever resumed it (the scheduler); the main flow waits by yielding to the driver and
-- running the tasks whose operations finished meanwhile.
local current = nil
local waiters = {}   -- ticket -> task waiting for it
local finished = {}  -- tickets that finished before anyone waited for them
local runnable, rhead, rtail = {}, 1, 0

local function wakeup(task)
  rtail = rtail + 1
  runnable[rtail] = task
end

local step -- set by the task module (lua/luahttp/tasks.lua): runs a task until it waits or ends

local function runready()
  while rhead <= rtail do
    local task = runnable[rhead]
    runnable[rhead] = nil
    rhead = rhead + 1
    step(task)
  end
  rhead, rtail = 1, 0
end

local function dispatch(ticket)
  local task = waiters[ticket]
  if task then
    waiters[ticket] = nil
    wakeup(task)
  else
    finished[ticket] = true
  end
end

--- Waits in the main flow until done() holds, running tasks meanwhile. level: for error positions.
local function drive(done, level)
  while true do
    if step then runready() end
    if done() then return end
    if not canyield() then
      error("luahttp: cannot wait for a task here (a C boundary: the script cannot yield)", level + 1)
    end
    local ticket = yield(PENDING)
    if ticket == 0 then
      error("luahttp: deadlock: every task waits and no operation is in flight", level + 1)
    end
    dispatch(ticket)
  end
end

--- Waits for luahttp's pending network operation: yields to the driver when the context allows.
local function await()
  local ticket = lastticket()
  if current then
    waiters[ticket] = current
    return yield(PENDING)
  end
  if finished[ticket] then finished[ticket] = nil; return end
  drive(function() return finished[ticket] end, 2)
  finished[ticket] = nil
end

--- Parks the running task (or drives the scheduler from the main flow) until done() holds; the code
--- that makes it hold calls wakeup(task) for a parked task.
local function park(done, level)
  if current then
    if not canyield() then
      error("luahttp: cannot wait for a task here (a C boundary: the script cannot yield)", (level or 1) + 1)
    end
    local me = current
    repeat yield(PENDING) until done()
    return me
  end
  drive(done, (level or 1) + 1)
end

--- A timer operation of `seconds`, waited for like a network operation (socket.sleep inside tasks).
local function sleep(seconds)
  timer(seconds)
  return await()
end

--- A task's plain coroutine.yield at its top level: it runs on at the next turn, after I/O is looked at.
local function yieldturn(task)
  waiters[timer(0)] = task
end

local scheduler = {
  rawresume = resume,
  yieldturn = yieldturn,
  wakeup = wakeup,
  park = park,
  sleep = sleep,
  running = function() return current end,
  setcurrent = function(task) local prev = current; current = task; return prev end,
  setstep = function(f) step = f end,
  setalive = function(n) alive = n end,
  traceback = traceback,
  -- The main chunk ended and the tasks are cancelled: waits they left are dropped, their sockets closed.
  abandon = function() abandonwaits() end,
  -- The run is over (its tasks cancelled, its tickets forgotten): nothing waits any more.
  reset = function()
    waiters, finished, runnable, rhead, rtail, current = {}, {}, {}, 1, 0, nil
  end,
}

return { canyield = canyield, wantsyield = wantsyield, await = await, cooperative = cooperative, PENDING = PENDING, scheduler = scheduler }
