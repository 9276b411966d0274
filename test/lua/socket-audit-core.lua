-- socket core items no other script compares (audit for issue 4, see README-coverage.md): the
-- constants (_SETSIZE, _SOCKETINVALID, _DATAGRAMSIZE, BLOCKSIZE, no _DEBUG), __unload, sleep's
-- argument check, gettime, dns answers on loopback names (tohostname, toip's resolved table,
-- getaddrinfo, getnameinfo with and without a service, an address without a name), gethostname,
-- and socket.connect's local address and family arguments. Only 127.0.0.1 / ::1.
local socket = require("socket")
local values = dofile("test/lua/support/show.lua")
local show, err = values.show, values.err

print("consts", show(socket._SETSIZE, socket._SOCKETINVALID, socket._DATAGRAMSIZE, socket.BLOCKSIZE, socket._DEBUG))
print("types", math.type(socket._SETSIZE), math.type(socket._SOCKETINVALID), math.type(socket._DATAGRAMSIZE))
print("unload", show(socket.__unload()))
print("sleep", show(socket.sleep(-1)), show(socket.sleep(0)), show(socket.sleep(0.01)), show(socket.sleep("0.01")))
print("sleep bad", err(socket.sleep, "x"))
print("sleep none", err(socket.sleep))
print("sleep table", err(socket.sleep, {}))
local t0 = socket.gettime(); socket.sleep(0.05); local t1 = socket.gettime()
print("gettime", math.type(t0), t1 - t0 >= 0.04, t1 - t0 < 2, math.abs(t0 - os.time()) < 2)

-- dns
print("tohostname", show(socket.dns.tohostname("127.0.0.1")))
local _, r = socket.dns.tohostname("127.0.0.1")
print("tohostname resolved", r.name, #r.alias, table.concat(r.ip, ","))
local ip, r2 = socket.dns.toip("localhost")
print("toip resolved", ip, r2.name, #r2.alias, table.concat(r2.ip, ","))
local ip3, r3 = socket.dns.toip("127.0.0.1")
print("toip address resolved", ip3, r3.name, #r3.alias, table.concat(r3.ip, ","))
print("toip bad", err(socket.dns.toip))
print("tohostname bad", err(socket.dns.tohostname, {}))
do
  -- /etc/hosts may or may not list ::1 as localhost: check the shape, and that 127.0.0.1 is there
  local ai = socket.dns.getaddrinfo("localhost")
  local v4, consistent = false, true
  for _, a in ipairs(ai) do
    if a.family == "inet" and a.addr == "127.0.0.1" then v4 = true end
    if (a.family == "inet6") ~= (a.addr:find(":") ~= nil) then consistent = false end
  end
  print("getaddrinfo localhost", type(ai), #ai > 0, v4, consistent)
end
print("getaddrinfo ::1", socket.dns.getaddrinfo("::1")[1].family, socket.dns.getaddrinfo("::1")[1].addr, #socket.dns.getaddrinfo("::1"))
print("getaddrinfo bad", err(socket.dns.getaddrinfo))
print("getnameinfo host", show(socket.dns.getnameinfo("127.0.0.1")))
local names = socket.dns.getnameinfo("127.0.0.1")
print("getnameinfo names", type(names), #names, names[1])
print("getnameinfo service only", show(socket.dns.getnameinfo(nil, "80")), #(socket.dns.getnameinfo(nil, "80")))
print("getnameinfo unnamed service", select(2, socket.dns.getnameinfo(nil, "5555")), select(2, socket.dns.getnameinfo("127.0.0.1", "5555")))
print("getnameinfo host and service", select(2, socket.dns.getnameinfo("127.0.0.1", "http")))
do
  -- ::1 has a name only if /etc/hosts gives it one; without, getnameinfo answers in numeric form
  local n6, e6 = socket.dns.getnameinfo("::1")
  print("getnameinfo ::1", type(n6), e6, n6 and #n6, n6 and (n6[1] == "::1" or n6[1]:find("localhost") ~= nil))
end
print("getnameinfo unknown", show(socket.dns.getnameinfo("nonexistent.invalid")))
print("getnameinfo bad service", show(socket.dns.getnameinfo("127.0.0.1", "nosuchservice")))
print("getnameinfo bad type", err(socket.dns.getnameinfo, "127.0.0.1", {}))
do
  local f = io.open("/proc/sys/kernel/hostname")
  local name = f and f:read("l")
  if f then f:close() end
  print("gethostname", math.type(#socket.dns.gethostname()), socket.dns.gethostname() == name)
end

-- socket.connect(address, port [, laddress [, lport [, family]]])
local server = assert(socket.bind("127.0.0.1", 0))
server:settimeout(2)
local _, port = server:getsockname()
local function connect(label, ...)
  local c, e = socket.connect(...)
  local peer = c and server:accept()
  local info = c and (c:getfamily() .. " " .. (c:getsockname())) or ""
  print(label, show(c ~= nil, e), info, peer and (peer:getpeername()) or "")
  if c then c:close() end
  if peer then peer:close() end
end
connect("laddr", "127.0.0.1", port, "127.0.0.1")
connect("laddr lport 0", "127.0.0.1", port, "127.0.0.1", 0)
connect("laddr star", "127.0.0.1", port, "*", 0)
connect("family inet", "127.0.0.1", port, nil, nil, "inet")
connect("family inet6", "127.0.0.1", port, nil, nil, "inet6")
connect("family unspec", "127.0.0.1", port, nil, nil, "unspec")
connect("laddr v6 to v4", "127.0.0.1", port, "::1", 0)
connect("laddr v4 to v6", "::1", port, "127.0.0.1", 0)
connect("laddr in use", "127.0.0.1", port, "127.0.0.1", port)

print("family bad", err(socket.connect, "127.0.0.1", port, nil, nil, "x"))
print("no port", err(socket.connect, "127.0.0.1"))
print("no address", err(socket.connect))
server:close()

-- a literal of the other family for a socket whose family is fixed
local probe = assert(socket.bind("127.0.0.1", 0))
local _, pport = probe:getsockname()
print("tcp4 to ::1", show(socket.tcp4():connect("::1", pport)))
print("tcp6 to 127.0.0.1", show(socket.tcp6():connect("127.0.0.1", pport)))
print("tcp4 bind ::1", show(socket.tcp4():bind("::1", 0)))
print("tcp6 bind 127.0.0.1", show(socket.tcp6():bind("127.0.0.1", 0)))
print("connect4 ::1", show(socket.connect4("::1", pport)))
print("udp4 peer ::1", show(socket.udp4():setpeername("::1", pport)))
print("udp6 name 127.0.0.1", show(socket.udp6():setsockname("127.0.0.1", 0)))
probe:close()

-- IPv6 loopback end to end: the family of tcp() follows the address it connected to
local s6 = socket.tcp6()
print("tcp6 bind ::1", show(s6:bind("::1", 0)), show(s6:listen(1)), (s6:getsockname()), select(3, s6:getsockname()))
local _, p6 = s6:getsockname()
s6:settimeout(2)
local c6 = assert(socket.connect("::1", p6))
print("connect ::1", c6:getfamily(), (c6:getpeername()), select(3, c6:getpeername()))
local a6 = assert(s6:accept())
print("accept ::1", a6:getfamily(), (a6:getpeername()))
c6:close() a6:close() s6:close()
