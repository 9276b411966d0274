-- A TCP echo server and several clients in ONE script: coroutines, settimeout(0) and socket.select,
-- the way copas-style schedulers drive LuaSocket. Everything is bounded (deadline, round count).
local socket = require("socket")

local server = assert(socket.bind("127.0.0.1", 0))
server:settimeout(0)
local _, port = server:getsockname()
print("port type", type(port))

local readers, writers = {}, {}   -- socket -> coroutine waiting on it
local tasks, log = {}, {}
local function wait(t, sock) t[sock] = coroutine.running(); coroutine.yield() end
local function spawn(name, f) tasks[#tasks + 1] = { name = name, co = coroutine.create(f) } end

local function echo(conn, id)
  conn:settimeout(0)
  while true do
    local line, err, partial = conn:receive("*l")
    if line then
      local i = 1
      local reply = "echo:" .. line .. "\n"
      while i <= #reply do
        local last, serr, lastpart = conn:send(reply, i)
        if last then i = last + 1
        elseif serr == "timeout" then i = lastpart + 1; wait(writers, conn)
        else log[#log + 1] = "server send error " .. serr; return end
      end
    elseif err == "timeout" then
      wait(readers, conn)
    else
      log[#log + 1] = string.format("server conn %d: %s (partial %q)", id, err, partial)
      conn:close()
      return
    end
  end
end

spawn("acceptor", function()
  local n = 0
  while n < 3 do
    local conn, err = server:accept()
    if conn then
      n = n + 1
      local id = n
      print("accepted", tostring(conn):match("^[^:]+"), type(conn:getfd()))
      spawn("echo" .. id, function() echo(conn, id) end)
    elseif err == "timeout" then
      wait(readers, server)
    else
      error(err)
    end
  end
end)

local results = {}
for c = 1, 3 do
  spawn("client" .. c, function()
    local sock = socket.tcp()
    sock:settimeout(0)
    local ok, err = sock:connect("127.0.0.1", port)
    if not ok and err == "timeout" then
      wait(writers, sock)
      ok, err = sock:connect("127.0.0.1", port)
      if err == "already connected" then ok = 1 end
    end
    assert(ok, err)
    local got = {}
    for i = 1, 5 do
      local msg = ("client%d-line%d"):format(c, i)
      assert(sock:send(msg .. "\r\n"))
      while true do
        local line, rerr = sock:receive()
        if line then got[#got + 1] = line; break end
        assert(rerr == "timeout", rerr)
        wait(readers, sock)
      end
    end
    -- the last message is cut mid-line: the server sees "closed" with the partial line
    assert(sock:send("unterminated"))
    sock:close()
    results[c] = table.concat(got, ",")
  end)
end

local deadline = socket.gettime() + 10
local rounds = 0
while socket.gettime() < deadline do
  for i = #tasks, 1, -1 do
    local t = tasks[i]
    if coroutine.status(t.co) == "suspended" and not t.waiting then
      local ok, err = coroutine.resume(t.co)
      if not ok then print("task failed", t.name, err) end
    end
    if coroutine.status(t.co) == "dead" then table.remove(tasks, i) end
  end
  if #tasks == 0 then break end
  local rlist, wlist = {}, {}
  for s in pairs(readers) do rlist[#rlist + 1] = s end
  for s in pairs(writers) do wlist[#wlist + 1] = s end
  for _, t in ipairs(tasks) do t.waiting = false end
  local r, w, err = socket.select(rlist, wlist, 1)
  rounds = rounds + 1
  local woken = {}
  for _, s in ipairs(r) do woken[readers[s]] = true; readers[s] = nil end
  for _, s in ipairs(w) do woken[writers[s]] = true; writers[s] = nil end
  -- tasks still registered as waiters sleep until their socket is ready
  for _, t in ipairs(tasks) do
    local blocked = false
    for _, co in pairs(readers) do if co == t.co then blocked = true end end
    for _, co in pairs(writers) do if co == t.co then blocked = true end end
    t.waiting = blocked and not woken[t.co]
  end
end
print("tasks left", #tasks, "rounds bounded", rounds < 1000)
for c = 1, 3 do print("client" .. c, results[c]) end
table.sort(log)
for _, l in ipairs(log) do print(l) end
server:close()
