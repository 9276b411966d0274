-- ltn12.sink.null() and no sink at all: the body is read and discarded.
local http = require("socket.http")
local ltn12 = require("ltn12")
local r, code, h, status = http.request{ url = arg[1] .. "/bytes/3000?seed=1", sink = ltn12.sink.null() }
print(r, code, type(h), status)
local r, code, h = http.request{ url = arg[1] .. "/get" }
print(r, code, h["content-type"])
