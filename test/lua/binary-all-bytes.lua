-- All 256 byte values POSTed, echoed back byte-exact by the capture server; Adler-32 on both sides.
local http = require("socket.http")
local ltn12 = require("ltn12")
local adler32 = dofile("test/lua/support/adler32.lua")
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
local payload = table.concat(bytes) .. table.concat(bytes):reverse()
print(#payload, adler32(payload))
local t = {}
local r, code = http.request{ url = arg[2] .. "/capture", method = "POST",
  headers = { ["content-length"] = #payload, ["content-type"] = "application/octet-stream" },
  source = ltn12.source.string(payload), sink = ltn12.sink.table(t) }
local body = table.concat(t):match("\r\n\r\n(.*)$")
print(r, code, #body, adler32(body), body == payload)
-- simple form carries binary too
local raw = http.request(arg[2] .. "/capture", payload)
print(#raw:match("\r\n\r\n(.*)$"), raw:sub(-#payload) == payload)
-- httpbin echoes non-UTF-8 data as a base64 data URL
local t2 = {}
http.request{ url = arg[1] .. "/post", method = "POST", headers = { ["content-length"] = 256, ["content-type"] = "application/octet-stream" },
  source = ltn12.source.string(table.concat(bytes)), sink = ltn12.sink.table(t2) }
print((table.concat(t2):match('"data": "([^"]*)"')))
