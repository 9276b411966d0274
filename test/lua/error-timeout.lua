-- http.TIMEOUT = 1 against a server that never answers, and one that stalls mid-body: "timeout".
local http = require("socket.http")
local ltn12 = require("ltn12")
http.TIMEOUT = 1
print(http.request(arg[2] .. "/stall-head"))
local t = {}
print(http.request{ url = arg[2] .. "/stall-body", sink = ltn12.sink.table(t) })
print(#table.concat(t))
