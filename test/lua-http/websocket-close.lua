-- http.websocket: closing. Codes and reasons both ways, a close without a code, lua-http's own
-- closes for broken frames (1002, 1007), a peer that just goes away, and close() twice.
local websocket, WS, WSS = dofile(arg[0]:match("^(.-)[^/]*$") .. "lib/websocket-setup.lua")

local function hex(s) return s and (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end
local function show(name, ws)
  print(name, tostring(ws), ws.got_close_code, ws.got_close_message)
end

-- The client's close frame as the server reads it; the server echoes it back.
for _, c in ipairs { { 1001, "going away" }, { 4000, "" }, { 1011 }, {} } do
  local r = websocket.new_from_uri(WS .. "/report")
  assert(r:connect(20))
  local code, reason = c[1], c[2]
  if code then
    print("close", code, reason, r:close(code, reason, 20))
  else
    print("close default", r:close())
  end
  show("after", r)
end

-- The server closes first: receive() answers nil, reason, code.
for _, q in ipairs { "code=4001&reason=bye", "code=1000", "code=1001&reason=shutting%20down", "", "code=999", "code=1005", "code=1004&reason=x", "code=3000" } do
  local c = websocket.new_from_uri(WS .. "/close?" .. q)
  assert(c:connect(20))
  print("server close", q, c:receive(20))
  show("after", c)
  print("receive again", c:receive(1))
  print("close", c:close())
end

-- Frames lua-http refuses.
for _, path in ipairs { "/bad-utf8", "/bad-close", "/rsv" } do
  local b = websocket.new_from_uri(WS .. path)
  assert(b:connect(20))
  print(path, b:receive(20))
  show("after", b)
end

-- The server ends TCP without a close frame: receive() sees the end as nil, and the object stays open.
local d = websocket.new_from_uri(WS .. "/drop")
assert(d:connect(20))
print("drop", d:receive(20))
print("drop end", d:receive(20))
print("drop state", d.readyState, d.got_close_code)
print("drop close", d:close())
show("after", d)

local l = websocket.new_from_uri(WS .. "/echo")
assert(l:connect(20))
local ok, e = pcall(l.close, l, 1000, ("r"):rep(124))
print("long reason", ok, (tostring(e):gsub("^.-:%d+: ", "")))
print("close 123", l:close(1000, ("r"):rep(123)))
show("after", l)
print("close twice", l:close(1001, "again"))
print("send_frame closed", l:send_frame({ opcode = 1, FIN = true, data = "x" }))
