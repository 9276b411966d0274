-- Request framing headers a script causes are sent as LuaSocket sends them, for methods without a
-- payload: an explicit Content-Length: 0 on GET/DELETE/OPTIONS reaches the server, and a source that
-- gives no bytes is sent as Transfer-Encoding: chunked with an empty chunked body (0 CRLF CRLF).
-- Printed from the fault server's raw capture (Host, User-Agent, Connection and TE lines left out:
-- luahttp writes Host itself and keeps connections alive, see README "Porting").
local http = require("socket.http")
local ltn12 = require("ltn12")

local function show(label, req)
  local t = {}
  req.url = arg[2] .. "/capture"
  req.sink = ltn12.sink.table(t)
  local r, code = http.request(req)
  local raw = table.concat(t)
  local head, body = raw:match("^(.-)\r\n\r\n(.*)$")
  local lines = {}
  for l in (head or ""):gmatch("[^\r\n]+") do
    local name = l:match("^([^:]+):")
    local lname = name and name:lower()
    if lname ~= "host" and lname ~= "user-agent" and lname ~= "connection" and lname ~= "te" then lines[#lines + 1] = l end
  end
  local first = table.remove(lines, 1)
  table.sort(lines)
  print(label, r, code, first, table.concat(lines, " | "), string.format("%q", body or raw))
end

show("GET content-length 0", { headers = { ["content-length"] = 0 } })
show("DELETE content-length 0", { method = "DELETE", headers = { ["content-length"] = "0" } })
show("OPTIONS content-length 0", { method = "OPTIONS", headers = { ["Content-Length"] = "0", ["x-a"] = "b" } })
show("GET empty source", { source = ltn12.source.string("") })
show("DELETE empty source", { method = "DELETE", source = ltn12.source.empty() })
show("GET empty source, content-length 0", { source = ltn12.source.string(""), headers = { ["content-length"] = "0" } })
show("lower-case put, no body", { method = "put" })
show("GET", {})
-- the same requests one after the other on a kept-alive connection, to httpbin: each is read whole
local n = 0
for _, req in ipairs {
  { headers = { ["content-length"] = 0 } }, { source = ltn12.source.string("") }, {}, { source = ltn12.source.string("") },
} do
  req.url = arg[1] .. "/get"
  local r, code = http.request(req)
  if r and code == 200 then n = n + 1 end
end
print("httpbin answers", n)
