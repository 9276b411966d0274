-- http.websocket: each() yields message, kind until the connection ends (a server close ends the loop
-- and records the code), and a loop may stop early.
local websocket, WS, WSS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")

local ws = websocket.new_from_uri(WS .. "/echo")
assert(ws:connect(20))
for i = 1, 5 do assert(ws:send("message " .. i, i % 2 == 0 and "binary" or "text")) end
assert(ws:send("stop"))
local n = 0
for data, kind in ws:each() do
  n = n + 1
  print("each", n, data, kind)
  if data == "stop" then break end
end
print("after break", ws.readyState, ws:send("more"), ws:receive(20))
ws:close()

local c = websocket.new_from_uri(WS .. "/fragments")
assert(c:connect(20))
local got = {}
for data, kind in c:each() do
  got[#got + 1] = kind .. ":" .. #data
  if #got == 2 then c:close(4002, "enough") end
end
print("each until closed", table.concat(got, " "), c.readyState, c.got_close_code, c.got_close_message)

local s = websocket.new_from_uri(WS .. "/close?code=1001&reason=away")
assert(s:connect(20))
local count = 0
for _ in s:each() do count = count + 1 end
print("each on server close", count, s.readyState, s.got_close_code, s.got_close_message)
local it, state = s:each()
print("each after close", type(it), state == s, it(state))
