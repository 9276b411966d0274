-- N tasks each fetch a file with socket.ftp (control connection through a barrier that joins no
-- connection until all N are open; data connections straight to the server), and one task drives
-- socket.tp by hand (USER/PASS/PWD/QUIT) through the same kind of barrier.
-- args: barrier-port n
local lh = require "luahttp"
local ftp = require "socket.ftp"
local tp = require "socket.tp"
local ltn12 = require "ltn12"
local port, n = tonumber(arg[1]), tonumber(arg[2])
local tasks = {}
for i = 1, n - 1 do
  tasks[i] = lh.spawn(function()
    local chunks = {}
    local ok, err = ftp.get { host = "127.0.0.1", port = port, path = i % 2 == 1 and "hello.txt" or "pub/readme.txt",
      user = "task" .. i, password = "pw", type = "i", sink = ltn12.sink.table(chunks) }
    return ok, err, table.concat(chunks)
  end)
end
tasks[n] = lh.spawn(function()
  local c = assert(tp.connect("127.0.0.1", port, 10))
  local out = {}
  local function step(cmd, arg, ok)
    if cmd then assert(c:command(cmd, arg)) end
    local code, reply = c:check(ok)
    out[#out + 1] = tostring(code) .. " " .. tostring(reply)
  end
  step(nil, nil, "2..")
  step("user", "nopass", "2..")
  step("pwd", nil, "2..")
  step("quit", nil, "2..")
  c:close()
  return table.concat(out, " | ")
end)
for i, r in ipairs(lh.all(tasks)) do print(i, table.unpack(r, 1, r.n)) end
