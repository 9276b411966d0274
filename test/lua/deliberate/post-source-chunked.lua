-- DELIBERATE DIFFERENCE (wire only): the body is chunked exactly when LuaSocket chunks it, one HTTP
-- chunk per source chunk as LuaSocket does, but undici writes chunk sizes in lower-case hex
-- (`12c` where LuaSocket writes `12C`) and the framing headers in lower case. Servers decode both alike.
-- A source without content-length makes LuaSocket send Transfer-Encoding: chunked, one chunk per
-- source chunk, uppercase hex sizes, terminated by 0 CRLF CRLF. Printed from the raw capture.
local http = require("socket.http")
local ltn12 = require("ltn12")
local parts = { "hello", string.rep("x", 300), "", "end" }
local i = 0
local src = function()
  i = i + 1
  if parts[i] == "" then i = i + 1 end
  return parts[i]
end
local t = {}
local r, code = http.request{ url = arg[2] .. "/capture", method = "POST", source = src, sink = ltn12.sink.table(t) }
print(r, code)
local raw = table.concat(t)
local head, body = raw:match("^(.-)\r\n\r\n(.*)$")
local lines = {}
for l in head:gmatch("[^\r\n]+") do lines[#lines + 1] = l end
print(table.remove(lines, 1))
table.sort(lines)
for _, l in ipairs(lines) do print(l) end
print(string.format("%q", body))
-- and httpbin decodes the chunked body
local t2 = {}
http.request{ url = arg[1] .. "/post", method = "POST", source = ltn12.source.string("chunked to httpbin"),
  headers = { ["content-type"] = "text/plain" }, sink = ltn12.sink.table(t2) }
io.write(table.concat(t2))
