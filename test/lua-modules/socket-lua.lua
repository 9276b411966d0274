-- socket.lua (the Lua half of require("socket")) over the C socket.core, exercised on
-- loopback sockets: bind, connect4/6, choose, sinks and sources with their chunk sizes.
local H = require("harness")
local socket = require("socket")
local ltn12 = require("ltn12")
H.expect_source("socket", socket.bind)

local show, check, case = H.show, H.check, H.case

case("socket is socket.core", show(socket == require("socket.core")))
do
  local names = {}
  for k, v in pairs(socket) do names[#names + 1] = k .. ":" .. type(v) end
  table.sort(names)
  case("fields", table.concat(names, " "))
  local modes = {}
  for k in pairs(socket.sinkt) do modes[#modes + 1] = "sink:" .. k end
  for k in pairs(socket.sourcet) do modes[#modes + 1] = "source:" .. k end
  table.sort(modes)
  case("modes", table.concat(modes, " "))
end
case("BLOCKSIZE", show(socket.BLOCKSIZE))
case("sinkt default is keep-open", show(socket.sinkt.default == socket.sinkt["keep-open"]))
case("sourcet default is until-closed", show(socket.sourcet.default == socket.sourcet["until-closed"]))

-- choose
do
  local seen = {}
  local chooser = socket.choose({
    default = function(a, b) return "default", a, b end,
    x = function(a, b) return "x", a, b end,
    ["nil"] = function() return "nil-key" end,
  })
  check("choose x", chooser, "x", 1, 2)
  check("choose number", chooser, 5, 6, 7)
  check("choose nil", chooser, nil, 1)
  check("choose table", function() local t = {}; local r, a = chooser(t); return r, a == t end)
  check("choose unknown (pcall)", chooser, "nope")
  local function caller() local r = chooser("nope"); return r end
  check("choose unknown (level 3)", function() local r = caller(); return r end)
  check("choose empty", socket.choose({}), "k")
  check("choose empty default", socket.choose({}))
  check("choose unknown false", socket.choose({}), false)
end

-- try/protect as socket.lua exposes them
check("try", socket.try, 1, 2)
check("protect(try)", socket.protect(function() socket.try(nil, "tried") end))
check("sink unknown", socket.sink, "bogus", {})
check("source unknown", socket.source, "bogus", {})

-- bind / connect
local server, err = socket.bind("127.0.0.1", 0)
case("bind", show(server ~= nil) .. " " .. show(err))
local ip, port = server:getsockname()
case("bind address", show(ip) .. " " .. show(type(port)))
port = tonumber(port)
check("bind same port", function()
  local s2, e2 = socket.bind("127.0.0.1", port)
  if s2 then s2:close() end
  return s2 ~= nil, e2
end)
check("bind star", function()
  local s, e = socket.bind("*", 0)
  local addr = s and s:getsockname()
  if s then s:close() end
  return s ~= nil, e, addr
end)
check("bind backlog", function()
  local s, e = socket.bind("127.0.0.1", 0, 1)
  if s then s:close() end
  return s ~= nil, e
end)

local function pair()
  local client, cerr = socket.connect4("127.0.0.1", port)
  assert(client, cerr)
  local peer = assert(server:accept())
  return client, peer
end

check("connect6 to v4-only port", function()
  local c, e = socket.connect6("127.0.0.1", port)
  local peer = c and server:accept()
  if c then c:close() end
  if peer then peer:close() end
  return c ~= nil, e
end)
check("connect4 ok", function()
  local c, e = socket.connect4("127.0.0.1", port)
  local peer = c and server:accept()
  if c then c:close() end
  if peer then peer:close() end
  return c ~= nil, e
end)
check("connect4 refused", function()
  local probe = socket.bind("127.0.0.1", 0)
  local _, p = probe:getsockname()
  probe:close()
  local c, e = socket.connect4("127.0.0.1", tonumber(p))
  if c then c:close() end
  return c ~= nil, e
end)

math.randomseed(42)
local payload = H.random_bytes(10000)

-- by-length source, with BLOCKSIZE read at every call
for _, spec in ipairs({ { 2048, 10000 }, { 100, 1234 }, { 4096, 10000 }, { 2048, 0 } }) do
  local bs, len = spec[1], spec[2]
  local client, peer = pair()
  client:send(payload)
  client:close()
  socket.BLOCKSIZE = bs
  local src = socket.source("by-length", peer, len)
  case("by-length object", type(src) .. " getfd:" .. type(src.getfd()) .. " dirty:" .. show(src.dirty()))
  local sizes, got = {}, {}
  while true do
    local chunk, e = src()
    if not chunk then sizes[#sizes + 1] = "end:" .. show(e) break end
    sizes[#sizes + 1] = #chunk
    got[#got + 1] = chunk
  end
  case("by-length " .. bs .. " " .. len, table.concat(sizes, ",") .. " " .. show(table.concat(got) == payload:sub(1, len)))
  peer:close()
end
socket.BLOCKSIZE = 2048
do
  -- more requested than sent: the source reports the receive error
  local client, peer = pair()
  client:send("short")
  client:close()
  local src = socket.source("by-length", peer, 100)
  check("by-length short", src)
  check("by-length short again", src)
  peer:close()
  check("by-length nil length", function() return socket.source("by-length", peer)() end)
end

-- until-closed source (also the default)
for _, mode in ipairs({ "until-closed", "default" }) do
  for _, bs in ipairs({ 2048, 3000, 10000, 20000 }) do
    local client, peer = pair()
    client:send(payload)
    client:close()
    socket.BLOCKSIZE = bs
    local src = mode == "default" and socket.source(peer) or socket.source(mode, peer)
    local sizes, got = {}, {}
    for i = 1, 50 do
      local chunk, e = src()
      if not chunk then sizes[#sizes + 1] = "end:" .. show(e) break end
      sizes[#sizes + 1] = #chunk
      got[#got + 1] = chunk
    end
    case("until-closed " .. mode .. " " .. bs, table.concat(sizes, ",") .. " " .. show(table.concat(got) == payload))
    check("until-closed after end", src)
    check("closed by source", peer.receive, peer, 1)
  end
end
socket.BLOCKSIZE = 2048

-- sinks
for _, mode in ipairs({ "keep-open", "close-when-done", "default" }) do
  local client, peer = pair()
  local snk = mode == "default" and socket.sink(client) or socket.sink(mode, client)
  case("sink object " .. mode, type(snk) .. " getfd:" .. type(snk.getfd()) .. " dirty:" .. show(snk.dirty()))
  check("sink " .. mode .. " chunk", snk, "hello ")
  check("sink " .. mode .. " empty", snk, "")
  check("sink " .. mode .. " end", snk, nil, "ignored")
  local sent = client:send("after")
  case("sink " .. mode .. " socket still open", show(sent))
  client:close()
  check("sink " .. mode .. " received", peer.receive, peer, "*a")
  peer:close()
end

-- pumping through socket sources/sinks
do
  local client, peer = pair()
  check("pump into socket", ltn12.pump.all, ltn12.source.string(payload), socket.sink("close-when-done", client))
  local t = {}
  check("pump from socket", ltn12.pump.all, socket.source("until-closed", peer), (ltn12.sink.table(t)))
  case("pumped data intact", show(table.concat(t) == payload))
end

server:close()
H.finish()
