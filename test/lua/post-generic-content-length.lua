-- Generic POST with a string source and an explicit content-length: body sent raw (no chunking).
local http = require("socket.http")
local ltn12 = require("ltn12")
local payload = '{"name":"luahttp","n":[1,2,3]}'
local t = {}
local r, code = http.request{
  url = arg[1] .. "/post", method = "POST",
  headers = { ["content-type"] = "application/json", ["content-length"] = #payload },
  source = ltn12.source.string(payload), sink = ltn12.sink.table(t),
}
print(r, code)
io.write(table.concat(t))
