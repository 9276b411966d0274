-- DELETE in the generic form.
local http = require("socket.http")
local ltn12 = require("ltn12")
local t = {}
local r, code, h, status = http.request{ url = arg[1] .. "/delete?id=7", method = "DELETE", sink = ltn12.sink.table(t) }
print(r, code, status)
io.write(table.concat(t))
