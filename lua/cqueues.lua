-- The part of cqueues that lua-http client scripts use to fan out (issue 15), on luahttp's tasks
-- (lua/luahttp/tasks.lua): cqueues.new, cq:wrap/loop/step/count/empty, cqueues.sleep, monotime,
-- running. Like cqueues, wrap only queues a function: it starts at the next loop or step, the most
-- recently wrapped first; a failure ends loop/step with false, message, nil, thread and the other
-- functions go on at the next call.
local tasks = require("luahttp.tasks")
local socket = require("socket")

local setmetatable, pcall, unpack = setmetatable, pcall, table.unpack
local gettime = socket.gettime

local M = {}

-- How often loop/step look for a finished function while they wait (they yield to the tasks then).
local POLL = 0.005

-- The controller each running task belongs to, by its coroutine.
local owner = setmetatable({}, { __mode = "k" })

local methods = {}
local mt = { __name = "cqueue", __index = methods }

function M.new()
  return setmetatable({ pending = {}, running = {}, failures = {} }, mt)
end

function methods:wrap(f, ...)
  local args = table.pack(...)
  self.pending[#self.pending + 1] = function()
    owner[coroutine.running()] = self
    return f(unpack(args, 1, args.n))
  end
  return self
end

-- Starts what was wrapped, the newest first (cqueues keeps them on a stack).
local function start(self)
  local batch = self.pending
  if #batch == 0 then return end
  self.pending = {}
  for i = #batch, 1, -1 do
    local task = tasks.spawn(batch[i])
    self.running[#self.running + 1] = task
  end
end

-- Removes finished functions; failures queue up (taken as ended, so luahttp does not report them
-- at exit) and each loop/step call reports the oldest one, as cqueues does.
local function reap(self)
  local still, n = {}, 0
  for _, task in ipairs(self.running) do
    if task:isdone() then
      local ok, err = pcall(task.wait, task)
      if not ok then self.failures[#self.failures + 1] = { err, task.co } end
    else
      n = n + 1
      still[n] = task
    end
  end
  self.running = still
  return table.remove(self.failures, 1)
end

-- false, message, nil, thread: cqueues' report of a function that failed.
local function failed(failure)
  return false, failure[1], nil, failure[2]
end

function methods:loop(timeout)
  local deadline = timeout and gettime() + timeout
  while true do
    start(self)
    local failure = reap(self)
    if failure then return failed(failure) end
    if #self.running == 0 and #self.pending == 0 then return true end
    if deadline and gettime() >= deadline then return true end
    tasks.sleep(POLL)
  end
end

-- One round: starts what was wrapped and reports what ended; with no timeout it waits until some
-- function has ended (or all have), with one at most that long.
function methods:step(timeout)
  local deadline = timeout and gettime() + timeout
  local before = self:count()
  while true do
    start(self)
    local failure = reap(self)
    if failure then return failed(failure) end
    if self:count() == 0 then return true end
    if deadline then
      if gettime() >= deadline then return true end
    elseif self:count() < before then
      return true
    end
    tasks.sleep(POLL)
  end
end

function methods:count()
  return #self.pending + #self.running + #self.failures
end

function methods:empty()
  return self:count() == 0
end

--- sleep(seconds): lets the other wrapped functions (and luahttp tasks) run meanwhile.
function M.sleep(seconds)
  tasks.sleep(seconds)
end

M.monotime = gettime

--- running(): the controller running the caller and true, or nil, false outside one.
function M.running()
  local cq = owner[coroutine.running()]
  if cq then return cq, true end
  return nil, false
end

return M
