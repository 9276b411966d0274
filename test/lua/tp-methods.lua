-- socket.tp objects: command() upper-cases and formats, send/receive/sink/source pass through to
-- the control socket, getcontrol/getfd/dirty (socket.select accepts a tp object), getsockname
-- answering with the peer (LuaSocket 3.1.0's bug), close, tp.connect's failures and `create`.
local socket = require("socket")
local tp = require("socket.tp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local show = wire.show

print("module", tp.TIMEOUT, socket.tp == tp, type(tp.connect))
local keys = {}
for k in pairs(tp) do keys[#keys + 1] = k end
table.sort(keys)
print("fields", table.concat(keys, " "))

local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local t = assert(tp.connect("127.0.0.1", port))
local conn = assert(server:accept())
conn:settimeout(2)

print("c field", tostring(t.c):match("^[^:]+"), rawequal(t.c, t:getcontrol()))
print("timeout", show(t.c:gettimeout()))
print("command", show(t:command("helo", "example.org")))
print("command no arg", show(t:command("Quit")))
print("command number", show(t:command("port", 42)))
print("command false", show(t:command("noop", false)))
print("command mixed", show(t:command("rEtR", "Some/Path.TXT")))
for _ = 1, 5 do print("wire", show(conn:receive())) end
print("send", show(t:send("raw bytes\r\n")))
print("wire", show(conn:receive()))
print("source", show(t:source(ltn12.source.string("from a source\r\n"))))
print("source step", show(t:source(ltn12.source.table { "a", "b", "c\r\n" }, ltn12.pump.step)))
print("wire", show(conn:receive()), show(conn:receive()))
print("source error", show(t:source(function() return nil, "source failed" end)))

conn:send("line one\r\nabcdefXYZ")
print("receive", show(t:receive()))
print("receive n", show(t:receive(3)))
local got = {}
print("sink", show(t:sink(ltn12.sink.table(got), 3)), got[1])
print("sink fn", show(t:sink(function(chunk, err) return "sunk", chunk, err end, 3)))

print("getfd", math.type(t:getfd()), t:getfd() == t.c:getfd())
print("dirty", show(t:dirty()))
local r, w, e = socket.select({ t }, nil, 0)
print("select idle", #r, show(e))
conn:send("x")
r, w, e = socket.select({ t }, nil, 2)
print("select ready", #r, r[1] == t, r[t], show(e))
local pip, pport, pfam = t:getpeername()
print("peer", pip, math.type(pport), pfam, pport == port)
local sip, sport, sfam = t:getsockname()
print("sockname is peer", sip, sport == port, sfam)
print("real sockname differs", select(2, t.c:getsockname()) ~= select(2, t:getsockname()))
print("close", show(t:close()))
print("close again", show(t:close()))
print("after close", show(t:receive()), show(t:command("noop")))
conn:close()
server:close()

print("refused", show(tp.connect("127.0.0.1", wire.closedport(arg[3]))))
print("create fails", show(tp.connect("127.0.0.1", 1, nil, function() return nil, "no socket for you" end)))
local made
local created = tp.connect("127.0.0.1", wire.closedport(arg[3]), 5, function()
  made = socket.tcp()
  return made
end)
print("create used", created, tostring(made):match("^[^:]+"))
