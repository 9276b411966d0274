-- N tasks each ssl.wrap a socket.tcp connection in blocking mode, handshake, send a request and read
-- the status line. The connections go through a barrier that joins none to the TLS server until all
-- N are open, so every handshake step must block only its own task.
-- args: barrier-port n cafile
local lh = require "luahttp"
local socket = require "socket"
local ssl = require "ssl"
local port, n, cafile = tonumber(arg[1]), tonumber(arg[2]), arg[3]
local params = { mode = "client", protocol = "any", verify = "peer", cafile = cafile, options = { "all", "no_sslv3" } }
local tasks = {}
for i = 1, n do
  tasks[i] = lh.spawn(function()
    local t = socket.tcp()
    t:settimeout(10)
    assert(t:connect("127.0.0.1", port))
    local c = assert(ssl.wrap(t, params))
    c:settimeout(10)
    c:sni("localhost")
    local ok, err = c:dohandshake()
    if not ok then return "handshake: " .. err end
    assert(c:send("GET /echo?task=" .. i .. " HTTP/1.0\r\nHost: localhost\r\n\r\n"))
    local status = c:receive("*l")
    local rest = c:receive("*a")
    c:close()
    return status, rest:match("GET /echo%?task=%d+")
  end)
end
for i, r in ipairs(lh.all(tasks)) do print(i, table.unpack(r, 1, r.n)) end
