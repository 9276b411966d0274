-- No content decoding: a gzip body is delivered compressed, with its Content-Encoding header.
local http = require("socket.http")
local ltn12 = require("ltn12")
local body, code, h = http.request(arg[1] .. "/gzip")
print(code, h["content-encoding"], body:byte(1), body:byte(2), #body > 20)
local t = {}
local r, c, hh = http.request{ url = arg[1] .. "/deflate", headers = { ["accept-encoding"] = "deflate" }, sink = ltn12.sink.table(t) }
local raw = table.concat(t)
print(r, c, hh["content-encoding"], raw:find('"deflated"', 1, true) == nil, #raw > 20)
