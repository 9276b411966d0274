-- Copas-style TLS: 40 connections driven at once by one select loop, every step non-blocking —
-- ssl.wrap over a connected socket with settimeout(0), dohandshake() answering "wantread"/"wantwrite"
-- until done, then a request sent and the answer received in partial pieces until the peer closes.
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url
local good, _, _, _, _, _, cafile = ...
local socket = require("socket")
local ssl = require("ssl")
local port = tonumber(good:match(":(%d+)$"))
local N = 40
local CLIENT = { mode = "client", protocol = "any", verify = "peer", cafile = cafile, options = { "all", "no_sslv3" } }

local conns = {}
for i = 1, N do
  local t = assert(socket.tcp())
  t:settimeout(5)
  assert(t:connect("127.0.0.1", port))
  local s = assert(ssl.wrap(t, CLIENT))
  s:sni("localhost")
  s:settimeout(0)
  conns[i] = { s = s, id = i, state = "handshake", parts = {}, wants = {} }
end

local deadline = socket.gettime() + 20
local pending = N
while pending > 0 and socket.gettime() < deadline do
  local recvt, sendt = {}, {}
  for _, c in ipairs(conns) do
    if c.state == "handshake" then
      local ok, err = c.s:dohandshake()
      if ok then
        c.state = "send"
      elseif err == "wantread" then recvt[#recvt + 1] = c.s; c.wants.read = true
      elseif err == "wantwrite" then sendt[#sendt + 1] = c.s; c.wants.write = true
      else c.state = "failed"; c.err = err; pending = pending - 1 end
    end
    if c.state == "send" then
      local req = "GET /echo?n=" .. c.id .. " HTTP/1.0\r\nHost: localhost\r\n\r\n"
      local last, err = c.s:send(req)
      if last == #req then c.state = "receive" else c.state = "failed"; c.err = err; pending = pending - 1 end
    end
    if c.state == "receive" then
      local data, err, partial = c.s:receive(100)
      local piece = data or partial
      if piece and #piece > 0 then c.parts[#c.parts + 1] = piece end
      if err == "closed" then
        c.state = "done"; pending = pending - 1; c.s:close()
      elseif err == "wantread" or err == "timeout" then
        recvt[#recvt + 1] = c.s
      elseif err then
        c.state = "failed"; c.err = err; pending = pending - 1
      end
    end
  end
  if pending > 0 and (#recvt > 0 or #sendt > 0) then socket.select(recvt, sendt, 1) end
end

local states, wrong = {}, 0
for _, c in ipairs(conns) do
  states[c.state] = (states[c.state] or 0) + 1
  local whole = table.concat(c.parts)
  if not whole:find("^HTTP/1%.1 200 OK\r\n") or not whole:find("\r\n\r\nGET /echo%?n=" .. c.id .. "\n", 1) then wrong = wrong + 1 end
end
for _, k in ipairs { "done", "failed", "handshake", "send", "receive" } do print(k, states[k] or 0) end
print("wrong answers", wrong)
local sample = table.concat(conns[N].parts):match("\r\n\r\n(GET [^\n]*)")
print("sample", sample)
