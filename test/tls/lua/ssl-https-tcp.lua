-- ssl.https.tcp(params) called directly (LuaSec 1.2's create function, as custom protocol code uses
-- it): connect() does the TCP connect, ssl.wrap, SNI and the handshake; the object then speaks TLS.
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url
local good, _, expired, _, _, _, cafile = ...
local socket = require("socket")
local https = require("ssl.https")

local port = tonumber(good:match(":(%d+)$"))
local create = https.tcp { verify = "peer", cafile = cafile }
local conn = create()
print("settimeout", conn:settimeout(1))
print("connect", conn:connect("localhost", port))
print("send", conn:send("GET /echo?via=https.tcp HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
print("status", conn:receive())
local all = conn:receive("*a")
print("echo", all:match("GET [^\n]*"))
print("peer", conn:getpeercertificate():subject()[1].value)
conn:close()

-- a failed handshake raises a socket.try error: socket.protect turns it into nil, msg
local f = socket.protect(function()
  local c = https.tcp { verify = "peer", cafile = cafile }()
  return c:connect("localhost", tonumber(expired:match(":(%d+)$")))
end)
local r, err = f()
print("expired", r, err:match("^certificate verify failed"))
