-- http.websocket's failures in lua-http's words: refused, a refused upgrade (403), handshake answers
-- RFC 6455 refuses, timeouts while connecting and receiving, a server that hangs up, misuse.
local websocket, WS, WSS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")
local closed = arg[3]:gsub("^http:", "ws:")

local function try(...)
  local ok, e = pcall(...)
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end

print("refused", websocket.new_from_uri(closed .. "/"):connect(20))
for _, path in ipairs { "/refuse", "/bad-accept", "/no-upgrade", "/extensions", "/hangup" } do
  local ws = websocket.new_from_uri(WS .. path)
  print(path, ws:connect(20))
  print(path .. " state", ws.readyState, ws.headers)
end
print("unexpected protocol", websocket.new_from_uri(WS .. "/protocol?choose=other", { "chat" }):connect(20))
print("protocol not asked", websocket.new_from_uri(WS .. "/protocol?choose=chat"):connect(20))
print("connect timeout", websocket.new_from_uri(WS .. "/stall"):connect(0.3))

local s = websocket.new_from_uri(WS .. "/silent")
print("before connect", s:send("x"))
print("receive before connect", s:receive(1))
print("close before connect", s:close(), s.readyState)
s = websocket.new_from_uri(WS .. "/silent")
assert(s:connect(20))
print("receive timeout", s:receive(0.2))
print("receive timeout again", s:receive(0.1))
print("still open", s.readyState, s:send("x"))
print("connect twice", try(s.connect, s))
print("close", s:close(1000, "done", 20), s.got_close_code, s.got_close_message)

print("bad scheme", try(websocket.new_from_uri, "ftp://127.0.0.1/"))
print("no host", try(websocket.new_from_uri, "ws:///x"))
print("invalid uri", try(websocket.new_from_uri, "not a uri"))
print("duplicate protocol", try(websocket.new_from_uri, WS, { "a", "b", "a" }))
print("invalid protocol", try(websocket.new_from_uri, WS, { "a b" }))
print("empty protocol", try(websocket.new_from_uri, WS, { "" }))
local e = websocket.new_from_uri(WS .. "/echo")
assert(e:connect(20))
print("bad opcode", try(e.send, e, "x", 16))
print("opcode name", try(e.send, e, "x", "ping"))
print("not a string", try(e.send, e, 42))
e:close()
