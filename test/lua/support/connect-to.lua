-- For native lua5.4 only (LUA_INIT=@test/lua/support/connect-to.lua): curl's --connect-to for
-- LuaSocket, so the oracle can run a script written for a real host (examples/http-request.lua
-- asks http://httpbin.org) against a loopback server, the way `luahttp --connect-to` does. The URL
-- and the Host header stay the original; only the address socket.http dials changes.
-- LUAHTTP_TEST_CONNECT_TO="HOST1:PORT1:HOST2:PORT2" (one rule; no empty fields, no IPv6).
local spec = assert(os.getenv("LUAHTTP_TEST_CONNECT_TO"), "LUAHTTP_TEST_CONNECT_TO is not set")
local fromhost, fromport, tohost, toport = spec:match("^([^:]+):(%d+):([^:]+):(%d+)$")
assert(fromhost, "LUAHTTP_TEST_CONNECT_TO: want HOST1:PORT1:HOST2:PORT2")
local socket = require("socket")
-- socket.http calls c:connect(host, port) on a fresh socket.tcp(); the tcp{master} class's methods
-- live in one table shared by every master socket.
local probe = assert(socket.tcp())
local methods = debug.getmetatable(probe).__index
probe:close()
local connect = methods.connect
methods.connect = function(self, host, port)
  if host == fromhost and tonumber(port) == tonumber(fromport) then
    host, port = tohost, tonumber(toport)
  end
  return connect(self, host, port)
end
