-- http.compat.socket and proxies: the module's PROXY and a request table's `proxy` (which wins) send
-- the request through a forward proxy as http.request's req.proxy does; a proxy that refuses
-- connections proves where the request went; userinfo in the proxy URL becomes Proxy-Authorization
-- for the proxy (which does not pass it on).
local http = require "http.compat.socket"
local ltn12 = require "ltn12"
local base, closed, proxy = arg[1], arg[3], arg[14]
local function show(label, ...)
  local body, code = ...
  if type(body) == "string" then body = body:match('"url": "[^"]*"') end
  print(label, body, code, select(3, ...) and "headers" or nil, select(4, ...))
end
show("direct", http.request(base .. "/get?via=direct"))
http.PROXY = proxy
show("module PROXY", http.request(base .. "/get?via=module"))
http.PROXY = closed
show("module PROXY refused", http.request(base .. "/get"))
local t = {}
show("table proxy wins", http.request { url = base .. "/get?via=table", proxy = proxy, sink = ltn12.sink.table(t) })
print("body", table.concat(t):match('"url": "[^"]*"'))
http.PROXY = nil
show("table proxy refused", http.request { url = base .. "/get", proxy = closed })
local echo = {}
show("userinfo", http.request { url = base .. "/headers", proxy = (proxy:gsub("http://", "http://user:pw@")), sink = ltn12.sink.table(echo) })
print("reached httpbin", table.concat(echo):match('"Proxy%-Authorization"') ~= nil, table.concat(echo):match('"Host": "[^"]*"'))
