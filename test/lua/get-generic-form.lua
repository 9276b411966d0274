-- Generic form GET with a table sink: returns 1, code, headers, statusline.
local http = require("socket.http")
local ltn12 = require("ltn12")
local t = {}
local r, code, headers, status = http.request{ url = arg[1] .. "/get?q=generic", sink = ltn12.sink.table(t) }
print(r, code, status, math.type(code))
print("content-type", headers["content-type"])
io.write(table.concat(t))
