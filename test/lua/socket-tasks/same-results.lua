-- LuaSocket's results and error strings for waits that end every way (data, partial data and a
-- timeout, the peer's close, refusal, an unknown service, select's timeout, udp's timeout), printed
-- by the same code run in the main flow and then inside a luahttp task. The test compares the two
-- runs with each other and the first with native lua5.4 + LuaSocket (which has no luahttp: it runs
-- only the main-flow part). Every peer action happens before the wait that sees it, so the two
-- runs see the same things.
local socket = require "socket"

local function show(...)
  local out = table.pack(...)
  for i = 1, out.n do
    local v = out[i]
    if type(v) == "table" then out[i] = "table#" .. #v
    elseif type(v) == "userdata" then out[i] = tostring(v):match("^[^:]+")
    else out[i] = tostring(v) end
  end
  print(table.concat(out, "\t", 1, out.n))
end

local function portof(sock)
  local _, port = sock:getsockname()
  return port
end

local function pair(server)
  local c = assert(socket.connect("127.0.0.1", portof(server)))
  local s = assert(server:accept())
  return c, s
end

local function scenarios()
  local server = assert(socket.bind("127.0.0.1", 0))

  local c, s = pair(server)
  s:send("abc")
  c:settimeout(0.05)
  show("partial line", c:receive("*l"))
  show("count after", c:receive(2))
  s:send("de\nfgh")
  show("line", c:receive("*l"))
  show("prefixed count", c:receive(5, "xy"))
  s:close()
  show("closed partial", c:receive("*l"))
  show("closed again", c:receive("*l"))
  show("all after close", c:receive("*a"))
  show("stats", (c:getstats()))
  c:close()
  show("closed object", c:receive())

  c, s = pair(server)
  s:send("everything\r\nuntil close")
  s:close()
  c:settimeout(1)
  show("all", c:receive("*a"))
  c:close()

  c, s = pair(server)
  c:settimeout(1)
  show("send", c:send("to the peer", 4, 9))
  s:settimeout(1)
  show("peer got", s:receive(6))
  s:send("ping\n")
  show("select readable", socket.select({ c, s }, nil, 1))
  show("ping", c:receive("*l"))
  show("select writable", socket.select(nil, { c }, 1))
  show("select none ready", socket.select({ c }, nil, 0.05))
  show("select nothing", socket.select(nil, nil, 0.01))
  c:close()
  s:close()

  server:settimeout(0.05)
  show("accept timeout", server:accept())
  local port = portof(server)
  server:close()
  show("refused", socket.connect("127.0.0.1", port))
  local t = socket.tcp()
  t:settimeout(1)
  show("tcp refused", t:connect("127.0.0.1", port))
  t:close()
  show("bad service", socket.connect("127.0.0.1", "no-such-service-name"))
  local busy = assert(socket.bind("127.0.0.1", 0))
  show("bind in use", socket.bind("127.0.0.1", portof(busy)))
  busy:close()

  local u = assert(socket.udp())
  assert(u:setsockname("127.0.0.1", 0))
  u:settimeout(0.05)
  show("udp timeout", u:receive())
  local v = assert(socket.udp())
  local uport = portof(u)
  show("udp sendto", v:sendto("datagram", "127.0.0.1", uport))
  u:settimeout(1)
  show("udp receivefrom", (u:receivefrom()))
  assert(v:setpeername("127.0.0.1", uport))
  show("udp send", v:send("connected"))
  show("udp receive", u:receive(4))
  u:close()
  v:close()

  show("toip", socket.dns.toip("localhost"))
  show("getaddrinfo", socket.dns.getaddrinfo("localhost"))
end

print("-- main flow")
scenarios()
local ok, lh = pcall(require, "luahttp")
if ok then
  print("-- in a task")
  lh.spawn(scenarios):wait()
end
