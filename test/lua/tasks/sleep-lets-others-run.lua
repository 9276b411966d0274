-- socket.sleep inside a task waits as a timer: a request in another task finishes first.
local lh = require "luahttp"
local http = require "socket.http"
local socket = require "socket"
local base = arg[1]
local order = {}
local a = lh.spawn(function() socket.sleep(1.5); order[#order + 1] = "sleeper" end)
local b = lh.spawn(function() http.request(base .. "/count"); order[#order + 1] = "request" end)
a:wait(); b:wait()
print(table.concat(order, " "))
-- lh.sleep too, and socket.sleep's argument errors are LuaSocket's
local c = lh.spawn(function() lh.sleep(0.05); return "lh.sleep" end)
print(c:wait())
print(pcall(function() socket.sleep("x") end))
local d = lh.spawn(function() return pcall(function() socket.sleep({}) end) end)
print(d:wait())
