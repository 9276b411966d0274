-- The "Programming in Lua" downloader (chapter on coroutines), as copas-style scripts drive LuaSocket:
-- one coroutine per download over a raw non-blocking TCP socket (settimeout(0), partial receives),
-- a dispatcher that socket.select()s over every connection still open. 60 downloads at once.
local socket = require("socket")
local adler32 = dofile("test/lua/support/adler32.lua")
local host, port = arg[1]:match("^http://([^:/]+):(%d+)")
port = tonumber(port)
local N = 60

local results = {}
local function download(i)
  local c = assert(socket.connect(host, port))
  c:settimeout(0)
  local path = "/bytes/" .. (1000 + i * 97) .. "?seed=" .. i
  assert(c:send("GET " .. path .. " HTTP/1.0\r\nHost: " .. host .. "\r\n\r\n"))
  local parts, count, timeouts = {}, 0, 0
  while true do
    local s, status, partial = c:receive(2 ^ 10)
    local piece = s or partial
    if piece and #piece > 0 then parts[#parts + 1] = piece; count = count + #piece end
    if status == "closed" then break end
    if status == "timeout" then timeouts = timeouts + 1; coroutine.yield(c) end
  end
  c:close()
  local whole = table.concat(parts)
  local body = whole:match("\r\n\r\n(.*)$") or ""
  results[i] = string.format("%d %s %d %s", i, whole:match("^(HTTP/1%.%d %d+)"), #body, adler32(body))
end

local threads = {}
for i = 1, N do
  local co = coroutine.create(function() download(i) end)
  threads[#threads + 1] = co
end

local rounds = 0
while #threads > 0 and rounds < 100000 do
  rounds = rounds + 1
  local waiting = {}
  local i = 1
  while threads[i] do
    local ok, res = coroutine.resume(threads[i])
    assert(ok, res)
    if not res then table.remove(threads, i)
    else waiting[#waiting + 1] = res; i = i + 1 end
  end
  if #waiting > 0 then
    local r, _, err = socket.select(waiting, nil, 5)
    if err == "timeout" then print("select timed out") break end
  end
end
for i = 1, N do print(results[i] or (i .. " missing")) end
print("all done", #threads == 0)
