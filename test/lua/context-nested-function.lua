-- A request deep inside nested functions, closures and varargs.
local http = require("socket.http")
local function level3(u) local b, c = http.request(u) return c, #b > 0 end
local function level2(...) return level3(...) end
local function level1(u) return (function() return level2(u) end)() end
print(level1(arg[1] .. "/get"))
local results = {}
for i = 1, 3 do results[i] = select(2, http.request(arg[1] .. "/status/" .. (200 + i))) end
print(table.concat(results, ","))
