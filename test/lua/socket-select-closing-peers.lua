-- select over 300 accepted connections while a third of the peers close mid-line, a third send a
-- whole line and stay, a third stay silent: select reports exactly the first two groups (a closed
-- peer is readable), receive gives the line, or nil, "closed" and the partial line, and a second
-- receive on a peer-closed or own-closed socket says "closed" again at once (no hang).
local socket = require("socket")
local N = 300
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
server:settimeout(5)
local clients, conns = {}, {}
for i = 1, N do
  clients[i] = assert(socket.connect("127.0.0.1", port))
  conns[i] = assert(server:accept())
  conns[i]:settimeout(2)
end

local expected = 0
for i = 1, N do
  if i % 3 == 1 then
    clients[i]:send("partial " .. i) -- no newline, then gone
    clients[i]:close()
    expected = expected + 1
  elseif i % 3 == 2 then
    clients[i]:send("line " .. i .. "\n")
    expected = expected + 1
  end
end

-- wait until every expected socket has shown up as readable
local seen, count = {}, 0
local deadline = socket.gettime() + 10
while count < expected and socket.gettime() < deadline do
  local readable, _, err = socket.select(conns, nil, 1)
  for _, c in ipairs(readable) do
    if not seen[c] then seen[c] = true; count = count + 1 end
  end
  if err then break end
end
print("readable", count, "of", expected)

local silent_readable = 0
for i = 3, N, 3 do if seen[conns[i]] then silent_readable = silent_readable + 1 end end
print("silent peers readable", silent_readable)

local results = {}
for i = 1, N do
  local c = conns[i]
  if i % 3 == 1 then
    local line, err, partial = c:receive()
    local again = table.pack(c:receive())
    local key = string.format("%s %s %s | again %s %s %q", tostring(line), err, partial == "partial " .. i,
      tostring(again[1]), tostring(again[2]), again[3])
    results[key] = (results[key] or 0) + 1
  elseif i % 3 == 2 then
    local line, err = c:receive()
    local key = string.format("line ok %s %s", tostring(line == "line " .. i), tostring(err))
    results[key] = (results[key] or 0) + 1
  end
end
local keys = {}
for k in pairs(results) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do print(results[k], k) end

-- silent peers: a short timeout, not a hang; then the peer closes and the socket reads "closed"
conns[3]:settimeout(0.1)
print("silent receive", conns[3]:receive())
clients[3]:close()
conns[3]:settimeout(2)
print("after peer close", conns[3]:receive())
print("*a after peer close", conns[3]:receive("*a"))

-- our own closed sockets among the others: select skips them, receive says "closed"
for i = 1, N do conns[i]:close() end
print("receive own closed", conns[2]:receive())
print("receive own closed n", conns[2]:receive(10))
local r, w, e = socket.select(conns, nil, 0)
print("select over closed", #r, #w, e)
for i = 1, N do clients[i]:close() end
server:close()
