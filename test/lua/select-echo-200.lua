-- A select-based echo server and 200 clients in one script, everything non-blocking: the server
-- accepts, reads partial lines and echoes them; each client sends 3 lines (in two halves) and reads the
-- echoes. Prints a summary that must match native LuaSocket's.
local socket = require("socket")
local NCLIENTS, NLINES = 200, 3

local server = assert(socket.bind("127.0.0.1", 0, 256)) -- a backlog for 200 connects at once
server:settimeout(0)
local _, port = server:getsockname()

local conns = {}    -- server side: socket -> { buf = partial line }
local clients = {}  -- { sock, next line to send, half sent, got lines }
for i = 1, NCLIENTS do
  local c = assert(socket.tcp())
  c:settimeout(0)
  local ok, err = c:connect("127.0.0.1", port)
  assert(ok or err == "timeout", err)
  clients[i] = { sock = c, id = i, sent = 0, half = false, got = {}, buf = "" }
end

local function line(client, n) return ("client %03d line %d %s"):format(client.id, n, ("x"):rep(client.id % 17)) end

local done, rounds = 0, 0
local accepted = 0
local deadline = socket.gettime() + 30
while done < NCLIENTS and rounds < 1000000 and socket.gettime() < deadline do
  rounds = rounds + 1
  local recvt, sendt = { server }, {}
  for s in pairs(conns) do recvt[#recvt + 1] = s end
  for _, c in ipairs(clients) do
    if not c.finished then
      recvt[#recvt + 1] = c.sock
      if c.sent < NLINES then sendt[#sendt + 1] = c.sock end
    end
  end
  local readable, writable, err = socket.select(recvt, sendt, 5)
  if err == "timeout" then print("select timed out"); break end
  for _, s in ipairs(readable) do
    if s == server then
      while true do
        local conn = server:accept()
        if not conn then break end
        conn:settimeout(0)
        conns[conn] = { buf = "" }
        accepted = accepted + 1
      end
    elseif conns[s] then
      local state = conns[s]
      local data, rerr, partial = s:receive("*l")
      if data then
        assert(s:send("echo " .. state.buf .. data .. "\n"))
        state.buf = ""
      elseif rerr == "timeout" then
        state.buf = state.buf .. partial
      elseif rerr == "closed" then
        s:close(); conns[s] = nil
      end
    end
  end
  for _, c in ipairs(clients) do
    if not c.finished then
      local data, rerr, partial = c.sock:receive("*l")
      if data then
        c.got[#c.got + 1] = c.buf .. data
        c.buf = ""
        if #c.got == NLINES then c.finished = true; c.sock:close(); done = done + 1 end
      elseif rerr == "timeout" then
        c.buf = c.buf .. partial
      end
    end
  end
  for _, s in ipairs(writable) do
    for _, c in ipairs(clients) do
      if c.sock == s and c.sent < NLINES then
        local text = line(c, c.sent + 1) .. "\n"
        local cut = #text // 2
        if not c.half then
          assert(s:send(text, 1, cut)); c.half = true
        else
          assert(s:send(text, cut + 1)); c.half = false; c.sent = c.sent + 1
        end
      end
    end
  end
end

local bad = 0
for _, c in ipairs(clients) do
  for n = 1, NLINES do
    if c.got[n] ~= "echo " .. line(c, n) then bad = bad + 1 end
  end
end
print("accepted", accepted, "finished", done, "wrong echoes", bad)
print("first", clients[1].got[1])
print("last", clients[NCLIENTS].got[NLINES])
server:close()
