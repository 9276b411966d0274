-- TCP object items no other script compares (audit for issue 4, see README-coverage.md):
-- setsockname/setpeername (bind/connect under other names), listen's default backlog, every
-- setoption/getoption name with the values Linux accepts or refuses ("setsockopt failed"), linger
-- keeping its timeout when turned off, shutdown("receive"/"both"/"send") and what each side reads
-- after it, getfd/setfd (numbers compared only with themselves: a fd is an OS number natively, a
-- per-script handle under luahttp), class checks, and the metatables' group flags. 127.0.0.1 only.
local socket = require("socket")
local values = dofile("test/lua/support/show.lua")
local show, err = values.show, values.err
-- setsockname / setpeername are bind / connect
local m = socket.tcp()
print("setsockname", show(m:setsockname("127.0.0.1", 0)))
print("listen default backlog", show(m:listen()))
local _, port = m:getsockname()
m:settimeout(2)
local c = socket.tcp()
c:settimeout(2)
print("setpeername", show(c:setpeername("127.0.0.1", port)), show(c))
local a = assert(m:accept())
a:settimeout(2)
print("peer matches", select(2, c:getsockname()) == tostring(select(2, a:getpeername())))
-- options
local bools = { "keepalive", "reuseaddr", "reuseport", "tcp-nodelay" }
for _, o in ipairs(bools) do
  print("opt", o, show(c:getoption(o)), show(c:setoption(o, true)), show(c:getoption(o)), show(c:setoption(o, false)), show(c:getoption(o)))
end
for _, o in ipairs({ "tcp-keepidle", "tcp-keepcnt", "tcp-keepintvl" }) do
  print("opt", o, show(c:getoption(o)), show(c:setoption(o, 30)), show(c:getoption(o)))
end
for _, o in ipairs({ "recv-buffer-size", "send-buffer-size" }) do
  print("opt", o, show(c:setoption(o, 8192)), show(c:getoption(o)))
end
for _, o in ipairs({ "tcp-defer-accept", "tcp-fastopen", "tcp-fastopen-connect" }) do
  print("opt set", o, show(c:setoption(o, 1)), err(c.getoption, c, o))
end
print("opt ipv6-v6only on inet", show(c:setoption("ipv6-v6only", true)), err(c.getoption, c, "ipv6-v6only"))
local six = socket.tcp6()
print("opt ipv6-v6only on inet6", show(six:setoption("ipv6-v6only", false)), err(six.getoption, six, "ipv6-v6only"))
print("opt linger default", show(c:getoption("linger").on, c:getoption("linger").timeout))
print("opt linger set", show(c:setoption("linger", { on = false, timeout = 3 })), show(c:getoption("linger").on, c:getoption("linger").timeout))
print("opt on server", show(m:getoption("reuseaddr")), show(m:setoption("keepalive", true)), show(m:getoption("keepalive")))
print("opt error", show(c:getoption("error")), show(m:getoption("error")))
print("opt tcp4 master", show(socket.tcp4():getoption("tcp-nodelay")), show(socket.tcp4():setoption("tcp-nodelay", true)))
print("opt number as string", show(c:setoption("tcp-keepidle", "45")), show(c:getoption("tcp-keepidle")))
print("opt number bad", err(c.setoption, c, "tcp-keepidle", {}))
print("opt bool bad", err(c.setoption, c, "reuseaddr", "yes"))
print("opt no name", err(c.setoption, c))
print("opt get no name", err(c.getoption, c))
print("opt closed", show(socket.tcp4():close()))
local cl = socket.tcp4(); cl:close()
print("opt on closed", show(cl:setoption("keepalive", true)), show(cl:getoption("keepalive")))
-- nodelay still works for data
c:setoption("tcp-nodelay", true)
print("data after options", show(c:send("ping\n")), show(a:receive()))
-- shutdown modes
print("shutdown receive", show(a:shutdown("receive")))
c:send("after\n")
print("send after peer shutdown-receive", show(c:send("x")))
print("shutdown default", show(c:shutdown()))
print("receive after own shutdown both", show(c:receive()))
print("send after own shutdown both", show(c:send("x")))
-- (reads after shutdown("receive") do not wait: give the bytes time to arrive)
socket.sleep(0.1)
print("peer sees end", show(a:receive("*a")))
print("shutdown bad", err(c.shutdown, c, "nope"))
print("shutdown on master", err(socket.tcp().shutdown, socket.tcp(), "both"))
c:close() a:close()
-- send half-close: the peer reads to the end, then can still answer
local c2 = socket.tcp(); c2:settimeout(2); c2:connect("127.0.0.1", port)
local a2 = assert(m:accept()); a2:settimeout(2)
c2:send("request")
print("shutdown send", show(c2:shutdown("send")))
print("peer reads all", show(a2:receive("*a")))
print("peer answers", show(a2:send("reply")))
a2:close()
print("half-closed reads", show(c2:receive("*a")))
c2:close()
-- fds
local t4 = socket.tcp4()
local fd = t4:getfd()
print("getfd", math.type(fd), fd >= 0)
print("setfd same", show(t4:setfd(fd)), t4:getfd() == fd)
print("setfd -1", show(t4:setfd(-1)), show(t4:getfd()))
print("after setfd -1", show(t4:getsockname()), show(t4:close()), show(t4:getfd()))
print("setfd bad", err(t4.setfd, t4, "x"))
print("setfd none", err(t4.setfd, t4))
local c3 = socket.tcp(); c3:settimeout(2); c3:connect("127.0.0.1", port)
local a3 = assert(m:accept()); a3:settimeout(0.2)
local fd3 = c3:getfd()
c3:setfd(-1)
print("client setfd -1", show(c3), show(c3:getfd()))
print("client send on -1", show(c3:send("x")))
print("client receive on -1", show(c3:receive()))
print("select skips -1", show(socket.select({ c3 }, nil, 0)))
c3:setfd(fd3)
print("client setfd back", c3:getfd() == fd3, show(c3:send("back\n")), show(a3:receive()))
c3:close() a3:close()
-- wrong classes
print("listen on client", err(socket.connect("127.0.0.1", port).listen))
print("bind on client", err(function() local x = socket.connect("127.0.0.1", port) return x:bind("127.0.0.1", 0) end))
-- connect accepts any tcp object and makes it a client, even a server (LuaSocket 3.1.0)
print("connect on server", show(m:connect("127.0.0.1", port)), m.class)
print("getstats on master", err(function() return socket.tcp():getstats() end))
print("setstats on server", err(function() return m:setstats(1, 1, 1) end))
print("tostring forms", tostring(socket.tcp()):match("^tcp{master}: 0x%x+$") ~= nil, tostring(m):match("^tcp{client}: 0x%x+$") ~= nil,
  tostring(socket.bind("127.0.0.1", 0)):match("^tcp{server}: 0x%x+$") ~= nil)
print("class fields", socket.tcp().class, m.class)
local mt = getmetatable(m)
print("metatable", mt.__name, mt["tcp{any}"], mt["select{able}"], getmetatable(socket.udp())["select{able}"])
m:close()

-- option values the kernel checks
local m4 = socket.tcp4()
local srv = assert(socket.bind("127.0.0.1", 0))
local _, sport = srv:getsockname()
srv:settimeout(2)
local c = assert(socket.connect("127.0.0.1", sport))
local peer = assert(srv:accept())
for _, o in ipairs({ "tcp-defer-accept", "tcp-fastopen", "tcp-fastopen-connect" }) do
  print(o, "master", show(m4:setoption(o, 1)), "server", show(srv:setoption(o, 1)), "client", show(c:setoption(o, 1)))
  print(o, "values", show(m4:setoption(o, 0)), show(m4:setoption(o, -1)), show(m4:setoption(o, 2)), show(c:setoption(o, 0)), show(c:setoption(o, true)))
end
for _, o in ipairs({ "tcp-keepidle", "tcp-keepcnt", "tcp-keepintvl" }) do
  print(o, show(c:setoption(o, 0)), show(c:getoption(o)), show(c:setoption(o, {})), show(c:setoption(o, -5)),
    show(c:setoption(o, 40000)), show(c:getoption(o)), show(c:setoption(o, 2.7)), show(c:getoption(o)), show(c:setoption(o, nil)))
end
print("bounds", show(m4:setoption("tcp-keepidle", 32767)), show(m4:setoption("tcp-keepidle", 32768)), show(m4:setoption("tcp-keepcnt", 127)),
  show(m4:setoption("tcp-keepcnt", 128)), show(m4:setoption("tcp-keepintvl", 32767)), show(m4:setoption("tcp-keepintvl", 32768)))
for _, o in ipairs({ "recv-buffer-size", "send-buffer-size" }) do
  print(o, show(c:setoption(o, 0)), show(c:getoption(o)), show(c:setoption(o, {})), show(c:setoption(o, 2.7)), show(c:getoption(o)), show(c:setoption(o, 50000)), show(c:getoption(o)))
end
print("linger", show(c:setoption("linger", { on = true, timeout = 5 })), c:getoption("linger").timeout)
print("linger off", show(c:setoption("linger", { on = false, timeout = 3 })), c:getoption("linger").on, c:getoption("linger").timeout)
print("linger fraction", show(c:setoption("linger", { on = true, timeout = 2.9 })), c:getoption("linger").on, c:getoption("linger").timeout)
print("linger method error", err(function() return c:setoption("keepalive", nil) end))
print("v6only get", err(function() return socket.tcp6():getoption("ipv6-v6only") end))
c:close() peer:close() srv:close() m4:close()

-- after shutdown("receive") reads never wait: select counts the socket readable, receive says
-- "closed" while nothing is queued, and bytes the peer sends later are still read
local s9 = assert(socket.bind("127.0.0.1", 0))
local _, p9 = s9:getsockname()
s9:settimeout(2)
local c9 = assert(socket.connect("127.0.0.1", p9))
local a9 = assert(s9:accept())
a9:settimeout(2)
print("shutdown receive", show(a9:shutdown("receive")))
local r9, _, e9 = socket.select({ a9 }, nil, 0.5)
print("select after shutdown receive", #r9, r9[1] == a9, e9)
print("receive, nothing queued", show(a9:receive()))
c9:send("late\n")
socket.sleep(0.1)
print("receive, bytes sent later", show(a9:receive()))
print("receive again", show(a9:receive()))
c9:close() a9:close() s9:close()
