-- socket.http works on a copy of the caller's request table; header tables are not rewritten.
local http = require("socket.http")
local ltn12 = require("ltn12")
local headers = { ["X-Mixed-Case"] = "v" }
local req = { url = arg[1] .. "/get", headers = headers, sink = ltn12.sink.null() }
local r, code = http.request(req)
local keys = {}
for k in pairs(req) do keys[#keys + 1] = k end
table.sort(keys)
print(r, code, table.concat(keys, " "))
local hk = {}
for k, v in pairs(headers) do hk[#hk + 1] = k .. "=" .. v end
table.sort(hk)
print(table.concat(hk, " "))
-- the same table can be used again
local again, code2 = http.request(req)
print(again, code2)
