-- redirect = false returns the 3xx itself.
local http = require("socket.http")
local ltn12 = require("ltn12")
local t = {}
local r, code, h, status = http.request{ url = arg[1] .. "/redirect/2", redirect = false, sink = ltn12.sink.table(t) }
print(r, code, status, h["location"])
r, code, h = http.request{ url = arg[1] .. "/redirect-to?url=%2Fget&status_code=307", redirect = false }
print(r, code, h["location"])
