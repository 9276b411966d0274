-- Memory per in-flight task: N tasks each waiting on a slow GET; prints KB per task of the process's
-- resident memory and of the Lua heap, measured while all N are in flight.
local lh = require("luahttp")
local http = require("socket.http")
local url, n = arg[1], tonumber(arg[2]) or 1000
local function rss()
  local f = assert(io.open("/proc/self/status"))
  local kb = tonumber(f:read("a"):match("VmRSS:%s*(%d+)"))
  f:close()
  return kb
end
http.request(url) -- the transport is loaded before the baseline
collectgarbage() collectgarbage()
local rss0, heap0 = rss(), collectgarbage("count")
local tasks = {}
for i = 1, n do tasks[i] = lh.spawn(http.request, url) end
local probe = lh.spawn(function() lh.sleep(0.5) collectgarbage() return rss(), collectgarbage("count") end)
local rss1, heap1 = probe:wait()
for i = 1, n do tasks[i]:wait() end
print(string.format("%.1f %.1f", (rss1 - rss0) / n, (heap1 - heap0) / n))
