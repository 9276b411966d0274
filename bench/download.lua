-- One large download into ltn12.sink.null(); prints MB/s.
local http = require("socket.http")
local ltn12 = require("ltn12")
local socket = require("socket")
local size = tonumber(arg[2])
local t0 = socket.gettime()
local ok, code, headers = http.request { url = arg[1], sink = ltn12.sink.null() }
local dt = socket.gettime() - t0
if code ~= 200 then error("bad download: " .. tostring(code)) end
print(string.format("%.1f", size / dt / 1e6))
