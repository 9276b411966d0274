-- UDP object items no other script compares (audit for issue 4, see README-coverage.md): every
-- setoption/getoption name with the values Linux accepts or refuses ("setsockopt failed"),
-- multicast group joins and leaves (a second join or a stray leave fails; argument checks as
-- LuaSocket words them), IPv4-level options on an IPv6 socket, getfd/setfd (compared only with
-- themselves) and a socket whose fd was set to -1, dirty, the metatable's group flags. 127.0.0.1 only.
local socket = require("socket")
local values = dofile("test/lua/support/show.lua")
local show, err = values.show, values.err
local u = socket.udp4()
u:setsockname("127.0.0.1", 0)
for _, o in ipairs({ "dontroute", "broadcast", "reuseaddr", "reuseport", "ip-multicast-loop" }) do
  print("opt", o, show(u:getoption(o)), show(u:setoption(o, true)), show(u:getoption(o)), show(u:setoption(o, false)), show(u:getoption(o)))
end
print("ttl", show(u:setoption("ip-multicast-ttl", 5)), err(u.getoption, u, "ip-multicast-ttl"))
print("ttl bad", show(u:setoption("ip-multicast-ttl", 300)), show(u:setoption("ip-multicast-ttl", -2)))
print("mif", show(u:getoption("ip-multicast-if")), show(u:setoption("ip-multicast-if", "127.0.0.1")), show(u:getoption("ip-multicast-if")))
print("mif bad", err(u.setoption, u, "ip-multicast-if", "bogus"), err(u.setoption, u, "ip-multicast-if", {}))
print("add membership", show(u:setoption("ip-add-membership", { multiaddr = "239.1.2.3", interface = "127.0.0.1" })))
print("drop membership", show(u:setoption("ip-drop-membership", { multiaddr = "239.1.2.3", interface = "127.0.0.1" })))
print("drop again", show(u:setoption("ip-drop-membership", { multiaddr = "239.1.2.3", interface = "127.0.0.1" })))
print("membership bad", err(u.setoption, u, "ip-add-membership", {}))
print("membership bad addr", err(u.setoption, u, "ip-add-membership", { multiaddr = "x", interface = "127.0.0.1" }))
print("membership bad if", err(u.setoption, u, "ip-add-membership", { multiaddr = "239.1.2.3", interface = "y" }))
for _, o in ipairs({ "recv-buffer-size", "send-buffer-size" }) do
  print("opt", o, show(u:setoption(o, 8192)), show(u:getoption(o)), show(u:setoption(o, 0)), show(u:getoption(o)))
end
print("ipv6 opts on inet", show(u:setoption("ipv6-unicast-hops", 5)), show(u:setoption("ipv6-v6only", true)), err(u.getoption, u, "ipv6-unicast-hops"))
local six = socket.udp6()
print("v6 hops", show(six:setoption("ipv6-unicast-hops", 7)), err(six.getoption, six, "ipv6-unicast-hops"))
print("v6 mhops", show(six:setoption("ipv6-multicast-hops", 3)), err(six.getoption, six, "ipv6-multicast-hops"))
print("v6 mloop", show(six:setoption("ipv6-multicast-loop", false)), err(six.getoption, six, "ipv6-multicast-loop"))
print("v6only", show(six:setoption("ipv6-v6only", true)), err(six.getoption, six, "ipv6-v6only"))
print("v6 add membership", show(six:setoption("ipv6-add-membership", { multiaddr = "ff02::1:3", interface = 1 })))
print("v6 drop membership", show(six:setoption("ipv6-drop-membership", { multiaddr = "ff02::1:3", interface = 1 })))
print("unknown", err(u.setoption, u, "tcp-nodelay", true), err(u.getoption, u, "linger"))
-- fds
local fd = u:getfd()
print("getfd", math.type(fd), fd >= 0)
print("setfd same", show(u:setfd(fd)), u:getfd() == fd)
print("setfd none", err(u.setfd, u))
print("setfd str", err(u.setfd, u, "x"))
local u2 = socket.udp4()
u2:setfd(-1)
print("udp -1", show(u2:getfd()), show(u2:sendto("x", "127.0.0.1", 9)), show(u2:receive()), show(u2:getsockname()), show(u2:close()))
print("select on -1", show(socket.select({ u2 }, nil, 0)))
-- dirty is always false for udp
print("dirty", u:dirty(), socket.udp():dirty())
print("metatable", getmetatable(u)["select{able}"], getmetatable(u)["udp{any}"], getmetatable(u).__name)
u:close()
local s6 = socket.udp6()
print("hops -1", show(s6:setoption("ipv6-unicast-hops", -1)), show(s6:getoption("ipv6-unicast-hops")), show(s6:setoption("ipv6-unicast-hops", -2)), show(s6:setoption("ipv6-unicast-hops", 256)), show(s6:setoption("ipv6-unicast-hops", 255)))
local s4 = socket.udp4()
print("ttl edges", show(s4:setoption("ip-multicast-ttl", -1)), show(s4:setoption("ip-multicast-ttl", 255)), show(s4:setoption("ip-multicast-ttl", 256)), show(s4:setoption("ip-multicast-ttl", 2.9)))
print("ttl str", show(s4:setoption("ip-multicast-ttl", "3")), err(s4.setoption, s4, "ip-multicast-ttl", {}))

-- group membership bookkeeping
local g = socket.udp4()
g:setsockname("127.0.0.1", 0)
local join = { multiaddr = "239.1.2.3", interface = "127.0.0.1" }
print("join", show(g:setoption("ip-add-membership", join)))
print("join again", show(g:setoption("ip-add-membership", join)))
print("leave", show(g:setoption("ip-drop-membership", join)))
print("leave again", show(g:setoption("ip-drop-membership", join)))
print("join unicast", show(g:setoption("ip-add-membership", { multiaddr = "127.0.0.1", interface = "127.0.0.1" })))
print("leave never joined", show(g:setoption("ip-drop-membership", { multiaddr = "239.9.9.9", interface = "127.0.0.1" })))
print("join numeric group", show(g:setoption("ip-add-membership", { multiaddr = 5, interface = "127.0.0.1" })))
print("join short form", show(g:setoption("ip-add-membership", { multiaddr = "239.258", interface = "127.1" })),
  show(g:setoption("ip-drop-membership", { multiaddr = "239.0.1.2", interface = "127.0.0.1" })))
print("join unbound", show(socket.udp4():setoption("ip-add-membership", join)))
print("no interface", err(g.setoption, g, "ip-add-membership", { multiaddr = "239.1.2.3" }))
print("not a table", err(g.setoption, g, "ip-add-membership", 5))
local s6 = socket.udp6()
print("v6 join", show(s6:setoption("ipv6-add-membership", { multiaddr = "ff02::1:3", interface = 1 })))
print("v6 join again", show(s6:setoption("ipv6-add-membership", { multiaddr = "ff02::1:3", interface = 1 })))
print("v6 leave", show(s6:setoption("ipv6-drop-membership", { multiaddr = "ff02::1:3", interface = 1 })))
print("v6 leave again", show(s6:setoption("ipv6-drop-membership", { multiaddr = "ff02::1:3", interface = 1 })))
print("v6 interface name", err(s6.setoption, s6, "ipv6-add-membership", { multiaddr = "ff02::1:4", interface = "lo" }))
print("v6 interface name (method)", err(function() return s6:setoption("ipv6-add-membership", { multiaddr = "ff02::1:4", interface = "lo" }) end))
print("v6 v4 group", err(s6.setoption, s6, "ipv6-add-membership", { multiaddr = "239.1.2.3" }))
print("v6 unicast group", show(s6:setoption("ipv6-add-membership", { multiaddr = "::1", interface = 1 })))
print("v6 option on udp4", show(g:setoption("ipv6-add-membership", { multiaddr = "ff02::1:3", interface = 1 })))
print("v4 options on udp6", show(s6:setoption("ip-multicast-ttl", 3)), show(s6:setoption("ip-multicast-loop", false)),
  show(s6:getoption("ip-multicast-loop")), show(s6:setoption("ip-multicast-if", "127.0.0.1")), show(s6:getoption("ip-multicast-if")))
print("v4 leave on udp6", show(s6:setoption("ip-drop-membership", { multiaddr = "239.1.2.3", interface = "127.0.0.1" })))
g:close() s6:close()

-- IPv4 option values are read by inet_aton: short and hex forms, answered in dotted form
local h = socket.udp4()
print("multicast-if short form", show(h:setoption("ip-multicast-if", "127.1")), show(h:getoption("ip-multicast-if")))
print("multicast-if hex form", show(h:setoption("ip-multicast-if", "0x7f.0.0.1")), show(h:getoption("ip-multicast-if")))
print("multicast-if star", show(h:setoption("ip-multicast-if", "*")), show(h:getoption("ip-multicast-if")))
print("multicast-if bad", err(h.setoption, h, "ip-multicast-if", "127.0.0.256"))
h:close()
