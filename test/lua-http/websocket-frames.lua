-- http.websocket's exported frame functions: build_frame (masking with a given key, 7/16/64-bit
-- lengths, flags), build_close and parse_close, byte for byte.
local websocket = require "http.websocket"

local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end

local key = { 1, 2, 3, 4 }
for _, data in ipairs { "", "a", "ab", "abc", "abcd", "abcde", "hello world", "\0\255\0\255\0" } do
  print("masked", #data, hex(websocket.build_frame({ opcode = 1, FIN = true, MASK = true, key = key, data = data })))
  print("plain", #data, hex(websocket.build_frame({ opcode = 2, FIN = true, data = data })))
end
for _, n in ipairs { 125, 126, 127, 65535, 65536, 70001 } do
  local data = ("\7"):rep(n)
  local f = websocket.build_frame({ opcode = 2, FIN = true, MASK = true, key = { 255, 0, 128, 7 }, data = data })
  print("length", n, #f, hex(f:sub(1, 16)), hex(f:sub(-6)))
end
print("flags", hex(websocket.build_frame({ opcode = 0, RSV1 = true, RSV2 = true, RSV3 = true, data = "x" })))
print("flags", hex(websocket.build_frame({ opcode = 10, FIN = true, RSV2 = true })))
local ok, e = pcall(websocket.build_frame, { opcode = 9, FIN = true, data = ("x"):rep(126) })
print("control too long", ok, (tostring(e):gsub("^.-:%d+: ", "")))
ok, e = pcall(websocket.build_frame, { FIN = true })
print("no opcode", ok, (tostring(e):gsub("^.-:%d+: ", "")))

for _, c in ipairs { { 1000 }, { 1001, "bye" }, { 4000, "" }, {} } do
  local f = websocket.build_close(c[1], c[2], false)
  print("build_close", c[1], c[2], f.opcode, f.FIN, f.MASK, hex(f.data))
  print("parse_close", websocket.parse_close(f.data))
end
print("build_close masked", websocket.build_close(1000, nil, true).MASK)
print("parse_close short", websocket.parse_close("\3"))
ok, e = pcall(websocket.build_close, 1000, ("r"):rep(124))
print("long reason", ok, (tostring(e):gsub("^.-:%d+: ", "")))
print("mt", websocket.mt.__name, websocket.methods.close_timeout, type(websocket.new))
local s = websocket.new("client")
print("new", tostring(s), s.readyState)
ok, e = pcall(websocket.new, "peer")
print("new bad", ok, (tostring(e):gsub("^.-:%d+: ", "")))
