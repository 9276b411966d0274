-- Timeouts inside tasks keep LuaSocket's results: nil, "timeout" and the partial data, no earlier than
-- the timeout asked for (the elapsed time is only checked against generous bounds). While one task
-- waits for its timeout, another finishes a whole exchange: the wait is its task's alone.
local lh = require "luahttp"
local socket = require "socket"
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local events = {}

local function timed(label, t, f)
  local t0 = socket.gettime()
  local r = table.pack(f())
  local dt = socket.gettime() - t0
  events[#events + 1] = label .. " timed out"
  print(label, r[1], r[2], r[3], dt >= t - 0.005 and dt < t + 5)
end

local waiter = lh.spawn(function()
  local c = assert(socket.connect("127.0.0.1", port))
  c:settimeout(1)
  timed("line", 1, function() return c:receive("*l") end)
  c:settimeout(0.2)
  timed("count", 0.2, function() return c:receive(10) end)
  c:settimeout(-1)
  c:settimeout(0.3, "t")
  timed("total", 0.3, function() return c:receive("*a") end)
  c:settimeout(0)
  timed("nonblocking", 0, function() return c:receive("*l") end)
  c:close()
end)

-- The server side of the waiter's connection: a partial line, then nothing.
local conn = assert(server:accept())
assert(conn:send("abc"))

local quick = lh.spawn(function()
  local c = assert(socket.connect("127.0.0.1", port))
  c:settimeout(5)
  assert(c:send("ping\n"))
  local line = c:receive("*l")
  events[#events + 1] = "quick exchange done"
  c:close()
  return line
end)
local q = assert(server:accept())
q:settimeout(5)
local ping = q:receive("*l")
q:send("pong to " .. ping .. "\n")
print("quick", quick:wait())
waiter:wait()
print(table.concat(events, ", "))

-- accept and connect timeouts in a task
local t = lh.spawn(function()
  server:settimeout(0.2)
  local t0 = socket.gettime()
  local c, err = server:accept()
  local dt = socket.gettime() - t0
  return c, err, dt >= 0.195 and dt < 5.2
end)
print("accept", t:wait())
conn:close()
q:close()
server:close()
