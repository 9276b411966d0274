-- DELIBERATE DIFFERENCE. In LuaSocket `getfd()` is the OS descriptor: files, pipes and sockets share
-- one number space, and `setfd(n)` makes the object use descriptor n (another socket's, or none).
-- luahttp's sockets live in Node, with no descriptor a script could use: `getfd()` is a per-script
-- handle number (lowest free from 3, shared by TCP and UDP objects only, so an open file takes
-- none), and `setfd(n)` only renumbers the handle socket.select knows the object by — the object
-- keeps its own connection. What scripts do with fds in practice behaves the same (compared with
-- native in socket-audit-tcp.lua / socket-audit-udp.lua): compare them, test `>= 0`, `setfd(-1)`
-- to detach (then "closed"), put the number back, select on them.
-- Native lua5.4 + LuaSocket prints instead (numbers depend on what else is open):
--   first socket	4.0          (the file took 3)
--   second socket	5.0
--   renumbered	9.0	send	nil	Bad file descriptor	0.0
-- and then stops: socket.select raises "select failed" (EBADF on descriptor 9).
local socket = require("socket")
local f = assert(io.open("test/lua/deliberate/socket-fd-numbers.lua", "rb"))
local a = socket.tcp4()
print("first socket", a:getfd())
local b = socket.udp4()
print("second socket", b:getfd())
f:close()

local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
server:settimeout(2)
local c = assert(socket.connect("127.0.0.1", port))
local peer = assert(server:accept())
peer:settimeout(2)
c:setfd(9)
print("renumbered", c:getfd(), "send", c:send("x"))
peer:send("y")
local r, _, e = socket.select({ c }, nil, 0.5)
print("select on it", #r, e)
for _, s in ipairs({ a, b, c, peer, server }) do s:close() end
