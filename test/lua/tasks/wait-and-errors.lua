-- t:wait() returns the task's results or raises its error; lh.all gives pcall-shaped results;
-- bad arguments raise.
local lh = require "luahttp"
local http = require "socket.http"
local base = arg[1]
local t = lh.spawn(function(a, b) return a + b, "sum" end, 2, 3)
print("wait", t:wait())
print("wait again", t:wait())
local bad = lh.spawn(function() error("task failed here") end)
print("pcall wait", pcall(bad.wait, bad))
local tab = lh.spawn(function() error({ code = 7 }) end)
local ok, e = pcall(tab.wait, tab)
print("table error", ok, type(e), e.code)
local r = lh.all({ lh.spawn(function() return http.request(base .. "/count") end), bad })
print("all", r[1][1], r[1][2], r[1][3], r[2][1], r[2][2])
print("spawn nil", pcall(lh.spawn))
print("spawn number", pcall(lh.spawn, 5))
-- a task that spawns and waits for another, both doing requests
local outer = lh.spawn(function()
  local inner = lh.spawn(function() return (http.request(base .. "/barrier/2?inner")) end)
  local mine = http.request(base .. "/barrier/2?outer")
  return mine, inner:wait()
end)
print("nested", outer:wait())
-- a plain coroutine.yield inside a task gives the others a turn and the task goes on
local y = lh.spawn(function() for i = 1, 3 do coroutine.yield(i) end return "yielded thrice" end)
print("yield", y:wait())
-- coroutines of the script inside a task keep their meaning
local c = lh.spawn(function()
  local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * 10) end end)
  local body = http.request(base .. "/count")
  return gen(), gen(), gen(), body
end)
print("coroutine in task", c:wait())
