-- http.websockets under cq:wrap: several connections at once, and two websockets of one script
-- talking through a relay (each waits in receive() for the other: they must run at once).
local websocket, WS, WSS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")
local cqueues = require "cqueues"

local cq = cqueues.new()
local got = {}
for i = 1, 4 do
  cq:wrap(function()
    local ws = websocket.new_from_uri(WS .. "/echo")
    assert(ws:connect(20))
    for j = 1, 5 do
      assert(ws:send(("%d-%d"):format(i, j), j % 2 == 0 and "binary" or "text"))
      local data, kind = assert(ws:receive(20))
      got[#got + 1] = data .. "/" .. kind
      cqueues.sleep(0)
    end
    assert(ws:close())
    got[#got + 1] = ("closed %d %s"):format(i, tostring(ws.got_close_code))
  end)
end
print("loop", cq:loop())
table.sort(got)
print(table.concat(got, " "))

cq:wrap(function()
  local a = websocket.new_from_uri(WS .. "/relay?room=one")
  assert(a:connect(20))
  print("A got", a:receive(20))
  print("A sends", a:send("hello B", "binary"))
  print("A got", a:receive(20))
  a:close()
end)
cq:wrap(function()
  local b = websocket.new_from_uri(WS .. "/relay?room=one")
  assert(b:connect(20))
  print("B sends", b:send("hello A"))
  print("B got", b:receive(20))
  print("B sends", b:send("bye A"))
  b:close()
end)
print("loop relay", cq:loop())

-- Timeouts in wrapped functions are each their own (printed in a fixed order afterwards).
local silent, echoed
cq:wrap(function()
  local s = websocket.new_from_uri(WS .. "/silent")
  assert(s:connect(20))
  silent = table.pack(s:receive(0.2))
  s:close()
end)
cq:wrap(function()
  local e = websocket.new_from_uri(WS .. "/echo")
  assert(e:connect(20))
  echoed = table.pack(e:send("x"), e:receive(20))
  e:close()
end)
print("loop timeouts", cq:loop())
print("silent", table.unpack(silent, 1, silent.n))
print("echo", table.unpack(echoed, 1, echoed.n))
cq:wrap(function() error("failed in wrap") end)
local ok, err = cq:loop()
print("loop error", ok, (tostring(err):gsub("^.-:%d+: ", "")))
