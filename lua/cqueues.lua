-- The part of cqueues that lua-http client scripts use (issue 15), on luahttp's tasks
-- (lua/luahttp/tasks.lua): cqueues.new, type, cq:wrap/loop/step/errors/count/empty, cqueues.sleep,
-- poll (numbers, conditions, promises), monotime, running; cqueues.condition and cqueues.promise
-- are their own modules. Like cqueues, wrap only queues a function: it starts at the next loop or
-- step, the most recently wrapped first; a failure ends loop/step with false, message, nil, thread
-- and the other functions go on at the next call.
local tasks = require("luahttp.tasks")
local condition = require("cqueues.condition")
local socket = require("socket")

local setmetatable, getmetatable, select, type, rawget = setmetatable, getmetatable, select, type, rawget
local pack, unpack = table.pack, table.unpack
local gettime = socket.gettime

local M = {}

-- The controller each running function belongs to, by its coroutine.
local owner = setmetatable({}, { __mode = "k" })

local methods = {}
local mt = { __name = "cqueue", __index = methods }

function M.new()
  -- changed: signalled when a function is wrapped or ends, so a waiting loop/step acts at once.
  return setmetatable({ pending = {}, running = {}, failures = {}, changed = condition.new() }, mt)
end

--- type(x): "controller" for a controller, else nil.
function M.type(x)
  if getmetatable(x) == mt then return "controller" end
  return nil
end

function methods:wrap(f, ...)
  if type(f) ~= "function" then error(("bad argument #2 to 'wrap' (function expected, got %s)"):format(type(f)), 2) end
  local args = pack(...)
  self.pending[#self.pending + 1] = function()
    local co = coroutine.running()
    owner[co] = self
    local record = { co = co }
    self.running[#self.running + 1] = record
    local r = pack(pcall(f, unpack(args, 1, args.n)))
    record.done = true
    if not r[1] then record.failed, record.err = true, r[2] end
    self.changed:signal()
  end
  self.changed:signal()
  return self
end

-- Starts what was wrapped, the newest first (cqueues keeps them on a stack).
local function start(self)
  local batch = self.pending
  if #batch == 0 then return end
  self.pending = {}
  for i = #batch, 1, -1 do tasks.spawn(batch[i]) end
end

-- Removes finished functions; failures queue up and each loop/step call reports the oldest one,
-- as cqueues does.
local function reap(self)
  local still, n = {}, 0
  for _, record in ipairs(self.running) do
    if record.done then
      if record.failed then self.failures[#self.failures + 1] = record end
    else
      n = n + 1
      still[n] = record
    end
  end
  self.running = still
  return table.remove(self.failures, 1)
end

-- false, message, nil, thread: cqueues' report of a function that failed.
local function failed(record)
  return false, record.err, nil, record.co
end

-- Waits until a function of the controller ends or is wrapped, at most until deadline. Functions
-- started a moment ago may have wrapped others already (before anyone waited for the signal).
local function waitchange(self, deadline)
  if #self.pending > 0 then return end
  local timeout = deadline and math.max(deadline - gettime(), 0)
  condition.waitany({ self.changed }, timeout, true)
end

function methods:loop(timeout)
  local deadline = timeout and gettime() + timeout
  while true do
    start(self)
    local failure = reap(self)
    if failure then return failed(failure) end
    if #self.running == 0 and #self.pending == 0 then return true end
    if deadline and gettime() >= deadline then return true end
    waitchange(self, deadline)
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
    waitchange(self, deadline)
  end
end

--- errors([timeout]): an iterator over the failures loop reports, until it reports none.
function methods:errors(timeout)
  local deadline = timeout and gettime() + timeout
  return function()
    return select(2, self:loop(deadline and math.max(deadline - gettime(), 0)))
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

--- poll(...): waits for the first of the conditions and promises given to be signalled (or settled),
--- at most the smallest number given as seconds; answers the objects that are ready, or the
--- timeout when none is. poll() gives the others a turn; poll(n) sleeps n seconds.
function M.poll(...)
  local conds, objects, ready = {}, {}, {}
  local timeout
  for i = 1, select("#", ...) do
    local x = select(i, ...)
    if type(x) == "number" then
      if timeout == nil or x < timeout then timeout = x end
    elseif condition.type(x) then
      conds[#conds + 1] = x
      objects[x] = x
    elseif type(x) == "table" and condition.type(rawget(x, "pollfd")) then
      -- A promise: ready at once when settled.
      if x.state ~= nil and x.state ~= "pending" then ready[#ready + 1] = x end
      conds[#conds + 1] = x.pollfd
      objects[x.pollfd] = x
    else
      error(("bad argument #%d to 'poll' (luahttp's cqueues polls numbers, conditions and promises; got %s)"):format(i, type(x)), 2)
    end
  end
  if #ready > 0 then return unpack(ready) end
  if #conds == 0 then
    tasks.sleep(timeout or 0)
    if timeout == nil then return end
    return timeout
  end
  local fired = condition.waitany(conds, timeout, true)
  if #fired == 0 then return timeout end
  for i = 1, #fired do fired[i] = objects[fired[i]] end
  return unpack(fired)
end

M.monotime = gettime

--- running(): the controller running the caller and true, or nil, false outside one.
function M.running()
  local cq = owner[coroutine.running()]
  if cq then return cq, true end
  return nil, false
end

return M
