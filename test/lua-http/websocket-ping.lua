-- http.websocket: pings and pongs. The client's send_ping/send_pong and numeric opcodes as the server
-- sees them; a server's ping answered inside receive(); pongs and pings between fragments skipped.
local websocket = require "http.websocket"
-- close() waits this long for the server's answering close frame (lua-http: 3 s); generous, so that a
-- loaded machine still sees the answer.
websocket.methods.close_timeout = 30
-- The websocket server's URLs are the arguments that start with ws:// and wss://.
local WS, WSS
for _, a in ipairs(arg) do
  if a:match("^ws://") then WS = a elseif a:match("^wss://") then WSS = a end
end

local r = websocket.new_from_uri(WS .. "/report")
assert(r:connect(20))
print("ping", r:send_ping("are you there"))
print("report", r:receive(20))
print("ping empty", r:send_ping())
print("report", r:receive(20))
print("pong", r:send_pong("\0\255"))
print("report", r:receive(20))
print("opcode 9", r:send("as ping", 9))
print("report", r:receive(20))
print("opcode 10", r:send("as pong", 0xA))
print("report", r:receive(20))
print("opcode 0", r:send("continuation", 0))
print("report", r:receive(20))
print("send_frame no FIN", r:send_frame({ opcode = 1, data = "part", MASK = true }))
print("report", r:receive(20))
print("send_frame unmasked", r:send_frame({ opcode = 2, FIN = true, data = "plain" }))
print("report", r:receive(20))
local ok, e = pcall(r.send_ping, r, ("p"):rep(126))
print("control too long", ok, (tostring(e):gsub("^.-:%d+: ", "")))
print("ping 125", r:send_ping(("p"):rep(125)))
print("report", (r:receive(20)))
r:close()

local p = websocket.new_from_uri(WS .. "/ping?data=hi%00there")
assert(p:connect(20))
-- The server's ping is answered while receive() waits; the server reports the pong it got.
print("after server ping", p:receive(20))
print("echo", p:send("still open"), p:receive(20))
p:close()

local u = websocket.new_from_uri(WS .. "/pong")
assert(u:connect(20))
print("unsolicited pong skipped", u:receive(20))
u:close()

local f = websocket.new_from_uri(WS .. "/fragments")
assert(f:connect(20))
print("fragments", f:receive(20))
local b, kind = f:receive(20)
print("binary fragments", #b, b:byte(1), b:byte(2), kind)
f:close()
