-- DELIBERATE DIFFERENCE. LuaSocket 3.1.0 calls `reqt.create()` for the socket it talks through
-- (a tcp object or anything with its methods), so a script can wrap, log or replace the
-- connection. luahttp's transport is undici, with no Lua-visible socket to hand out, so a
-- request with a `create` field returns nil plus a message naming the field and never calls
-- the factory. Without the field the same request works as in LuaSocket.
-- Native lua5.4 + LuaSocket prints instead:
--   1	200	table	HTTP/1.1 200 OK
--   create called	1	body bytes	>0
--   false	factory raised
--   1	200
local http = require("socket.http")
local ltn12 = require("ltn12")

local calls = 0
local function create()
  calls = calls + 1
  return require("socket").tcp()
end
local out = {}
local r, code, headers, status = http.request{ url = arg[1] .. "/get", create = create, sink = ltn12.sink.table(out) }
print(r, code, type(headers), status)
print("create called", calls, "body bytes", #table.concat(out) > 0 and ">0" or "0")
-- a factory that raises: LuaSocket lets its error out of http.request; luahttp never calls it
print(pcall(http.request, { url = arg[1] .. "/get", create = function() error("factory raised", 0) end }))
-- the same request without `create`
local r2, code2 = http.request{ url = arg[1] .. "/get", sink = ltn12.sink.table({}) }
print(r2, code2)
