-- Response heads of any size: a 10 MB header line, 100,000 header lines (LuaSocket reads both).
local http = require("socket.http")
local body, code, h = http.request(arg[2] .. "/big-head?line=10000000")
print(body, code, h and #h["x-long"])
body, code, h = http.request(arg[2] .. "/big-head?count=100000")
local n = 0
for _ in pairs(h or {}) do n = n + 1 end
print(body, code, n, h and h["x-h99999"])
