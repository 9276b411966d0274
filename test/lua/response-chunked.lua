-- A chunked response with odd chunk sizes (1, 0x1F, 0x100, 7 with an extension).
local http = require("socket.http")
local body, code, h = http.request(arg[2] .. "/chunked")
print(code, #body, h["transfer-encoding"])
print(body:sub(1, 3), body:sub(-8))
local counts = {}
for c in body:gmatch(".") do counts[c] = (counts[c] or 0) + 1 end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", counts[k], " ") end
print()
-- httpbin's chunked stream
body, code = http.request(arg[1] .. "/stream/3")
local n = 0
for line in body:gmatch("[^\n]+") do n = n + 1 end
print(code, n)
