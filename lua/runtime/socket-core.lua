-- `socket.core`: luahttp's JS primitives plus the pure-Lua try/protect helpers, as one table, so that
-- `require "socket" == require "socket.core"` holds as in LuaSocket.
local core = require("luahttp.core.socket")
local helpers = require("luahttp.socket.helpers")
-- Forget the helpers' own module name, so error messages name `socket.skip`, not the helper module.
package.loaded["luahttp.socket.helpers"] = nil
-- Forget the core's module name too: argument errors name `socket.core.connect`, as in LuaSocket.
package.loaded["luahttp.core.socket"] = nil
local socket, dns = {}, {}
for k, v in pairs(core) do
  local name = k:match("^dns_(.*)")
  if name then dns[name] = v else socket[k] = v end
end
socket.dns = dns
for k, v in pairs(helpers) do socket[k] = v end
-- Loaded while luahttp tasks run: socket.sleep lets them run on (lua/luahttp/tasks.lua).
local tasks = package.loaded["luahttp.tasks"]
if tasks then tasks.adopt(socket) end
socket._VERSION = "LuaSocket 3.0.0"
socket._SETSIZE = 1024
socket._SOCKETINVALID = -1
socket._DATAGRAMSIZE = 8192
return socket
