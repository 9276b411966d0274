-- http.websocket: text messages to an echo server (ws://), the object's states and fields, and what
-- send/receive answer once the connection is closed.
local websocket, WS, WSS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")

local ws = websocket.new_from_uri(WS .. "/echo")
print("new", tostring(ws), ws.type, ws.readyState, ws.socket, ws.headers, ws.protocol, ws.got_close_code)
print("request", getmetatable(ws.request).__name, ws.request.host, ws.request.tls, ws.request.version)
print("connect", ws:connect(20))
print("open", tostring(ws), ws.readyState, ws.request, ws.protocol)
print("status", ws.headers:get(":status"), ws.headers:get("upgrade"), ws.headers:get("connection"))
for _, msg in ipairs { "hello", "", "héllo wörld ✓", ("x"):rep(125), ("y"):rep(126), ("z"):rep(65535), ("w"):rep(65536) } do
  print("send", #msg, ws:send(msg))
  local data, kind = ws:receive(20)
  print("recv", #data, kind, data == msg)
end
print("send text", ws:send("explicit", "text"))
print("recv", ws:receive(20))
print("close", ws:close())
print("closed", tostring(ws), ws.readyState, ws.got_close_code, ws.got_close_message)
print("send after close", ws:send("late"))
print("receive after close", ws:receive(1))
print("close again", ws:close())
