-- N tasks each open a socket.tcp connection, send a line and wait for the answer. The server (a
-- barrier in front of an echo server) answers nobody until all N connections are open at once, so
-- the tasks' connect/send/receive must each block only their own task.
-- args: barrier-port n
local lh = require "luahttp"
local socket = require "socket"
local port, n = tonumber(arg[1]), tonumber(arg[2])
local tasks = {}
for i = 1, n do
  tasks[i] = lh.spawn(function()
    local c = socket.tcp()
    c:settimeout(10)
    assert(c:connect("127.0.0.1", port))
    assert(c:send("line " .. i .. "\n"))
    local answer, err, partial = c:receive("*l")
    c:close()
    return answer or (err .. " " .. partial)
  end)
end
for i, t in ipairs(tasks) do print(i, t:wait()) end
