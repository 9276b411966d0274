-- The main chunk ends while tasks wait in tcp:receive (on a connection to the test's server) and in
-- accept (on a listening socket of their own): the tasks are cancelled and the sockets they waited on
-- are closed then, before lua_close runs finalizers (a finalizer made after them runs first and
-- looks), and the process exits without waiting for those operations.
-- args: port of a server that accepts and never answers
local lh = require "luahttp"
local socket = require "socket"
local port = tonumber(arg[1])
local held = {}
lh.spawn(function()
  local c = assert(socket.connect("127.0.0.1", port))
  held.client = c
  c:receive("*l")
  print("never: receive returned")
end)
lh.spawn(function()
  local s = assert(socket.bind("127.0.0.1", 0))
  held.server = s
  s:accept()
  print("never: accept returned")
end)
lh.spawn(function()
  socket.select(nil, nil, 1000)
  print("never: select returned")
end)
while not (held.client and held.server) do lh.sleep(0.01) end
-- Marked for finalization after the sockets were made, so finalized before them (reverse order).
HELD = setmetatable(held, { __gc = function(h)
  print("finalizer", h.client:getfd(), h.server:getfd(), (h.client:send("x")))
end })
print("main ends", held.client:getfd() >= 0, held.server:getfd() >= 0)
