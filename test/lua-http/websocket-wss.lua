-- http.websocket over TLS (wss://): the request's ctx decides what is trusted (lua-http's http.tls
-- context with the test CA added), text and binary both ways, and TLS failures: a server the context
-- does not trust, a certificate for another name (arg[7]), a port that does not speak TLS.
local websocket, WS, WSS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")
local http_tls = require "http.tls"
-- The test CA (arg[12]) signed the wss:// server's certificate.
local CA = arg[12]

local function trusted()
  local ctx = http_tls.new_client_context()
  ctx:getStore():add(CA)
  return ctx
end

local ws = websocket.new_from_uri(WSS .. "/echo")
print("tls", ws.request.tls, ws.request.port == tonumber(WSS:match(":(%d+)$")))
ws.request.ctx = trusted()
print("connect", ws:connect(20))
print("text", ws:send("secure hello"), ws:receive(20))
local bytes = "\0\1\2\255\254\253"
print("binary", ws:send(bytes, "binary"))
local data, kind = ws:receive(20)
print("binary back", data == bytes, #data, kind)
print("ping", ws:send_ping("tls ping"))
print("close", ws:close(4001, "tls bye"), ws.got_close_code, ws.got_close_message)

local ip = websocket.new_from_uri((WSS:gsub("localhost", "127.0.0.1")) .. "/close?code=1000&reason=ip")
ip.request.ctx = trusted()
print("by address", ip:connect(20))
print("server close", ip:receive(20))

local untrusted = websocket.new_from_uri(WSS .. "/echo")
print("untrusted", untrusted:connect(20))
local unverified = websocket.new_from_uri(WSS .. "/echo")
local ctx = http_tls.new_client_context()
ctx:setVerify(require "openssl.ssl.context".VERIFY_NONE)
unverified.request.ctx = ctx
print("verify none", unverified:connect(20))
print("echo", unverified:send("unverified"), unverified:receive(20))
unverified:close()

local plain = websocket.new_from_uri((WS:gsub("^ws:", "wss:")) .. "/echo")
plain.request.ctx = trusted()
print("not TLS", plain:connect(20))
local other = websocket.new_from_uri((arg[7]:gsub("^https:", "wss:")) .. "/")
other.request.ctx = trusted()
print("other name", other:connect(20))
