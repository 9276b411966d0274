-- N tasks each GET a fast URL at once; prints requests per second (after a sequential warm-up).
local lh = require("luahttp")
local http = require("socket.http")
local socket = require("socket")
local url, n = arg[1], tonumber(arg[2]) or 1000
for _ = 1, 50 do http.request(url) end
local t0 = socket.gettime()
local tasks = {}
for i = 1, n do tasks[i] = lh.spawn(http.request, url) end
for i = 1, n do assert(select(2, tasks[i]:wait()) == 200) end
print(string.format("%.1f", n / (socket.gettime() - t0)))
