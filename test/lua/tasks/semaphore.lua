-- sem:acquire()/release() bound the fan-out: 12 tasks, 3 permits, the server answers groups of 3.
local lh = require "luahttp"
local http = require "socket.http"
local base = arg[1]
local sem = lh.semaphore(3)
local tasks = {}
for i = 1, 12 do
  tasks[i] = lh.spawn(function()
    sem:acquire()
    local body = http.request(base .. "/barrier/3")
    sem:release()
    return body
  end)
end
local counts = {}
for _, r in ipairs(lh.all(tasks)) do counts[r[2]] = (counts[r[2]] or 0) + 1 end
for k, v in pairs(counts) do print(k, v) end
print("bad semaphore", pcall(lh.semaphore, -1))
