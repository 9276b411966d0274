-- Repeated response headers are joined with ", " (two Set-Cookie -> "a=1, b=2").
local http = require("socket.http")
local body, code, h, status = http.request(arg[2] .. "/dup-headers")
print(body, code, status)
print("set-cookie", h["set-cookie"])
print("x-a", h["x-a"])
print("content-length", h["content-length"])
local t = {}
for k in pairs(h) do t[#t + 1] = k end
table.sort(t)
print(table.concat(t, " "))
