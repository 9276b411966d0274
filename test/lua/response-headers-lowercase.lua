-- Response header names are lowercased; values kept as sent.
local http = require("socket.http")
local body, code, h = http.request(arg[1] .. "/response-headers?X-Custom-Thing=Value%20One&ETag=W%2F%2212%22&x-lower=ok")
print(code)
local keys = {}
for k in pairs(h) do
  if k ~= "date" and k ~= "content-length" and k ~= "connection" and k ~= "keep-alive" then keys[#keys + 1] = k end
end
table.sort(keys)
for _, k in ipairs(keys) do print(k, h[k]) end
