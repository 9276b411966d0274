-- cqueues.condition on luahttp's tasks (issue 15): new([lifo]), type, cond:wait([timeout]) →
-- true when signalled, false, timeout when the time ran out; cond:signal([n]) wakes n waiters (all
-- when nil) in arrival order (newest first for a lifo condition) and answers how many it woke.
-- Waiting suspends a function run by cq:wrap (a luahttp task); in the main chunk it is the error
-- cqueues gives there. waitany() is what cqueues.poll waits with.
local tasks = require("luahttp.tasks")
local waits = require("luahttp.coroutines")

local sched = waits.scheduler
local setmetatable, getmetatable, type = setmetatable, getmetatable, type

local M = {}
local methods = {}
local mt = { __name = "CQS Condition", __index = methods }

function M.new(lifo)
  return setmetatable({ lifo = not not lifo, waiters = {} }, mt)
end

function M.type(x)
  if getmetatable(x) == mt then return "condition" end
  return nil
end

M.mt = mt

-- A waiter's task resumes once, by whichever comes first (a signal or its timer): a second
-- wake-up would resume it inside whatever it waits for next.
local function wake(w)
  if w.woken then return end
  w.woken = true
  if w.task then sched.wakeup(w.task) end
end

--- waitany(conds, timeout [, main]) → the conditions that were signalled (a list, maybe empty).
--- main: the caller may be the main chunk (cqueues.poll there drives the tasks meanwhile).
function M.waitany(conds, timeout, main)
  local me = sched and sched.running()
  if not me and not main then error("attempt to yield from outside a coroutine", 3) end
  local w = { task = me, fired = {}, timedout = false, woken = false }
  for i = 1, #conds do
    local list = conds[i].waiters
    list[#list + 1] = w
  end
  if timeout then
    tasks.spawn(function()
      tasks.sleep(timeout > 0 and timeout or 0)
      if not w.over then
        w.timedout = true
        wake(w)
      end
    end)
  end
  sched.park(function() return #w.fired > 0 or w.timedout end, 3)
  w.over = true
  for i = 1, #conds do
    local list = conds[i].waiters
    for k = #list, 1, -1 do
      if list[k] == w then table.remove(list, k) end
    end
  end
  return w.fired
end

function methods:wait(...)
  -- cqueues also takes the condition among the objects: cond:wait(cond, timeout).
  local timeout = ...
  if getmetatable(timeout) == mt then timeout = select(2, ...) end
  if timeout ~= nil and type(timeout) ~= "number" then
    error(("bad argument #2 to 'wait' (number expected, got %s)"):format(type(timeout)), 2)
  end
  local fired = M.waitany({ self }, timeout)
  if #fired > 0 then return true end
  return false, timeout
end

function methods:signal(n)
  local list = self.waiters
  local woken = {}
  while #list > 0 and (n == nil or #woken < n) do
    local w = table.remove(list, self.lifo and #list or 1)
    if not w.over and not w.woken then
      w.fired[#w.fired + 1] = self
      woken[#woken + 1] = w
    end
  end
  -- cqueues runs the functions it woke together the last woken first.
  for i = #woken, 1, -1 do wake(woken[i]) end
  return #woken
end

return M
