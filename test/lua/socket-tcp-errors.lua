-- Bad input for the socket core: refused and unresolvable connects, select with ~200 sockets and
-- with bad arguments, non-blocking connects, dns on loopback names. arg[3] is a closed-port URL.
local socket = require("socket")
local closedport = tonumber(arg[3]:match(":(%d+)$"))
local show = dofile("test/lua/support/show.lua").show

print("refused global", show(socket.connect("127.0.0.1", closedport)))
local t = socket.tcp()
print("refused method", show(t:connect("127.0.0.1", closedport)))
print("class after refused", show(t), type(t:getfd()))
print("recv after refused", show(t:receive()))
print("send after refused", show(t:send("x")))
print("peer after refused", show(t:getpeername()))
t:close()
print("unknown host", show(socket.connect("nonexistent.invalid", 80)))
print("tcp4 refused", show(socket.tcp4():connect("127.0.0.1", closedport)))

-- non-blocking connect: "timeout", then writable, then connected
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local nb = socket.tcp()
nb:settimeout(0)
print("nb connect", show(nb:connect("127.0.0.1", port)))
local r, w, e = socket.select(nil, { nb }, 2)
print("nb writable", #w, w[1] == nb, w[nb], e)
print("nb connect again", show(nb:connect("127.0.0.1", port)))
local nb4 = socket.tcp4()
nb4:settimeout(0)
print("nb4 connect", show(nb4:connect("127.0.0.1", port)))
socket.select(nil, { nb4 }, 2)
print("nb4 connect again", show(nb4:connect("127.0.0.1", port)))

-- select shapes
print("select empty", show(socket.select({}, {}, 0)))
print("select nils", show(socket.select(nil, nil, 0.01)))
print("select bad table", (select(2, pcall(socket.select, 3))):match("%((.*)%)"))
print("select bad item", show(pcall(socket.select, { 1 })))
print("select big fd", (select(2, pcall(socket.select, { { getfd = function() return 5000 end } }))):match("%((.*)%)"))
print("select fd -1 skipped", show(socket.select({ { getfd = function() return -1 end } }, nil, 0)))
print("select closed", show(socket.select({ socket.tcp() }, nil, 0)))

-- ~200 connected pairs; select sees exactly the ones with data, in a {[i]=s, [s]=i} table
nb:close() nb4:close() server:close()
server = assert(socket.bind("127.0.0.1", 0))
_, port = server:getsockname()
server:settimeout(2)
local clients, conns = {}, {}
for i = 1, 200 do
  clients[i] = assert(socket.connect("127.0.0.1", port))
  conns[i] = assert(server:accept())
end
local r0, _, e0 = socket.select(conns, nil, 0)
print("200 idle", #r0, e0)
for i = 1, 200, 7 do clients[i]:send("ping " .. i .. "\n") end
local expect = 0
for i = 1, 200, 7 do expect = expect + 1 end
local ready, seen = {}, 0
local deadline = socket.gettime() + 5
while seen < expect and socket.gettime() < deadline do
  local rr = socket.select(conns, nil, 1)
  for _, c in ipairs(rr) do
    if not ready[c] then ready[c] = true; seen = seen + 1 end
  end
  if seen < expect then socket.sleep(0.01) end
end
print("200 ready", seen, expect)
local rr, ww = socket.select(conns, conns, 0)
print("assoc ok", rr[rr[1]] == 1.0, math.type(rr[rr[1]]), #ww)
local lines = {}
for i, c in ipairs(conns) do
  if ready[c] then lines[#lines + 1] = c:receive() end
end
print("lines", #lines, lines[1], lines[#lines])
print("dirty none", conns[1]:dirty())
clients[1]:send("a\nb\n")
conns[1]:receive()
print("dirty after partial read", conns[1]:dirty())
local rd = socket.select({ conns[1] }, nil, 5)
print("dirty counts as readable", #rd, rd[1] == conns[1])
for i = 1, 200 do clients[i]:close(); conns[i]:close() end
server:close()

-- dns on loopback names (addresses only, nothing machine-specific)
print("toip addr", (socket.dns.toip("127.0.0.1")))
local ip, res = socket.dns.toip("localhost")
print("toip localhost", ip, type(res), type(res.ip), type(res.alias), res.ip[1])
print("toip unknown", show(socket.dns.toip("nonexistent.invalid")))
print("tohostname unknown", show(socket.dns.tohostname("nonexistent.invalid")))
print("getaddrinfo addr", socket.dns.getaddrinfo("127.0.0.1")[1].addr, socket.dns.getaddrinfo("127.0.0.1")[1].family)
print("getaddrinfo unknown", show(socket.dns.getaddrinfo("nonexistent.invalid")))
print("getnameinfo service", select(2, socket.dns.getnameinfo("127.0.0.1", 80)))
print("getnameinfo nil nil", show(pcall(socket.dns.getnameinfo)))
print("gethostname", type(socket.dns.gethostname()))
