-- Content-Length 100 but 10 bytes then close: "closed"; the sink saw the partial bytes.
local http = require("socket.http")
local ltn12 = require("ltn12")
print(http.request(arg[2] .. "/truncated"))
local t = {}
print(http.request{ url = arg[2] .. "/truncated", sink = ltn12.sink.table(t) })
print(#table.concat(t))
print(http.request(arg[2] .. "/close-immediately"))
