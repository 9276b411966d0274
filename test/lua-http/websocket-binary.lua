-- http.websocket: binary messages are bytes both ways (NUL, 0xFF, every byte value, 7/16/64-bit
-- lengths), and the frames the client puts on the wire (masked, as the server reports them).
local websocket, WS, WSS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")

local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end
local function sum(s)
  local a, b = 1, 0
  for i = 1, #s do a = (a + s:byte(i)) % 65521; b = (b + a) % 65521 end
  return b * 65536 + a
end

local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)

local ws = websocket.new_from_uri(WS .. "/echo")
assert(ws:connect(20))
for _, msg in ipairs { "\0", "\255", "\0\255\0", "a\0b\255c", all, all:rep(300), ("\0"):rep(70000) } do
  print("send", #msg, ws:send(msg, "binary"))
  local data, kind = ws:receive(20)
  print("recv", #data, kind, data == msg, sum(data))
end
-- A text message may carry any bytes a script gives it; the echo server sends them back unchanged,
-- and lua-http then refuses them as text that is not UTF-8 (close 1007).
print("send bad text", ws:send("ok\255", "text"))
print("recv bad text", ws:receive(20))
print("state", ws.readyState, ws.got_close_code)
ws:close()

local big = websocket.new_from_uri(WS .. "/big?n=70000")
assert(big:connect(20))
local data, kind = big:receive(20)
print("big", #data, kind, sum(data), hex(data:sub(1, 4)), hex(data:sub(-2)))
big:close()

local r = websocket.new_from_uri(WS .. "/report")
assert(r:connect(20))
for _, case in ipairs { { "abc", "text" }, { "\0\255", "binary" }, { all:sub(1, 40), "binary" }, { "", "binary" }, { ("q"):rep(300), "binary" } } do
  print("send", hex(case[1]:sub(1, 8)), case[2], r:send(case[1], case[2]))
  print("report", r:receive(20))
end
r:close()
