-- A request inside a table.sort comparator.
local http = require("socket.http")
local cache, calls = {}, 0
local function len(p)
  if not cache[p] then
    calls = calls + 1
    local body = http.request(arg[1] .. "/bytes/" .. p .. "?seed=1")
    cache[p] = #body
  end
  return cache[p]
end
local t = { "30", "5", "100", "1", "64" }
table.sort(t, function(a, b) return len(a) < len(b) end)
print(table.concat(t, " "), calls)
