-- UDP objects against each other on 127.0.0.1 in one script: classes, float returns, sendto /
-- receivefrom round trips (binary datagrams), connected send/receive, truncation, timeouts, ICMP
-- "connection refused", select, options, names (ports printed as types only), closed sockets and
-- wrong-class errors.
local socket = require("socket")
local show = dofile("test/lua/support/show.lua").show
local function err(f, ...)
  local ok, e = pcall(f, ...)
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end

local server = socket.udp()
print("udp", show(server), server:getfd(), server:getfamily(), show(server:gettimeout()))
print("class field", server.class, socket._DATAGRAMSIZE)
print("udp4/udp6", socket.udp4():getfd() >= 0, socket.udp4():getfamily(), socket.udp6():getfamily())
print("udp4 sockname", show(socket.udp4():getsockname()))
print("udp6 sockname", show(socket.udp6():getsockname()))
print("unopened sockname", show(server:getsockname()))
print("unopened receive", show(server:receive()))
print("unopened receivefrom", show(server:receivefrom()))
print("settimeout", show(server:settimeout(0.1)), show(server:gettimeout()))
print("setsockname", show(server:setsockname("127.0.0.1", 0)))
print("fd now", server:getfd() >= 0, server:getfamily())
local ip, port, fam = server:getsockname()
print("sockname", ip, type(port), fam)
print("setsockname again", show(server:setsockname("127.0.0.1", 0)))
print("dirty", server:dirty())
print("receive timeout", show(server:receive()))
print("receivefrom timeout", show(server:receivefrom()))

local client = socket.udp()
client:settimeout(1)
local payloads = { "hello", "", "a\0b\255c", string.rep("x", 1000), "\0\255\0" }
for _, p in ipairs(payloads) do
  print("sendto", #p, show(client:sendto(p, "127.0.0.1", port)))
  local d, from, fport = server:receivefrom()
  print("receivefrom", d == p, #d, from, math.type(fport))
end
local cip, cport, cfam = client:getsockname()
print("client sockname after sendto", cip, type(cport), cfam)

-- reply to the sender, then truncation and a size above the default
client:sendto("0123456789", "127.0.0.1", port)
local _, from, fport = server:receivefrom(4)
print("reply", show(server:sendto("pong\0", from, fport)))
print("client receive", show(client:receive()))
client:sendto("0123456789", "127.0.0.1", port)
local td, tip, tport = server:receivefrom(4)
print("truncated", show(td, tip, math.type(tport)))
print("after truncation", show(server:receive()))
local big = string.rep("\255", 9000)
client:sendto(big, "127.0.0.1", port)
print("default size", #server:receive())
client:sendto(big, "127.0.0.1", port)
print("bigger size", #server:receive(10000))
print("bad address", show(client:sendto("x", "not an ip", port)))

-- select on udp objects
print("select none", show(socket.select({ server }, nil, 0.05)))
client:sendto("ready", "127.0.0.1", port)
local r, w = socket.select({ server }, nil, 1)
print("select ready", #r, r[1] == server, r[server], #w)
print("after select", show(server:receive()))
print("sendable", #select(2, socket.select(nil, { client }, 1)))

-- connected sockets
print("setpeername", show(client:setpeername("127.0.0.1", port)))
print("connected", show(client))
local pip, pport, pfam = client:getpeername()
print("peername", pip, math.type(pport), pfam)
print("send", show(client:send("abc\0")))
print("receive", show(server:receive()))
server:sendto("back", "127.0.0.1", cport)
print("connected receive", show(client:receive()))
print("receivefrom on connected", err(client.receivefrom, client))
print("sendto on connected", err(client.sendto, client, "x", "127.0.0.1", port))
print("send on unconnected", err(server.send, server, "x"))
print("getpeername on unconnected", err(server.getpeername, server))
print("setsockname on connected", err(client.setsockname, client, "127.0.0.1", 0))
print("unconnect", show(client:setpeername("*")), show(client))
print("getpeername after unconnect", err(client.getpeername, client))

-- ICMP port unreachable on a connected socket
local lonely = socket.udp4()
lonely:settimeout(0.2)
local dead = socket.udp4()
dead:setsockname("127.0.0.1", 0)
local _, deadport = dead:getsockname()
dead:close()
print("connect to closed port", show(lonely:setpeername("127.0.0.1", deadport)))
print("send", show(lonely:send("x")))
socket.sleep(0.05)
print("refused", show(lonely:receive()))
print("then", show(lonely:receive()))

-- options
print("getoption", server:getoption("broadcast"), server:getoption("dontroute"), server:getoption("reuseaddr"),
  server:getoption("ip-multicast-loop"), server:getoption("ip-multicast-if"))
print("setoption broadcast", show(server:setoption("broadcast", true)), server:getoption("broadcast"))
print("setoption ttl", show(server:setoption("ip-multicast-ttl", 4)))
print("getoption ttl", err(server.getoption, server, "ip-multicast-ttl"))
print("setoption bad", err(server.setoption, server, "broadcast", 1))
print("setoption unknown", err(server.setoption, server, "nonsense", true))
print("ipv6 option on inet", show(server:getoption("ipv6-v6only")))
print("unopened setoption", show(socket.udp():setoption("broadcast", true)))

-- timeouts
print("settimeout modes", show(client:settimeout(2, "t")), show(client:gettimeout()))
print("bad mode", err(client.settimeout, client, 1, "x"))
client:settimeout(0, "b")
client:settimeout(nil, "t")
print("nonblocking receive", show(client:receive()))

-- wrong class / wrong object
print("receive on number", err(server.receive, 42))
print("receive on tcp", err(server.receive, socket.tcp()))
print("tcp method on udp", err(socket.tcp().send, server, "x"))

-- closing
print("close", show(server:close()), show(server))
print("closed fd", server:getfd())
print("closed sockname", show(server:getsockname()))
print("closed receive", show(server:receive()))
print("closed sendto", show(server:sendto("x", "127.0.0.1", port)))
print("close again", show(server:close()))
client:setpeername("127.0.0.1", port)
client:close()
print("closed send", show(client:send("x")))
print("closed peername", show(client:getpeername()))
print("closed class", show(client))
lonely:close()

-- address and port errors
local e = socket.udp4()
e:settimeout(0)
print("sendto v6 on udp4", show(e:sendto("x", "::1", 9)))
print("sendto bad port", show(e:sendto("x", "127.0.0.1", "abc")))
print("setpeername bad port", show(e:setpeername("127.0.0.1", "abc")))
e:close()
