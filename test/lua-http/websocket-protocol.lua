-- http.websocket: frames from the server that lua-http refuses (closing with 1002 or 1007 and its
-- words) or accepts (a masked server frame, a 64-bit length for a short payload), and a frame that
-- arrives in two pieces with receive() timeouts between (nothing of it is lost).
local websocket, WS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")

local cases = {
  { "control frame over 125 bytes", "897e0080" .. ("61"):rep(128) },
  { "fragmented ping", "090161" },
  { "reserved opcode 3", "830161" },
  { "reserved control opcode 11", "8b0161" },
  { "continuation without a start", "800161" },
  { "text while a message is open", "010161810162" },
  { "close with one byte", "880103" },
  { "close reason not UTF-8", "880403e8ff61" },
  { "masked server frame", "8185" .. "01020304" .. "6960686869" },
  { "64-bit length", "817f000000000000000568656c6c6f" },
  { "empty text", "8100" },
  { "empty binary then text", "82008102686921" },
  { "ping then text", "89027a7a810178" },
  { "text over two fragments, pong between", "010268698a00800121" },
}
for _, case in ipairs(cases) do
  local ws = websocket.new_from_uri(WS .. "/send?hex=" .. case[2])
  assert(ws:connect(20))
  print(case[1], ws:receive(20))
  print("", ws.readyState, ws.got_close_code, ws.got_close_message)
  ws:close()
end

local slow = websocket.new_from_uri(WS .. "/slowframe")
assert(slow:connect(20))
-- Half a frame: receive() times out, and keeps what came for the next call.
print("half a frame", slow:receive(0.2))
print("half a frame again", slow:receive(0.1))
print("ask for the rest", slow:send("more"))
print("whole frame", slow:receive(20))
print("after", slow:send("next"), slow:receive(20))
slow:close()
