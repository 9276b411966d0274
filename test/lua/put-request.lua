-- PUT with a body in the generic form; httpbin /put echoes method-specific data.
local http = require("socket.http")
local ltn12 = require("ltn12")
local t = {}
local r, code, h, status = http.request{ url = arg[1] .. "/put", method = "PUT",
  headers = { ["content-type"] = "text/plain", ["content-length"] = 8 },
  source = ltn12.source.string("put body"), sink = ltn12.sink.table(t) }
print(r, code, status)
io.write(table.concat(t))
-- wrong method for the route
t = {}
r, code = http.request{ url = arg[1] .. "/put", sink = ltn12.sink.table(t) }
print(r, code, #table.concat(t) > 0)
