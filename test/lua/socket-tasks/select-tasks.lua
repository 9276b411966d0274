-- socket.select inside tasks: a server task multiplexes a listening socket and its clients with
-- select, while M client tasks each wait in select for their own answer. Every select blocks only
-- its task; had one blocked the script, the server would report its timeouts instead of the clients'
-- lines. Also: select with nothing to watch sleeps inside a task as a timer.
local lh = require "luahttp"
local socket = require "socket"
local M = 6
local server = assert(socket.bind("127.0.0.1", 0))
server:settimeout(0)
local _, port = server:getsockname()

local log = {}
local serving = lh.spawn(function()
  local watch, served, timeouts = { server }, 0, 0
  while served < M and timeouts < 5 do
    local readable, _, err = socket.select(watch, nil, 5)
    if err == "timeout" then timeouts = timeouts + 1 end
    for _, s in ipairs(readable) do
      if s == server then
        local c = server:accept()
        if c then c:settimeout(0); watch[#watch + 1] = c end
      else
        local line = s:receive("*l")
        if line then
          assert(s:send("echo " .. line .. "\n"))
          served = served + 1
        end
        for i = #watch, 1, -1 do if watch[i] == s then table.remove(watch, i) end end
        s:close()
      end
    end
  end
  return served, timeouts
end)

local clients = {}
for i = 1, M do
  clients[i] = lh.spawn(function()
    local c = assert(socket.connect("127.0.0.1", port))
    c:settimeout(0)
    assert(c:send("client " .. i .. "\n"))
    local readable, _, err = socket.select({ c }, nil, 10)
    if err then return err end
    local line = readable[1]:receive("*l")
    c:close()
    return line
  end)
end

local napper = lh.spawn(function()
  local r, w, err = socket.select(nil, nil, 0.05)
  return #r, #w, err
end)

for i, t in ipairs(clients) do print("client", i, t:wait()) end
print("server", serving:wait())
print("napper", napper:wait())
