-- A task waits in udp:receive for a datagram that another task sends only after its DNS lookups:
-- the receive blocks only its task. Lookups give inside tasks what they give outside.
local lh = require "luahttp"
local socket = require "socket"
local dns = socket.dns

local function lookups()
  local ip = dns.toip("localhost")
  local name = dns.tohostname("127.0.0.1") ~= nil
  local ai = dns.getaddrinfo("127.0.0.1")
  local names = dns.getnameinfo("127.0.0.1")
  return ip, name, ai and ai[1].family .. " " .. ai[1].addr, type(names)
end
print("outside", lookups())

local u = assert(socket.udp())
assert(u:setsockname("127.0.0.1", 0))
local _, port = u:getsockname()
u:settimeout(10)
local receiver = lh.spawn(function()
  local dgram, ip = u:receivefrom()
  return dgram, ip
end)
local sender = lh.spawn(function()
  local r = table.pack(lookups())
  local s = assert(socket.udp())
  assert(s:sendto("after lookups: " .. tostring(r[1]), "127.0.0.1", port))
  s:close()
  return table.unpack(r, 1, r.n)
end)
print("inside", sender:wait())
print("receiver", receiver:wait())
u:close()
