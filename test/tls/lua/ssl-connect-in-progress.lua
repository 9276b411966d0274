-- The "Programming in Lua" dispatcher pattern over TLS: ssl.wrap right after a non-blocking connect,
-- while the connection may still be in progress, then dohandshake() until done, waiting with select
-- for what it asks ("wantwrite": the connect is not up yet; "wantread": the peer's flight). Nothing
-- else may come back (never "closed"), and select must wake for every step (a missed wake-up shows
-- as a select timeout). Up to 200 rounds, since the race with the connect is intermittent; on a
-- loaded machine the rounds stop after 15 s (what is printed does not depend on how many ran).
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url
local good, _, _, _, _, _, cafile = ...
local socket = require("socket")
local ssl = require("ssl")
local port = tonumber(good:match(":(%d+)$"))
local CLIENT = { mode = "client", protocol = "any", verify = "peer", cafile = cafile }
local ROUNDS = 200

local done, answered, asked, odd, missed, rounds = 0, 0, 0, {}, nil, 0
local stop = socket.gettime() + 15
for i = 1, ROUNDS do
  if socket.gettime() > stop then break end
  rounds = i
  local t = assert(socket.tcp())
  t:settimeout(0)
  local ok, err = t:connect("127.0.0.1", port)
  if not ok and err ~= "timeout" then odd[#odd + 1] = i .. " connect " .. tostring(err) end
  local c = assert(ssl.wrap(t, CLIENT))
  c:sni("localhost")
  c:settimeout(0)
  for _ = 1, 1000 do
    local hs, herr = c:dohandshake()
    if hs then done = done + 1; break end
    local r, w, serr
    if herr == "wantread" then r, w, serr = socket.select({ c }, nil, 10)
    elseif herr == "wantwrite" then r, w, serr = socket.select(nil, { c }, 10)
    else odd[#odd + 1] = i .. " dohandshake " .. tostring(herr); break end
    if serr then missed = missed or (i .. " " .. herr .. " " .. serr); break end
  end
  if missed then break end
  -- the connection works (every 10th: the handshake is what is tested)
  if i % 10 == 1 then
    asked = asked + 1
    c:settimeout(5)
    c:send("GET /echo?round=" .. i .. " HTTP/1.0\r\nHost: localhost\r\n\r\n")
    if c:receive("*l") == "HTTP/1.1 200 OK" then answered = answered + 1 end
  end
  c:close()
end
print("every round's handshake done", done == rounds and rounds > 0)
print("every request answered", answered == asked)
print("other results", #odd, table.concat(odd, "; ", 1, math.min(#odd, 5)))
print("missed wake-up", missed)
