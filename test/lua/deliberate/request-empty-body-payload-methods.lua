-- DELIBERATE DIFFERENCE (wire only): a PUT, POST or PATCH without body bytes carries
-- `content-length: 0`. LuaSocket sends no length at all when there is no source, and an empty
-- chunked body (Transfer-Encoding: chunked, 0 CRLF CRLF) for a source that gives nothing. undici
-- always frames an empty body of these methods as Content-Length: 0 (RFC 9110 §8.6: a user agent
-- SHOULD send it; servers that demand a length, 411, accept it). Other methods are sent as LuaSocket
-- sends them (test/lua/request-headers-verbatim.lua). Printed from the raw capture; LuaSocket prints
-- an empty header column and "" for the first three, `Transfer-Encoding: chunked` and "0\r\n\r\n"
-- for the two empty sources, and `Content-Length: 0` (its spelling) for the last.
local http = require("socket.http")
local ltn12 = require("ltn12")

local function show(label, req)
  local t = {}
  req.url = arg[2] .. "/capture"
  req.sink = ltn12.sink.table(t)
  local r, code = http.request(req)
  local head, body = table.concat(t):match("^(.-)\r\n\r\n(.*)$")
  local lines = {}
  for l in head:gmatch("[^\r\n]+") do
    local lname = (l:match("^([^:]+):") or ""):lower()
    if lname ~= "host" and lname ~= "user-agent" and lname ~= "connection" and lname ~= "te" then lines[#lines + 1] = l end
  end
  local first = table.remove(lines, 1)
  table.sort(lines)
  print(label, r, code, first, table.concat(lines, " | "), string.format("%q", body))
end

show("PUT, no source", { method = "PUT" })
show("POST, no source", { method = "POST" })
show("PATCH, no source", { method = "PATCH" })
show("PUT, empty source", { method = "PUT", source = ltn12.source.string("") })
show("POST, empty source", { method = "POST", source = ltn12.source.empty() })
show("POST, content-length 0", { method = "POST", headers = { ["content-length"] = "0" } })
