-- Binary response bodies: httpbin /bytes with a seed is deterministic; print length + checksum.
local http = require("socket.http")
local adler32 = dofile("test/lua/support/adler32.lua")
for _, n in ipairs{ 0, 1, 255, 2048, 2049, 10000 } do
  local body, code, h = http.request(arg[1] .. "/bytes/" .. n .. "?seed=42")
  print(n, code, #body, adler32(body), h["content-type"])
end
local body = http.request(arg[1] .. "/base64/AP-AYWJjAA==")
print(string.format("%q", body))
