-- http.websocket over TLS (wss://): the request's ctx decides what is trusted (lua-http's http.tls
-- context with the test CA added), text and binary both ways, and a server the context does not trust.
local websocket = require "http.websocket"
local http_tls = require "http.tls"
-- The websocket server's URLs are the arguments that start with ws:// and wss://.
local WS, WSS
for _, a in ipairs(arg) do
  if a:match("^ws://") then WS = a elseif a:match("^wss://") then WSS = a end
end
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
print("connect", ws:connect(5))
print("text", ws:send("secure hello"), ws:receive(5))
local bytes = "\0\1\2\255\254\253"
print("binary", ws:send(bytes, "binary"))
local data, kind = ws:receive(5)
print("binary back", data == bytes, #data, kind)
print("ping", ws:send_ping("tls ping"))
print("close", ws:close(4001, "tls bye"), ws.got_close_code, ws.got_close_message)

local ip = websocket.new_from_uri((WSS:gsub("localhost", "127.0.0.1")) .. "/close?code=1000&reason=ip")
ip.request.ctx = trusted()
print("by address", ip:connect(5))
print("server close", ip:receive(5))

local untrusted = websocket.new_from_uri(WSS .. "/echo")
print("untrusted", untrusted:connect(5))
local unverified = websocket.new_from_uri(WSS .. "/echo")
local ctx = http_tls.new_client_context()
ctx:setVerify(require "openssl.ssl.context".VERIFY_NONE)
unverified.request.ctx = ctx
print("verify none", unverified:connect(5))
print("echo", unverified:send("unverified"), unverified:receive(5))
unverified:close()
