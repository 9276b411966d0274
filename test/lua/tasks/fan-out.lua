-- 10 tasks each GET /barrier/10: the server answers only when all 10 are open at once.
local lh = require "luahttp"
local http = require "socket.http"
local base = arg[1]
local tasks = {}
for i = 1, 10 do
  tasks[i] = lh.spawn(function(n)
    local body, code = http.request(base .. "/barrier/10?n=" .. n)
    return n, code, body
  end, i)
end
for i, r in ipairs(lh.all(tasks)) do print(i, table.unpack(r, 1, r.n)) end
