-- ftp.open's session object: greet/login/type/cwd return 1; passive with PASV and EPSV (their
-- return values; ports shown as types), active with EPRT (listening on tp:getsockname(), which is
-- the peer in 3.1.0) and PORT. LuaSocket 3.1.0's port() calls math.mod, absent from Lua 5.4: it
-- raises unless the script defines math.mod, which this script then does, so PORT is exercised
-- in both implementations. Transfers in both directions with all 256 byte values.
local socket = require("socket")
local ftp = require("socket.ftp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local host, port = wire.hostport(arg[5])
local show = wire.show

local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)

local f = ftp.open(host, port)
print("fields", type(f.tp), type(f.try), f.pasvt, f.server, f.data)
print("greet", show(f:greet()))
print("login", show(f:login("ftp-active", "pw")))
print("type", show(f:type("i")))
print("cwd", show(f:cwd("/pub")))
print("cwd back", show(f:cwd("..")))
print("no data channel", show(socket.protect(function() return f:receive { path = "x", sink = ltn12.sink.null() } end)()))
f = ftp.open(host, port)
f:greet()
f:login("ftp-active", "pw")
f:type("i")

-- Passive: PASV returns a dotted address and a number, EPSV the peer address and a string.
local a, p = f:pasv()
print("pasv", a, math.type(p), type(f.pasvt), f.pasvt.address == a)
local t = {}
print("receive", show(f:receive { path = "/bytes.bin", sink = ltn12.sink.table(t) }), table.concat(t) == all:rep(3), f.data)
a, p = f:epsv()
print("epsv", a, type(p), tonumber(p) ~= nil)
print("send", show(f:send { path = "/incoming/ftp-active-epsv.bin", source = ltn12.source.string(all) }))

-- Active: EPRT with our own listener.
print("eprt", show(f:eprt("1")), f.pasvt, tostring(f.server):match("^[^:]+"))
t = {}
print("receive", show(f:receive { path = "/incoming/ftp-active-epsv.bin", sink = ltn12.sink.table(t) }), table.concat(t) == all)
print("eprt again", show(f:eprt("1")))
print("send", show(f:send { argument = "incoming/ftp-active-eprt.bin", source = ltn12.source.string(all:reverse()) }))

-- port() as 3.1.0 ships it on Lua 5.4.
local ok, err = pcall(f.port, f)
print("port without math.mod", ok, wire.noposition(err))
-- That failure left the session usable; a script with the usual 5.1 shim gets PORT.
math.mod = math.fmod
print("port", show(f:port()), tostring(f.server):match("^[^:]+"))
t = {}
print("receive", show(f:receive { path = "/incoming/ftp-active-eprt.bin", sink = ltn12.sink.table(t) }), table.concat(t) == all:reverse())
print("port again", show(f:port()))
t = {}
print("list", show(f:receive { command = "nlst", argument = "pub", sink = ltn12.sink.table(t) }), show(table.concat(t)))
-- A passive command after PORT closes the listener.
f:pasv()
print("listener dropped", f.server)
print("quit", show(f:quit()))
print("close", show(f:close()))

-- What went over the wire, ports replaced: PORT/EPRT carry our listener's port.
local wire_text = ftp.get(arg[5] .. "/.transcript/ftp-active")
wire_text = wire_text:gsub("(PORT 127,0,0,1),%d+,%d+", "%1,P1,P2"):gsub("(EPRT |1|127%.0%.0%.1|)%d+|", "%1PORT|")
print(wire.visible(wire_text))
