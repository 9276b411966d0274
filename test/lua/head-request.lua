-- HEAD: no body is read even though content-length is announced.
local http = require("socket.http")
local ltn12 = require("ltn12")
local t = {}
local r, code, h, status = http.request{ url = arg[1] .. "/get", method = "HEAD", sink = ltn12.sink.table(t) }
print(r, code, status, #t, h["content-type"], tonumber(h["content-length"]) > 0)
t = {}
r, code = http.request{ url = arg[1] .. "/status/404", method = "HEAD", sink = ltn12.sink.table(t) }
print(r, code, #t)
