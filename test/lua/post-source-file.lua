-- ltn12.source.file(io.open(...)) as a request body; the handle is closed at EOF.
local http = require("socket.http")
local ltn12 = require("ltn12")
local name = os.tmpname()
local f = assert(io.open(name, "wb"))
for i = 1, 1000 do f:write(string.format("line %04d\n", i)) end
f:close()
local size = 10000
local fh = assert(io.open(name, "rb"))
local t = {}
local r, code = http.request{
  url = arg[2] .. "/capture", method = "POST",
  headers = { ["content-length"] = size },
  source = ltn12.source.file(fh), sink = ltn12.sink.table(t),
}
print(r, code, io.type(fh))
local raw = table.concat(t)
local body = raw:match("\r\n\r\n(.*)$")
print(#body, body:sub(1, 20) == "line 0001\nline 0002\n", body:sub(-10))
os.remove(name)
-- a missing file gives an error source; the request fails with its message
local r2, err = http.request{ url = arg[1] .. "/post", method = "POST",
  source = ltn12.source.file(io.open("/nonexistent/file", "rb")) }
print(r2, err)
