-- Ports are getaddrinfo services in LuaSocket: the C core passes the port argument on as a string, so
-- names from /etc/services work for the socket type's protocol (tcp: binkp 24554, udp: sgi-crsd
-- 17002, both: asp 27374), numbers are read by strtoul (blanks and a sign allowed, wrapped to 16
-- bits), and anything else is "service not supported for socket type". udp:sendto adds
-- AI_NUMERICSERV (names are gai_strerror's "Name or service not known"). Only loopback; arg[3] is a
-- closed-port URL.
local socket = require("socket")
local closedport = tonumber(arg[3]:match(":(%d+)$"))
local show = dofile("test/lua/support/show.lua").show

-- tcp: bind and connect by service name
local server, err = socket.bind("127.0.0.1", "binkp")
print("bind binkp", server ~= nil, err)
if server then
  print("bound port", select(2, server:getsockname()))
  server:settimeout(5)
  local client = socket.connect("127.0.0.1", "binkp")
  print("connect binkp", client ~= nil)
  local conn = server:accept()
  print("peer port", select(2, client:getpeername()))
  client:send("hello\n")
  print("echo", conn:receive())
  client:close()
  conn:close()
  local m = socket.tcp()
  m:settimeout(5)
  print("method connect binkp", show(m:connect("127.0.0.1", "binkp")))
  conn = server:accept()
  m:close()
  if conn then conn:close() end
  -- a local port given as a (signed) number string
  local c2 = socket.connect("127.0.0.1", "binkp", "127.0.0.1", "+0")
  print("connect with lport +0", c2 ~= nil, c2 and select(3, c2:getsockname()))
  conn = server:accept()
  if c2 then c2:close() end
  if conn then conn:close() end
  server:close()
end

-- tcp: names of other protocols, case, numbers strtoul accepts and rejects (labels, not values:
-- the closed port changes from run to run)
local P = closedport
local tcpports = {
  { "sgi-crsd", "sgi-crsd" }, { "BINKP", "BINKP" }, { "nosuchservice", "nosuchservice" }, { "empty", "" },
  { "-1", "-1" }, { "0x50", "0x50" }, { "1e2", "1e2" }, { "trailing blank", "80 " }, { "blank then junk", " 80x" },
  { "4294967295", "4294967295" }, { "2147483648", "2147483648" }, { "blank P", " " .. P }, { "tab P", "\t" .. P },
  { "+P", "+" .. P }, { "P+65536", tostring(P + 65536) }, { "P+2^32", tostring(P + 4294967296) },
  { "-(2^32-P)", "-" .. (4294967296 - P) }, { "20 nines", "99999999999999999999" },
}
for _, case in ipairs(tcpports) do
  local t = socket.tcp()
  t:settimeout(5)
  print("tcp connect " .. case[1], show(t:connect("127.0.0.1", case[2])))
  t:close()
end
print("tcp connect float port", show(socket.connect("127.0.0.1", closedport + 0.0)))
print("tcp connect integer port", show(socket.connect("127.0.0.1", closedport)))
print("socket.connect name refused", show(socket.connect("127.0.0.1", "nosuchservice")))
print("socket.connect bad lport", show(socket.connect("127.0.0.1", closedport, "127.0.0.1", "nosuchservice")))
print("socket.bind bad name", show(socket.bind("127.0.0.1", "nosuchservice")))
print("socket.bind udp-only name", show(socket.bind("127.0.0.1", "sgi-crsd")))
local b = socket.tcp()
print("tcp bind negative", show(b:bind("127.0.0.1", -5)))
print("tcp bind empty (= 0)", show(b:bind("127.0.0.1", "")))
b:close()

-- udp: names for setsockname/setpeername, numbers seen through getpeername
local u = socket.udp()
print("udp setsockname sgi-crsd", show(u:setsockname("127.0.0.1", "sgi-crsd")))
print("udp sockname port", select(2, u:getsockname()))
u:close()
local udpports = {
  "asp", "sgi-crsd", "ntp", "domain", "binkp", "http", "www", "Ntp", " 53", "\n53", "+53", "-53", "53 ",
  "65535", "70000", "2147483647", "4294967297", "-4294967295", "-18446744073709551615", "18446744073709551616",
}
for _, p in ipairs(udpports) do
  local c = socket.udp()
  local ok, e = c:setpeername("127.0.0.1", p)
  local peer = ok and select(2, c:getpeername()) or nil
  print("udp setpeername " .. string.format("%q", p), show(ok, e, peer))
  c:close()
end

-- udp sendto: numeric services only; port 0 reaches sendto(2), which says EINVAL
for _, p in ipairs({ "ntp", "nosuch", "-1", "2147483648", "", "0", "65536", "x1" }) do
  local s = socket.udp()
  print("udp sendto " .. string.format("%q", p), show(s:sendto("x", "127.0.0.1", p)))
  s:close()
end
print("udp sendto bad ip, bad port", show(socket.udp():sendto("x", "not-an-ip", "-1")))
print("udp sendto bad ip, name", show(socket.udp():sendto("x", "not-an-ip", "ntp")))

-- dns.getnameinfo: the service is resolved for SOCK_STREAM, then named back
for _, p in ipairs({ "www", "http", "binkp", "12345", "", "70000", "ntp", "nosuch", "-1" }) do
  local names, service = socket.dns.getnameinfo(nil, p)
  print("getnameinfo nil " .. string.format("%q", p), type(names), show(service))
end
print("getnameinfo host+service", select(2, socket.dns.getnameinfo("127.0.0.1", "ssh")))
print("getnameinfo bad service first", show(socket.dns.getnameinfo("nonexistent.invalid", "nosuch")))
