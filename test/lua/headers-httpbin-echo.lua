-- Custom headers as httpbin sees them, and the default User-Agent.
local http = require("socket.http")
local ltn12 = require("ltn12")
local t = {}
http.request{ url = arg[1] .. "/headers", headers = { ["x-trace"] = "abc", ["Accept-Language"] = "fr" }, sink = ltn12.sink.table(t) }
io.write(table.concat(t))
print((http.request(arg[1] .. "/user-agent")))
http.USERAGENT = "changed-agent/2"
print((http.request(arg[1] .. "/user-agent")))
