-- ltn12.source.chain with a filter (uppercase) as the request body; httpbin echoes it.
local http = require("socket.http")
local ltn12 = require("ltn12")
local upper = function(chunk) return chunk and chunk:upper() end
local src = ltn12.source.chain(ltn12.source.string("shout this body"), upper)
local t = {}
local r, code = http.request{ url = arg[1] .. "/post", method = "POST", source = src,
  headers = { ["content-type"] = "text/plain", ["content-length"] = 15 }, sink = ltn12.sink.table(t) }
print(r, code)
io.write(table.concat(t))
