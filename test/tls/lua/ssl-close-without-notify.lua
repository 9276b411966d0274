-- A TLS peer that closes the TCP connection without close_notify (it answers, then just goes away):
-- LuaSec over OpenSSL 3 reports "unexpected eof while reading" on receive, with the bytes that did
-- arrive as the partial result; a close_notify would give "closed" (ssl-wrap-client.lua). Each
-- pattern on a fresh connection: after the error LuaSec's next receive blocks until its timeout.
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url no-notify-url
local _, _, _, _, _, _, cafile, _, _, nonotify = ...
local socket, ssl = require("socket"), require("ssl")
local port = tonumber(nonotify:match(":(%d+)$"))
local CLIENT = { mode = "client", protocol = "any", verify = "peer", cafile = cafile }
local function open()
  local t = socket.tcp(); t:settimeout(5)
  assert(t:connect("127.0.0.1", port))
  local c = assert(ssl.wrap(t, CLIENT)); c:sni("localhost"); c:settimeout(5)
  assert(c:dohandshake())
  c:send("GET / HTTP/1.0\r\n\r\n")
  return c
end
local c = open()
print("all", c:receive("*a"))
print("want", c:want())
c:close()
c = open()
for i = 1, 4 do local l, e, p = c:receive("*l") print("line", l, e, p) if e then break end end
c:close()
c = open()
print("n", c:receive(100))
c:close()
c = open()
print("n", c:receive(5))
print("n", c:receive(100))
c:close()
