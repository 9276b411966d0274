-- 100 tasks each GET a URL that answers after 200 ms; prints one request's time and the total, in s.
local lh = require("luahttp")
local http = require("socket.http")
local socket = require("socket")
local url, n = arg[1], tonumber(arg[2]) or 100
local t0 = socket.gettime()
assert(select(2, http.request(url)) == 200)
local one = socket.gettime() - t0
t0 = socket.gettime()
local tasks = {}
for i = 1, n do tasks[i] = lh.spawn(http.request, url) end
for i = 1, n do assert(select(2, tasks[i]:wait()) == 200) end
print(string.format("%.4f %.4f", one, socket.gettime() - t0))
