-- Binary response bodies: httpbin /bytes with a seed is deterministic; print length + checksum.
local http = require("socket.http")
local function adler32(s)
  local a, b = 1, 0
  for i = 1, #s do
    a = (a + s:byte(i)) % 65521
    b = (b + a) % 65521
  end
  return string.format("%08x", b * 65536 + a)
end
for _, n in ipairs{ 0, 1, 255, 2048, 2049, 10000 } do
  local body, code, h = http.request(arg[1] .. "/bytes/" .. n .. "?seed=42")
  print(n, code, #body, adler32(body), h["content-type"])
end
local body = http.request(arg[1] .. "/base64/AP-AYWJjAA==")
print(string.format("%q", body))
