-- The CLI runs the script inside one coroutine (the "driver thread") so a network wait can yield to
-- Node's event loop instead of crossing threads (4 thread hand-offs per request became none). This
-- file keeps the `lua` CLI's coroutine semantics for the script:
--  * luahttp's own yields (first value PENDING) pass through the script's coroutines to the driver;
--  * at top level, isyieldable() is false, running() is the main thread, yield() is an error;
--  * where a yield cannot cross (a C boundary such as a gsub callback, sort comparator, __tostring or
--    require loader), `canyield()` is false and the network call blocks through the I/O host thread.
local driver, PENDING = ...

local co = coroutine
local create, resume, yield, status, running = co.create, co.resume, co.yield, co.status, co.running
local isyieldable, close = co.isyieldable, co.close
local pack, unpack, error = table.pack, table.unpack, error
local mainthread = debug.getregistry()[1] -- LUA_RIDX_MAINTHREAD

-- How many coroutine resumes on the current stack were made from a context that cannot yield.
local blocked = 0

local function canyield()
  return blocked == 0 and isyieldable()
end

-- resume that forwards luahttp's waits from inside the coroutine out to the driver.
local function forwarding(c, ...)
  local outer = canyield()
  if not outer then blocked = blocked + 1 end
  local r = pack(resume(c, ...))
  while outer and r[1] and r[2] == PENDING and status(c) == "suspended" do
    yield(PENDING)
    r = pack(resume(c))
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

--- Waits for luahttp's pending network operation: yields to the driver when the context allows.
local function await()
  return yield(PENDING)
end

return { canyield = canyield, await = await, PENDING = PENDING }
