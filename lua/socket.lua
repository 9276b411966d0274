-- socket: the Lua half of require("socket") (LuaSocket 3.1.0's socket.lua, rewritten for
-- luahttp). It extends the socket.core table in place and returns it, so
-- require("socket") == require("socket.core"), as in LuaSocket.

local socket = require("socket.core")

local error, ipairs, setmetatable, tostring, type = error, ipairs, setmetatable, tostring, type
local math, string, package = math, string, package

--- socket.connect4(address, port [, laddress [, lport]]): socket.connect restricted to IPv4.
function socket.connect4(address, port, laddress, lport)
  return socket.connect(address, port, laddress, lport, "inet")
end

--- socket.connect6(address, port [, laddress [, lport]]): socket.connect restricted to IPv6.
function socket.connect6(address, port, laddress, lport)
  return socket.connect(address, port, laddress, lport, "inet6")
end

--- socket.bind(host, port [, backlog]): listening TCP server on the first address of host that works ("*" = 0.0.0.0, reuseaddr set); nil, err otherwise.
function socket.bind(host, port, backlog)
  if host == "*" then host = "0.0.0.0" end
  local addresses, err = socket.dns.getaddrinfo(host)
  if not addresses then return nil, err end
  err = "no info on address"
  for _, candidate in ipairs(addresses) do
    local server
    if candidate.family == "inet" then
      server, err = socket.tcp4()
    else
      server, err = socket.tcp6()
    end
    if not server then return nil, err end
    server:setoption("reuseaddr", true)
    local ok
    ok, err = server:bind(candidate.addr, port)
    if ok then
      ok, err = server:listen(backlog)
      if ok then return server end
    end
    server:close()
  end
  return nil, err
end

--- socket.try(ret1, ...): the default try function, newtry() without finalizer.
socket.try = socket.newtry()

--- socket.choose(table): dispatcher calling table[name](opt1, opt2); non-string name selects "default"; unknown → error "unknown key (name)" at the caller's caller.
function socket.choose(table)
  return function(name, opt1, opt2)
    if type(name) ~= "string" then
      name, opt1, opt2 = "default", name, opt1
    end
    local make = table[name or "nil"]
    if not make then
      error("unknown key (" .. tostring(name) .. ")", 3)
    end
    return make(opt1, opt2)
  end
end

-- Factories for socket-backed ltn12 sources and sinks; http.lua adds "http-chunked".
local sourcet, sinkt = {}, {}
socket.sourcet, socket.sinkt = sourcet, sinkt

-- Chunk size of the socket sources (read at every call).
socket.BLOCKSIZE = 2048

-- An ltn12 endpoint over `sock` that socket.select can wait on (getfd/dirty) and that is
-- called through __call.
local function endpoint(sock, call)
  return setmetatable({
    getfd = function() return sock:getfd() end,
    dirty = function() return sock:dirty() end,
  }, { __call = call })
end
-- socket/http.lua builds its "http-chunked" endpoints the same way (not a socket field: LuaSocket has none).
package.loaded["luahttp.socket.endpoint"] = endpoint

sinkt["close-when-done"] = function(sock)
  return endpoint(sock, function(_, chunk)
    if chunk then return sock:send(chunk) end
    sock:close()
    return 1
  end)
end

sinkt["keep-open"] = function(sock)
  return endpoint(sock, function(_, chunk)
    if chunk then return sock:send(chunk) end
    return 1
  end)
end

sinkt["default"] = sinkt["keep-open"]

--- socket.sink(mode, sock): ltn12 sink writing to sock; modes "keep-open" (default) and "close-when-done".
socket.sink = socket.choose(sinkt)

sourcet["by-length"] = function(sock, length)
  return endpoint(sock, function()
    if length <= 0 then return nil end
    local chunk, err = sock:receive(math.min(socket.BLOCKSIZE, length))
    if err then return nil, err end
    length = length - string.len(chunk)
    return chunk
  end)
end

sourcet["until-closed"] = function(sock)
  local finished = false
  return endpoint(sock, function()
    if finished then return nil end
    local chunk, err, partial = sock:receive(socket.BLOCKSIZE)
    if not err then return chunk end
    if err ~= "closed" then return nil, err end
    -- the peer closed: deliver what arrived before, then end
    sock:close()
    finished = true
    return partial
  end)
end

sourcet["default"] = sourcet["until-closed"]

--- socket.source(mode, sock [, length]): ltn12 source reading sock; modes "until-closed" (default) and "by-length".
socket.source = socket.choose(sourcet)

-- LuaSocket's Lua submodules register themselves as socket.<name> when loaded; ours avoid
-- requiring socket, so pick up any that were loaded before socket itself.
for _, name in ipairs { "url", "headers", "http", "tp", "smtp", "ftp" } do
  local loaded = package.loaded["socket." .. name]
  if type(loaded) == "table" and socket[name] == nil then socket[name] = loaded end
end

return socket
