-- http.websocket's handshake: the request a server receives (lua-http's headers, the script's own,
-- subprotocols), the response fields a script reads, redirects followed, http:// URIs.
local websocket, WS, WSS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")

local h = websocket.new_from_uri(WS .. "/headers?x=1", { "chat", "superchat" })
h.request.headers:append("x-extra", "yes")
h.request.headers:upsert("user-agent", "ws-test/1")
print("to_uri", h.request:to_uri())
print("key", #h.key, h.request.headers:get("sec-websocket-key") == h.key, h.request.headers:get("sec-websocket-protocol"))
print("protocols", h.protocols[1], h.protocols[2], h.protocols.chat, h.protocols.other)
assert(h:connect(20))
print(h:receive(20))
print("protocol", h.protocol)
h:close()

local n = websocket.new_from_uri(WS .. "/headers")
assert(n:connect(20))
print(n:receive(20))
n:close()

local p = websocket.new_from_uri(WS .. "/protocol?choose=superchat", { "chat", "superchat" })
print("connect", p:connect(20))
print("protocol", p.protocol, p.headers:get("sec-websocket-protocol"))
local fields = {}
for name, value in p.headers:each() do
  if name ~= "sec-websocket-accept" then fields[#fields + 1] = name .. "=" .. value end
end
print("response", table.concat(fields, " "))
print("accept", #p.headers:get("sec-websocket-accept"))
p:close()

local r = websocket.new_from_uri(WS .. "/redirect")
print("redirect", r:connect(20))
print("echo", r:send("after redirect"), r:receive(20))
r:close()
local nr = websocket.new_from_uri(WS .. "/redirect")
nr.request.follow_redirects = false
print("no redirect", nr:connect(20))

local http = websocket.new_from_uri((WS:gsub("^ws:", "http:")) .. "/echo")
print("http uri", http:connect(20))
print("echo", http:send("over http uri"), http:receive(20))
http:close()
local t = websocket.new_from_uri(WS .. "/echo")
t.request.headers:upsert(":path", "/headers?changed")
print("changed path", t:connect(20), (t:receive(20)):match("^[^\n]*"))
t:close()
