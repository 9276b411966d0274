-- A few MB through /stream-bytes (chunked) and /bytes (content-length): length and checksum.
local http = require("socket.http")
local ltn12 = require("ltn12")
local function adler()
  local a, b, n = 1, 0, 0
  return function(chunk)
    if chunk then
      n = n + #chunk
      for i = 1, #chunk do
        a = (a + chunk:byte(i)) % 65521
        b = (b + a) % 65521
      end
    end
    return 1
  end, function() return n, string.format("%08x", b * 65536 + a) end
end
local sink, result = adler()
local r, code, h = http.request{ url = arg[1] .. "/stream-bytes/3000000?seed=7&chunk_size=10000", sink = sink }
print(r, code, h["transfer-encoding"], result())
sink, result = adler()
r, code, h = http.request{ url = arg[1] .. "/bytes/100000?seed=8", sink = sink }
print(r, code, h["content-length"], result())
local body = http.request(arg[1] .. "/stream-bytes/2500000?seed=9")
print(#body, body:byte(1), body:byte(#body))
