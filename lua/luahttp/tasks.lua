-- luahttp's tasks: `require "luahttp"`.spawn/all/semaphore. A task is a coroutine the scheduler in
-- lua/runtime/coroutines.lua resumes when the operation it waits for has finished, so many requests are
-- in flight while each task's code stays blocking-style. Tasks run while the main flow waits (a
-- request, socket.sleep, t:wait(), lh.all, sem:acquire), as copas's threads and OpenResty's
-- ngx.thread do; outside tasks nothing changes. Where there is no scheduler (Lua where luahttp blocks
-- instead of yielding) a task runs to its end inside spawn: same results, one at a time.
local waits = require("luahttp.coroutines")
local sched = waits.scheduler
local PENDING = waits.PENDING
local create, status, close = coroutine.create, coroutine.status, coroutine.close
local resume = sched and sched.rawresume or coroutine.resume
local pack, unpack = table.pack, table.unpack
-- The scheduler keeps boot's traceback: the embedding API's sandbox has no debug library, and a failure
-- report reads as in the CLI. Without a scheduler, none.
local traceback = sched and sched.traceback or debug and debug.traceback or function(msg) return msg end
local type, error, select = type, error, select

local Task = {}
Task.__index = Task
Task.__name = "luahttp.task"

local M = {}
local live = {}       -- tasks not ended yet
local nlive = 0

-- While tasks run, socket.sleep is a timer the scheduler waits for, so the other tasks run on; with
-- no task alive it is LuaSocket's own function again (its argument errors then read exactly as
-- LuaSocket's; a wrapper's frame would show in them).
local rawsleep, cooperative
local function adopt(socket)
  if not sched or not socket or nlive == 0 then return end
  if not rawsleep then
    rawsleep = socket.sleep
    cooperative = function(...)
      local s = ...
      local n = tonumber(s)
      if n == nil or type(s) ~= "number" and type(s) ~= "string" then
        local got = select("#", ...) == 0 and "no value" or type(s)
        error(("bad argument #1 to 'sleep' (number expected, got %s)"):format(got), 2)
      end
      if waits.canyield() then
        sched.sleep(n > 0 and n or 0)
      else
        rawsleep(n)
      end
    end
  end
  if socket.sleep == rawsleep then socket.sleep = cooperative end
end
M.adopt = adopt

local function setlive(task, on)
  if on then
    live[task] = true
    nlive = nlive + 1
    if nlive == 1 then adopt(package.loaded["socket.core"]) end
  elseif live[task] then
    live[task] = nil
    nlive = nlive - 1
    local socket = package.loaded["socket.core"]
    if nlive == 0 and socket and cooperative and socket.sleep == cooperative then socket.sleep = rawsleep end
  else
    return
  end
  if sched and sched.setalive then sched.setalive(nlive) end
end
local failed = {}     -- tasks that ended by an error, in order; reported at exit unless waited for

local function finish(task, r)
  task.done = true
  setlive(task, false)
  if r[2] then
    task.results = r
  else
    task.err = r[3]
    failed[#failed + 1] = task
  end
  local joiners = task.joiners
  task.joiners = nil
  for i = 1, #joiners do sched.wakeup(joiners[i]) end
end

-- Runs a task until it waits or ends.
local function step(task, ...)
  local prev = sched and sched.setcurrent(task)
  local r = pack(resume(task.co, ...))
  if sched then sched.setcurrent(prev) end
  if status(task.co) == "dead" then
    if not r[1] then r = pack(true, false, r[2]) end
    finish(task, r)
  elseif not (r[1] and r[2] == PENDING) then
    -- coroutine.yield() at the task's own level: give the others a turn.
    if sched then sched.yieldturn(task) else return step(task) end
  end
end
if sched then sched.setstep(step) end

local function callable(f)
  if type(f) == "function" then return true end
  local mt = getmetatable(f)
  return mt ~= nil and type(mt) == "table" and mt.__call ~= nil
end

--- spawn(f, ...): starts f(...) as a task now (it runs until its first wait) and returns the task.
function M.spawn(f, ...)
  if not callable(f) then
    error(("bad argument #1 to 'spawn' (function expected, got %s)"):format(f == nil and "no value" or type(f)), 2)
  end
  local task = setmetatable({ done = false, joiners = {}, waited = false }, Task)
  task.co = create(function(...)
    return xpcall(f, function(e)
      -- Level 1 is the function that raised; the task's own frames read as one "[C]: in ?" line,
      -- as the main chunk's caller does (lua/runtime/traceback.lua).
      task.traceback = traceback(tostring(e), 1)
      return e
    end, ...)
  end)
  setlive(task, true)
  step(task, ...)
  return task
end

--- task:wait(): blocks the caller until the task ends; its results, or its error raised again.
function Task:wait()
  if getmetatable(self) ~= Task then error("bad argument #1 to 'wait' (luahttp.task expected)", 2) end
  if not self.done then
    local me = sched and sched.running()
    if me == self then error("luahttp: a task cannot wait for itself", 2) end
    if me then self.joiners[#self.joiners + 1] = me end
    sched.park(function() return self.done end, 2)
  end
  self.waited = true
  if not self.results then error(self.err, 0) end
  return unpack(self.results, 3, self.results.n)
end

--- task:done(): whether the task has ended.
function Task:isdone()
  return self.done
end

Task.__tostring = function(self) return ("luahttp.task (%s)"):format(self.done and "done" or "running") end

--- all(tasks): waits for every task; results[i] = { ok, ... } as pcall gives for tasks[i]:wait().
function M.all(tasks)
  if type(tasks) ~= "table" then
    error(("bad argument #1 to 'all' (table expected, got %s)"):format(tasks == nil and "no value" or type(tasks)), 2)
  end
  local results = {}
  for i = 1, #tasks do
    local t = tasks[i]
    if getmetatable(t) ~= Task then error(("bad argument #1 to 'all' (item %d is not a task)"):format(i), 2) end
    results[i] = pack(pcall(t.wait, t))
  end
  return results
end

local Semaphore = {}
Semaphore.__index = Semaphore
Semaphore.__name = "luahttp.semaphore"

--- semaphore(n): n permits; acquire() waits for one (first come, first served), release() gives one back.
function M.semaphore(n)
  n = math.tointeger(n)
  if not n or n < 0 then error("bad argument #1 to 'semaphore' (non-negative integer expected)", 2) end
  return setmetatable({ count = n, queue = {}, head = 1 }, Semaphore)
end

function Semaphore:acquire()
  if self.count > 0 and self.head > #self.queue then
    self.count = self.count - 1
    return true
  end
  local ticket = { granted = false, task = sched and sched.running() }
  self.queue[#self.queue + 1] = ticket
  if not sched then error("luahttp: a semaphore with no permits would wait forever here (no task scheduler)", 2) end
  sched.park(function() return ticket.granted end, 2)
  return true
end

function Semaphore:release()
  local ticket = self.queue[self.head]
  if ticket then
    self.queue[self.head] = nil
    self.head = self.head + 1
    ticket.granted = true
    if ticket.task then sched.wakeup(ticket.task) end
  else
    self.count = self.count + 1
  end
end

--- sleep(seconds): socket.sleep that lets the other tasks run meanwhile.
function M.sleep(seconds)
  if type(seconds) ~= "number" then
    error(("bad argument #1 to 'sleep' (number expected, got %s)"):format(seconds == nil and "no value" or type(seconds)), 2)
  end
  if sched and waits.canyield() then
    sched.sleep(seconds > 0 and seconds or 0)
  else
    require("socket").sleep(seconds)
  end
end

--- At the end of the script: unfinished tasks are cancelled (their to-be-closed variables run); a task
--- that failed and was never waited for is reported through report(message).
function M.atexit(report)
  local cancelled = false
  for task in pairs(live) do
    setlive(task, false)
    close(task.co)
    cancelled = true
  end
  if cancelled and sched and sched.abandon then sched.abandon() end
  local unwaited = failed
  failed = {}
  if sched then sched.reset() end
  for i = 1, #unwaited do
    local task = unwaited[i]
    if not task.waited then
      report("task failed and was never waited for: " .. (task.traceback or tostring(task.err)))
    end
  end
end

return M
